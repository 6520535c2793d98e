"""The texts of the interface, one catalogue per language: Russian (default), Kazakh, English.

Each catalogue is a flat JSON object in ``aksugeo/locales/<lang>.json``, ``key -> text``; texts
may hold ``{name}`` fields filled by :func:`text`. Every language has every key (a test checks),
so a missing translation fails the tests, not the planner's screen.
"""

from __future__ import annotations

import datetime as dt
import json
from functools import cache
from importlib import resources

LANGUAGES = ("ru", "kk", "en")
DEFAULT_LANGUAGE = "ru"
LANGUAGE_NAMES = {"ru": "Русский", "kk": "Қазақша", "en": "English"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    """Return the catalogue of one language.

    Parameters
    ----------
    lang : str
        One of :data:`LANGUAGES`.

    Returns
    -------
    dict
        Key -> text.

    Raises
    ------
    ValueError
        For a language without a catalogue.
    """
    if lang not in LANGUAGES:
        raise ValueError(f"no texts in {lang!r}; choose one of {', '.join(LANGUAGES)}")
    raw = resources.files("aksugeo").joinpath("locales", f"{lang}.json").read_text("utf-8")
    return dict(json.loads(raw))


def text(lang: str, key: str, **fields: object) -> str:
    """Return the text of ``key`` in ``lang``, with its ``{fields}`` filled.

    Parameters
    ----------
    lang : str
        One of :data:`LANGUAGES`.
    key : str
        The text's key (``category.accessible``).
    **fields
        Values of the text's ``{name}`` fields.

    Returns
    -------
    str
        The text.
    """
    return catalogue(lang)[key].format(**fields)


def number(lang: str, value: float) -> str:
    """Return a number as the language writes it: 4.5 in English, 4,5 in Russian and Kazakh."""
    written = f"{value:g}"
    return written if lang == "en" else written.replace(".", ",")


NBSP = "\u00a0"  # between digit groups and before %: a number is never broken over lines


def count(lang: str, value: float) -> str:
    """Return a count as the language writes it: 53,413 in English, 53 413 in Russian and Kazakh."""
    written = f"{int(value):,}"
    return written if lang == "en" else written.replace(",", NBSP)


def percent(lang: str, value: float, *, digits: int = 1) -> str:
    """Return a share in per cent: 93.9% in English, 93,9 % in Russian and Kazakh."""
    written = f"{value:.{digits}f}"
    return f"{written}%" if lang == "en" else f"{written.replace('.', ',')}{NBSP}%"


def day(lang: str, value: object) -> str:
    """Return a day as the language writes it: 2019-05-27 in English, 27.05.2019 otherwise."""
    when = value.date() if isinstance(value, dt.datetime) else value
    if not isinstance(when, dt.date):
        when = dt.date.fromisoformat(str(value)[:10])
    return when.isoformat() if lang == "en" else when.strftime("%d.%m.%Y")


def speeds(lang: str, speed_kmh: float, reduced_speed_kmh: float) -> tuple[str, str]:
    """Return the two walking speeds in words: "on foot, 4.5 km/h", "reduced mobility, 3 km/h"."""
    return (text(lang, "report.speed_normal", speed=number(lang, speed_kmh)),
            text(lang, "report.speed_reduced", speed=number(lang, reduced_speed_kmh)))
