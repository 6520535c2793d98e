"""The one family of errors aksugeo raises, each also a built-in exception."""

from __future__ import annotations

from dataclasses import dataclass


class AksugeoError(Exception):
    """Base class of every error aksugeo raises on purpose."""


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with one field of one record of one file.

    Attributes
    ----------
    file : str
        The file, as the user named it (relative to the data directory's parent where possible).
    record : str
        Which record: ``feature 3`` in a GeoJSON file, ``line 7`` in a CSV file, ``-`` for the file.
    field : str
        The field (column or ``geometry``), ``-`` for the whole record.
    message : str
        What is wrong, in words a clerk can act on.
    """

    file: str
    record: str
    field: str
    message: str

    def __str__(self) -> str:
        """Return ``file:record:field: message``."""
        return f"{self.file}:{self.record}:{self.field}: {self.message}"


class ValidationError(ValueError, AksugeoError):
    """Input data break the schema; ``problems`` lists every one of them."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = sorted(problems, key=_problem_order)
        lines = "\n".join(str(p) for p in self.problems)
        super().__init__(f"{len(self.problems)} problem(s) in the input data:\n{lines}")


def _problem_order(problem: Problem) -> tuple[str, int, str, str]:
    # records sort by their number, not as text ("feature 10" after "feature 9")
    digits = "".join(ch for ch in problem.record if ch.isdigit())
    return (problem.file, int(digits) if digits else -1, problem.field, problem.message)


class SettingsError(ValueError, AksugeoError):
    """A setting (speed, band, limit) makes no sense."""


class CRSError(ValueError, AksugeoError):
    """A layer has no CRS, or a CRS that does not fit the operation."""
