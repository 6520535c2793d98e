"""The texts of the interface, one catalogue per language: Russian (default), Kazakh, English.

Each catalogue is a flat JSON object in ``aksugeo/locales/<lang>.json``, ``key -> text``; texts
may hold ``{name}`` fields filled by :func:`text`. Every language has every key (a test checks),
so a missing translation fails the tests, not the planner's screen.
"""

from __future__ import annotations

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
