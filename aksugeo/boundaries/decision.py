"""The akim's decision as text: read it (Russian or Kazakh, in clerks' styles) and write it.

A decision lists, for each precinct, its number, its centre (the building) and its boundaries: a
list of *rules* separated by ``;``, each a whole settlement, a whole street, or a street's or a
microdistrict's houses::

    Избирательный участок № 560
    Центр: СОШ №1, г. Аксу, ул. Полевая, д. 3
    Границы: г. Аксу: ул. Абая № 1-25, 2-40; Ленина нечётная сторона с № 1 по № 15;
    мкр 5, дома 1, 3, 5-12; с. Калкаман полностью.

    № 560 сайлау учаскесі
    Орталығы: ...
    Шекаралары: Ақсу қаласы: Абай көшесі № 1-25, 2-40; Ленин көшесі тақ жағы № 1-ден 15-ке
    дейін; 5 шағын аудан, № 1, 3, 5-12 үйлер; Калкаман ауылы толығымен.

The words each part is recognised by are in :data:`WORDS`. A settlement written before a colon
holds for the rules after it, until another. Two ranges with odd ends and even ends on one street
(``№ 1-25, 2-40``) are its two sides; otherwise a side is named (``нечётная сторона``, ``тақ
жағы``) and holds until another is. A fragment that cannot be read is a :class:`Problem` with its
precinct and text, never skipped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field, replace

from aksugeo.boundaries.houses import House, Item, Side, house

# the words each part of a decision is recognised by (regular-expression fragments, matched
# whatever the case), by language; the writer uses the first of each
WORDS: dict[str, dict[str, tuple[str, ...]]] = {
    # a precinct's heading; the number is the group
    "precinct": {"ru": (r"(?:избирательный\s+)?участ(?:ок|ка)\s*№\s*(\d+)",),
                 "kk": (r"№\s*(\d+)\s+(?:сайлау\s+)?учаске(?:сі)?",)},
    # the centre's label, and the boundaries'
    "centre": {"ru": ("центр", "место нахождения", "помещение"), "kk": ("орталығы", "орталық")},
    "bounds": {"ru": ("границы", "в границах"), "kk": ("шекаралары", "шекарасы")},
    # the whole of a settlement, a street or a side
    "whole": {"ru": ("полностью", "целиком", r"все\s+дома", "вся"),
              "kk": ("толығымен", "түгелдей", "түгел", r"барлық\s+үйлері")},
    # a side of the street, named
    "odd": {"ru": (r"нечётная\s+сторона", r"нечетная\s+сторона", r"нечётн\w*", r"нечетн\w*",
                   r"нечёт\.?", r"нечет\.?"),
            "kk": (r"тақ\s+жағы", r"тақ\s+нөмірл\w*(?:\s+үйлер\w*)?", "тақ")},
    "even": {"ru": (r"чётная\s+сторона", r"четная\s+сторона", r"чётн\w*", r"четн\w*",
                    r"чёт\.?", r"чет\.?"),
             "kk": (r"жұп\s+жағы", r"жұп\s+нөмірл\w*(?:\s+үйлер\w*)?", "жұп")},
    "both": {"ru": (r"обе\s+стороны",), "kk": (r"екі\s+жағы",)},
    # words before or after the numbers, read over
    "house": {"ru": ("дома", "дом", r"д\.", "№", "номера"),
              "kk": ("үйлері", "үйлер", "үй", "нөмірлері", "№")},
    # a settlement's type: before its name (ru), after it (kk)
    "settlement": {"ru": ("г", "город", "с", "село", "п", "пос", "посёлок", "поселок", "ст",
                          "станция", "аул"),
                   "kk": ("қаласы", "ауылы", "кенті", "стансасы", r"қ\.", r"а\.")},
    # a microdistrict
    "micro": {"ru": ("мкрн", "мкр-н", "мкр", "микрорайона", "микрорайон"),
              "kk": (r"шағын\s+ауданы", r"шағын\s+аудан")},
}
# words whose dot ends an abbreviation, not a sentence
_ABBREVIATIONS = {"г", "с", "п", "пос", "ст", "ул", "пр", "просп", "пер", "бул", "д", "кв", "мкр",
                  "мкрн", "корп", "стр", "к", "им", "а", "қ", "нечет", "нечёт", "чет", "чёт", "лит",
                  "пл", "көш", "даңғ"}
_LETTERS = "A-Za-zА-Яа-яЁёӘәІіҢңҒғҮүҰұҚқӨөҺһ"
_UPPER = "A-ZА-ЯЁӘІҢҒҮҰҚӨҺ"
# a house number as written: 12, 12а, 12 А, 12-А, 12«А», 5/1, 7 корп. 2, 7к2
_H = (r"\d+(?:\s*[«\"“]\s*[" + _LETTERS + r"]\s*[»\"”]|[" + _LETTERS + r"](?![\d" + _LETTERS
      + r"])|\s?-?\s?(?-i:[" + _UPPER + r"])(?![\w]))?(?:\s*/\s*\d+)?"
      r"(?:\s*(?:корп(?:ус)?\.?|к\.?)\s*\d+)?(?:\s*(?:стр(?:оение)?\.?)\s*\d+)?")
_KK_FROM = r"(?:ден|дан|тен|тан|нен|нан)"
_KK_TO = r"(?:ге|ға|ке|қа|не|на|а|е)"


def _any(role: str, *langs: str) -> str:
    return "(?:" + "|".join(w for lang in (langs or ("ru", "kk")) for w in WORDS[role][lang]) + ")"


_I = re.IGNORECASE
_PRECINCT = re.compile(r"^[ \t]*(?:" + WORDS["precinct"]["ru"][0] + "|" + WORDS["precinct"]["kk"][0]
                       + r")", re.IGNORECASE | re.MULTILINE)
_LABEL = re.compile(r"^\s*(" + _any("centre") + "|" + _any("bounds") + r")\s*[:\-]\s*", _I)
_RANGE_RU = re.compile(r"(?:\bс|\bот)\s*№?\s*(" + _H + r")\s*(?:по|до)\s*№?\s*(" + _H + ")", _I)
_RANGE_KK = re.compile(r"№?\s*(" + _H + r")\s*-?\s*" + _KK_FROM + r"\s*(?:№\s*)?(" + _H
                       + r")\s*-?\s*" + _KK_TO + r"?\s+дейін", _I)
_SPEC_START = re.compile(
    r"(?<![\w])(?:№|" + _any("house") + r"(?![^\W\d_])|" + _any("odd") + r"(?![\w])|" + _any("even")
    + r"(?![\w])|" + _any("whole") + r"(?![\w])|(?:с|от)\s+№?\s*\d|(?:" + _H
    + r")(?=\s*(?:[-,;.]|$|\s+(?:и|және|по|до|" + _KK_FROM + r")\b|-" + _KK_FROM + ")))", _I)
_TOKENS = re.compile(
    r"(?P<sep>[\s,;.]+|(?<![\w])(?:и|және)(?![\w]))"
    r"|(?P<odd>(?<![\w])" + _any("odd") + r"(?![\w]))"
    r"|(?P<even>(?<![\w])" + _any("even") + r"(?![\w]))"
    r"|(?P<both>(?<![\w])" + _any("both") + r"(?![\w]))"
    r"|(?P<whole>(?<![\w])" + _any("whole") + r"(?![\w]))"
    r"|(?P<range>(?P<a>" + _H + r")\s*-\s*(?P<b>" + _H + r"))"
    r"|(?P<one>" + _H + r")"
    r"|(?P<word>№|(?<![\w])" + _any("house") + r"(?![^\W\d_]))", _I)
_SETTLEMENT_RU = re.compile(r"^(?:" + _any("settlement", "ru") + r")\.?\s+(?=(?-i:[" + _UPPER
                            + r"]))([^:;,]+?)\s*(?:[:,]|$|\s+(?=" + _any("whole") + r"(?![\w])))",
                            _I)
_SETTLEMENT_KK = re.compile(r"^([^:;,]+?)\s+" + _any("settlement", "kk") + r"(?![\w])\s*(?:[:,]|$|"
                            r"\s+(?=" + _any("whole") + r"(?![\w])))", _I)
_MICRO = re.compile(r"^(?:" + _any("micro") + r")\.?\s*№?\s*(\d+)|^(\d+)\s*-?\s*(?:й|ый|ой)?\s*"
                    r"(?:" + _any("micro") + r")\.?(?![\w])", _I)
_STREET_TYPES_KK = re.compile(r"\s+(?:көшесі|көш\.|даңғылы|тұйығы|бульвары|алаңы)$", _I)


@dataclass(frozen=True)
class Rule:
    """One rule of a precinct's boundaries.

    Attributes
    ----------
    k : int
        Its place in the precinct's list (1, 2, ...).
    text : str
        As written.
    settlement : str or None
        The settlement as written (``г. Аксу``, ``Калкаман ауылы``); None when the text names
        none (the precinct's own is meant).
    street : str or None
        The street as written, without its type words; None for a whole settlement or a
        microdistrict.
    micro : str or None
        The microdistrict's number.
    whole : bool
        The whole settlement, street or microdistrict.
    items : tuple of Item
        Its houses and ranges (empty when ``whole``).
    area : str or None
        The street or microdistrict it names, once known (set by the writer).
    """

    k: int
    text: str
    settlement: str | None = None
    street: str | None = None
    micro: str | None = None
    whole: bool = False
    items: tuple[Item, ...] = ()
    area: str | None = None

    @property
    def kind(self) -> str:
        """``settlement`` (its houses when ``items``), ``street`` or ``micro``."""
        return "micro" if self.micro else "street" if self.street else "settlement"


@dataclass(frozen=True)
class Problem:
    """A fragment of a decision that could not be read, or a conflict found applying it."""

    precinct_id: int | None
    k: int | None
    text: str
    why: str
    kind: str = "unparsed"
    household_id: str | None = None

    def __str__(self) -> str:
        """Write the problem as ``decision:precinct N:rule k: why: 'text'``."""
        return self.line()

    def line(self, source: str = "decision") -> str:
        """Write the problem as ``source:precinct N:rule k: why: 'text'``."""
        where = source + (f":precinct {self.precinct_id}" if self.precinct_id is not None
                          else "") + (f":rule {self.k}" if self.k is not None else "")
        return f"{where}: {self.why}" + (f": {self.text!r}" if self.text else "")


@dataclass
class Entry:
    """One precinct of a decision: its number, its centre as written, and its rules."""

    precinct_id: int
    centre: str = ""
    rules: list[Rule] = field(default_factory=list)


@dataclass
class Decision:
    """A decision read from a text, or written from an assignment.

    Attributes
    ----------
    entries : list of Entry
        The precincts in the order written.
    problems : list of Problem
        The fragments that could not be read.
    lang : str
        ``ru`` or ``kk``.
    """

    entries: list[Entry] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    lang: str = "ru"


class _UnreadError(ValueError):
    """A fragment that is not a rule."""


def _clean(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("\u00a0", " ")
    return re.sub(r"[‐-―−]", "-", text).replace("№№", "№")


def _clauses(text: str) -> list[str]:
    """Split a precinct's boundaries into rules: at ``;`` and at a sentence's full stop."""
    out, start = [], 0
    for m in re.finditer(r";|\.(?=\s|$)", text):
        if m.group() == ".":
            word = re.search(r"([^\W\d_]+)$", text[start:m.start()])
            if word and word.group(1).lower() in _ABBREVIATIONS:
                continue
        out.append(text[start:m.start()])
        start = m.end()
    out.append(text[start:])
    return [c.strip(" \t\n,") for c in out if c.strip(" \t\n,")]


def _items(spec: str) -> tuple[bool, tuple[Item, ...]]:
    """Read a rule's houses: (whole, items). Raises _UnreadError on anything else."""
    spec = _RANGE_KK.sub(r"\1-\2", _RANGE_RU.sub(r"\1-\2", spec))
    side: Side = "both"
    named, whole = False, False
    items: list[Item] = []
    since_side = 0  # items since the side was named
    pos = 0
    while pos < len(spec):
        m = _TOKENS.match(spec, pos)
        if m is None or m.end() == pos:
            raise _UnreadError(f"cannot read {spec[pos:pos + 30].strip()!r}")
        pos = m.end()
        kind = m.lastgroup
        if kind in ("odd", "even", "both"):
            if named and since_side == 0 and side != "both":
                items.append(_whole_side(side))
            side, named, since_side = kind, True, 0  # type: ignore[assignment]
        elif kind == "whole":
            whole = whole or side == "both"
            items += [] if side == "both" else [_whole_side(side)]
            since_side = 1
        elif kind in ("range", "one"):
            items.append(_item(m, side))
            since_side += 1
    if named and since_side == 0 and side != "both":
        items.append(_whole_side(side))
    return whole, tuple(items if named else _paired(items))


def _item(m: re.Match[str], side: Side) -> Item:
    """One house or range of a token."""
    if m.lastgroup == "one":
        h = house(m.group("one"))
        if h is None:
            raise _UnreadError(f"not a house number: {m.group()!r}")
        return Item(h, None, side)
    a, b = house(m.group("a")), house(m.group("b"))
    if a is None or b is None:
        raise _UnreadError(f"not a house number in {m.group()!r}")
    if b.number < a.number:
        raise _UnreadError(f"range {m.group()!r} runs backwards")
    return Item(a, b, side)


def _whole_side(side: Side) -> Item:
    return Item(House((0, 0, 0, 0, 0), "0"), House((WHOLE_SIDE, 0, 0, 0, 0), str(WHOLE_SIDE)),
                side)


WHOLE_SIDE = 10**9  # the last end of a side taken whole


def _paired(items: list[Item]) -> list[Item]:
    """``№ 1-25, 2-40``: a range with odd ends and one with even ends that overlap are the sides.

    Two ranges of both sides cannot overlap (they would take the same houses twice), so
    overlapping ranges whose ends are odd and even can only be a street's two sides.
    """
    odd = [i for i in items if i.last is not None and i.first.number % 2 and i.last.number % 2]
    even = [i for i in items if i.last is not None and not i.first.number % 2
            and not i.last.number % 2]
    if not any(a.first.number <= b.last.number and b.first.number <= a.last.number  # type: ignore[union-attr]
               for a in odd for b in even):
        return items
    sided: dict[int, Side] = {id(i): "odd" for i in odd}
    sided.update({id(i): "even" for i in even})
    return [replace(i, side=sided[id(i)]) if id(i) in sided else i for i in items]


def _rule(k: int, text: str, settlement: str | None) -> tuple[Rule, str | None]:
    """Read one rule; return it and the settlement that holds after it."""
    rest = text.strip()
    for pattern in (_SETTLEMENT_RU, _SETTLEMENT_KK):
        m = pattern.match(rest)
        if m is not None:
            settlement = m.group(0).rstrip(":, ").strip()
            settlement = re.sub(r"\s+" + _any("whole") + r"$", "", settlement, flags=_I)
            rest = rest[m.end():].strip()
            break
    else:
        m = None
    if m is not None and (not rest or re.fullmatch(_any("whole"), rest, _I)):
        return Rule(k, text, settlement, whole=True), settlement
    if m is not None and (start := _SPEC_START.match(rest)) is not None:
        whole, items = _items(rest)  # a settlement's houses with no street: "с. Коктас, д. 1-5"
        return Rule(k, text, settlement, whole=whole or not items, items=items), settlement
    micro = _MICRO.match(rest)
    if micro is not None:
        number = micro.group(1) or micro.group(2)
        whole, items = _items(rest[micro.end():])
        if not whole and not items:
            whole = True  # "мкр 5" alone: the whole microdistrict
        return Rule(k, text, settlement, micro=str(int(number)), whole=whole,
                    items=items), settlement
    start = _SPEC_START.search(rest)
    name = (rest[: start.start()] if start else rest).strip(" ,:")
    name = _STREET_TYPES_KK.sub("", name)
    name = re.sub(r"^(?:ул|улица|пр|просп|проспект|пер|переулок|бул|бульвар|пл|площадь|тупик)"
                  r"\.?\s+", "", name, flags=_I).strip(" ,")
    if not name or not re.search(r"[^\W\d_]", name):
        raise _UnreadError("no street named")
    whole, items = _items(rest[start.start():]) if start else (True, ())
    if not whole and not items:
        whole = True
    return Rule(k, text, settlement, street=name, whole=whole, items=items), settlement


def parse_decision(text: str) -> Decision:
    """Read a decision's text, in Russian or Kazakh.

    Parameters
    ----------
    text : str
        The decision (or its annex): the precincts' headings, centres and boundaries. What
        comes before the first heading (the decision's own preamble) is read over.

    Returns
    -------
    Decision
        Its precincts and rules; the fragments that could not be read in ``problems``.
    """
    text = _clean(text)
    heads = list(_PRECINCT.finditer(text))
    decision = Decision(lang="kk" if re.search(r"[әіңғүұқөһ]", text.lower()) and
                        re.search(r"учаскес|шекара|көшес", text.lower()) else "ru")
    if not heads:
        decision.problems.append(Problem(None, None, text[:60].strip(),
                                         "no precinct heading (Избирательный участок № N / "
                                         "№ N сайлау учаскесі)", "unparsed"))
        return decision
    for head, after in zip(heads, [*heads[1:], None], strict=True):
        number = int(head.group(1) or head.group(2))
        body = text[head.end(): after.start() if after else len(text)]
        entry = Entry(number)
        bounds: list[str] = []
        for line in body.splitlines():
            label = _LABEL.match(line)
            if label is not None and re.fullmatch(_any("centre"), label.group(1), _I):
                entry.centre = line[label.end():].strip().rstrip(".")
            elif label is not None:
                bounds.append(line[label.end():])
            elif re.match(r"^\s*(?:тел|телефон)\b", line, _I) is None:
                bounds.append(line)
        settlement = None
        for k, clause in enumerate(_clauses(" ".join(bounds)), start=1):
            try:
                rule, settlement = _rule(k, clause, settlement)
            except _UnreadError as exc:
                decision.problems.append(Problem(number, k, clause, str(exc)))
                continue
            entry.rules.append(rule)
        decision.entries.append(entry)
    return decision
