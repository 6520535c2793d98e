"""House numbers as a decision lists them: their order, their side of the street, and ranges.

A house number is a number, then perhaps a letter (``12а``), a fraction (``5/1``) and a block
(``7к2``). They sort by number, then letter, then fraction, then block: ``5`` < ``5/1`` < ``5а``
< ``6``. The side of the street is the number's parity (``12а`` stands on the even side).

What a range covers (:meth:`Item.covers`), as clerks read ``дома № 1-25``: every house whose
number lies between its ends, on its side. An end written as a bare number takes that number's
lettered and divided houses too (``1-25`` covers ``25а`` and ``25/1``); an end with a letter or a
fraction is exact (``1-25а`` stops at ``25а``). A single house is exact: ``12`` is not ``12а``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

from aksugeo.geocode.address import house_text

Side = Literal["both", "odd", "even"]
SIDES: tuple[Side, ...] = ("both", "odd", "even")

_FORM = re.compile(r"^(\d+)([^\d/кс]?)(?:/(\d+))?(?:к(\d+))?(?:с(\d+))?$")
_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәіңғүұқөһ"


@dataclass(frozen=True, order=True)
class House:
    """One house number; ordered as a street numbers its houses.

    Attributes
    ----------
    key : tuple
        (number, letter's place in the alphabet or 0, fraction or 0, block or 0, structure
        or 0): what the order compares.
    text : str
        The number as written once normalised (``12а``, ``5/1``, ``7к2``).
    """

    key: tuple[int, int, int, int, int]
    text: str = field(compare=False)

    @property
    def number(self) -> int:
        """The number without its letter, fraction or block."""
        return self.key[0]

    @property
    def bare(self) -> bool:
        """True for a number with nothing after it (``12``, not ``12а``)."""
        return self.key[1:] == (0, 0, 0, 0)

    @property
    def side(self) -> Side:
        """``odd`` or ``even``: the side of the street the number stands on."""
        return "odd" if self.number % 2 else "even"

    def __str__(self) -> str:
        """Write the number as read (``12а``)."""
        return self.text


def house(value: str | None) -> House | None:
    """Read a house number (``12А``, ``12 а``, ``5/1``, ``7 корп. 2``); None if it is not one."""
    if value is None:
        return None
    value = re.sub(r"[«»\"“”']", "", str(value))
    text = house_text(re.sub(r"(?<=\d)[\s\-]+(?=[^\W\d_])", "", value).strip())
    m = _FORM.match(text or "")
    if m is None or text is None:
        return None
    number, letter, fraction, block, structure = m.groups()
    if letter and letter not in _ALPHABET:
        return None
    return House((int(number), _ALPHABET.index(letter) + 1 if letter else 0,
                  int(fraction or 0), int(block or 0), int(structure or 0)), text)


@dataclass(frozen=True)
class Item:
    """One house, or a range of houses, on one side or both.

    Attributes
    ----------
    first : House
        The house, or the range's first end.
    last : House or None
        The range's last end; None for a single house.
    side : str
        ``both``, ``odd`` or ``even``.
    """

    first: House
    last: House | None = None
    side: Side = "both"

    def covers(self, h: House) -> bool:
        """Return True when the item takes the house ``h`` (see the module's rules)."""
        if self.last is None:
            return h == self.first
        if self.side not in ("both", h.side):
            return False
        low = h.number >= self.first.number if self.first.bare else h >= self.first
        high = h.number <= self.last.number if self.last.bare else h <= self.last
        return low and high
