"""Addresses as clerks write them: parsing and normalisation, in Russian, Kazakh and Latin.

Names are compared by their *skeleton*: an ASCII key that Russian and Kazakh Cyrillic, the
Russian-style Latin transliteration (``ul. Lenina``) and the Kazakh Latin alphabet
(``Abai köşesı``) all reduce to, ignoring case, ``ё``/``е``, punctuation and the spelling
differences between transliterations (``zh``/``j``, ``ya``/``ia``, ``y``/``i``, doubled
letters). The parser takes an address apart in any order: flat, microdistrict, house,
settlement and street.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

_CYR = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya", "ә": "a", "ғ": "g",
    "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
_KK_LATIN = {"ä": "a", "ğ": "g", "q": "k", "ñ": "n", "ö": "o", "ū": "u", "ü": "u", "ı": "i",
             "ş": "sh", "ç": "ch", "j": "zh", "w": "v", "x": "kh"}
# spellings that differ between transliterations, folded to one (longest first)
_FOLD = (("shch", "s"), ("sch", "s"), ("zh", "z"), ("kh", "h"), ("ts", "c"), ("ch", "c"),
         ("sh", "s"), ("yu", "u"), ("iu", "u"), ("ya", "a"), ("ia", "a"), ("yo", "o"),
         ("io", "o"), ("ye", "e"), ("y", "i"), ("h", ""))

# combining marks that make Cyrillic letters (й, ё) or Kazakh Latin ones (ğ, ş, ñ, ū, ı...)
_KEPT_MARKS = {"\u0306", "\u0308", "\u0327", "\u0303", "\u0304", "\u0307"}
# The address grammar's words: for each part of an address, what clerks write for it, in Russian,
# Kazakh and Latin letters (a regular-expression fragment each, matched whatever the case; where
# one word begins another, the order below is the order tried). Every pattern of the parser is
# built from this table; the forms they read are tested one by one in
# tests/input_data/addresses/ (written by hand).
TOKENS: dict[str, dict[str, tuple[str, ...]]] = {
    # a settlement's type before its name: г. Аксу, с. Калкаман, g. Aksu
    "settlement_before": {
        "ru": ("г", "город", "гор", "с", "село", "п", "пос", "поселок", "посёлок", "ст",
               "станция", "отд"),
        "kk": (),
        "latin": ("g", "gorod", "s", "selo", "p")},
    # after it: Ақсу қаласы, Калкаман ауылы, Aqsu qalasy
    "settlement_after": {
        "ru": (), "kk": ("қаласы", "ауылы", "кенті"),
        "latin": ("qalasy", "auyly", "kalasy", "auly")},
    # after it, cut short, with a dot: Ақсу қ., Калкаман а.
    "settlement_after_short": {"ru": (), "kk": ("қ", "а"), "latin": ("q", "a")},
    # a street's type (before or after its name; dropped from the name)
    "street": {
        "ru": ("ул", "улица", "пр", "прт", "просп", "проспект", "пер", "переулок", "бул",
               "бульвар", "тупик", "шоссе", "пл", "площадь"),
        "kk": ("көшесі", "көш", "даңғылы", "даңғ", "тұйығы", "тұйық"),
        "latin": ("ul", "ulitsa", "pr", "prosp", "prospekt", "per", "pereulok", "koshesi",
                  "kosesi", "dangyly", "dañğyly", "tuiyq", "tuiygy", "tūiyğy", "köşesı",
                  "street", "st", "avenue", "str", "kóshesi", "kóshe")},
    # the street words that end a settlement written first with no comma: "с. Уштерек ул. ..."
    "street_start": {"ru": ("ул", "улица", "пр", "пер"), "kk": (), "latin": ("ul", "pr", "per")},
    # a microdistrict, its number before or after: мкр 5, 11 мкр, 5 шағын аудан, mkr 5
    "microdistrict": {
        "ru": ("мкрн", "мкр-н", "мкр", "м-н", "микрорайона?"),
        "kk": (r"шағын\s+ауданы?",),
        "latin": (r"shağyn\s+audany?", r"shagyn\s+audany?", "mkrn", "mkr", "mikrorayon",
                  "mikrorajon")},
    # the house, the word before its number: д. 12, дом 12, d. 12
    "house_before": {"ru": ("д", "дом"), "kk": (), "latin": ("d", "dom", "h")},
    # the word after it: 12 үй, 12 úi
    "house_after": {"ru": (), "kk": ("үй",), "latin": ("üi", "úi", "ui", "uy")},
    # the flat, before its number (кв. 5) or after it (5 пәтер)
    "flat_before": {"ru": ("кв", "квартира"), "kk": (), "latin": ("kv", "kvartira")},
    "flat_after": {"ru": (), "kk": ("пәтер",), "latin": ("päter", "pater")},
    # a building's letter written apart: д. 37, лит. А
    "letter": {"ru": ("лит", "литера", "литер"), "kk": (), "latin": ()},
    # a block and a structure of a house: 12 корп. 2, 12 к2, 12 стр. 1
    "block": {"ru": ("корпус", "корп", "к"), "kk": (), "latin": ()},
    "structure": {"ru": ("строение", "стр"), "kk": (), "latin": ()},
    # abbreviations whose dot may be glued to what follows: г.Аксу, пр.Габдуллина, д.7
    "abbreviation": {
        "ru": ("г", "с", "п", "пос", "ст", "ул", "пр", "просп", "пер", "бул", "д", "кв", "мкр",
               "мкрн"),
        "kk": (), "latin": ("g", "s", "ul", "pr", "d", "kv")},
    # a postal address's head, dropped: the country, ...
    "country": {"ru": ("рк", r"республика\s+казахстан"),
                "kk": (r"қазақстан\s+республикасы", "қр"),
                "latin": ("kazakhstan", "qazaqstan", "kz")},
    # ... the region and the district, after their name: Павлодарская обл., Аксуский р-н
    "region": {"ru": ("обл", "область"), "kk": ("облысы",),
               "latin": ("oblysy", "oblast", "region")},
    "district": {"ru": ("р-н", "район"), "kk": ("ауданы",), "latin": ("audany",)},
}


def _words(*roles: str) -> str:
    """Return the words of ``roles`` (every language, in the table's order) as one alternation."""
    return "(?:" + "|".join(w for r in roles for lang in ("ru", "kk", "latin")
                            for w in TOKENS[r][lang]) + ")"


STREET_TYPES = frozenset(w for lang in TOKENS["street"].values() for w in lang)
# what comes before the settlement in a postal address: the country, the region, the district,
# the six-digit postcode (each is dropped; none is a street, a house or a settlement)
_POSTAL = re.compile(
    r"(?:^|,)\s*(?:" + _words("country")[3:-1] + r"|[^,\d]*?\s" + _words("region", "district")
    + r"\.?|\d{6})\s*(?=,|$)", re.IGNORECASE)
_SETTLEMENT_PREFIX = _words("settlement_before")
_SETTLEMENT_SUFFIX = _words("settlement_after")
_LETTER = r"[а-яa-zәіңғүұқөһ]"
# 12, 12а, 12 А, 12/1, 12 корп. 2, 12 стр. 1 (a letter, not the start of a word)
_HOUSE = (r"(\d+(?:\s?" + _LETTER + r"(?!" + _LETTER + r"))?(?:\s?/\s?\d+)?"
          r"(?:\s?" + _words("block", "structure") + r"\.?\s?\d+)?)")


@functools.lru_cache(maxsize=1 << 16)  # names repeat: a list names a street many times
def skeleton(text: str) -> str:
    """Return the ASCII key a name reduces to, whatever its script and spelling.

    Parameters
    ----------
    text : str
        A name in Russian or Kazakh Cyrillic, or in either Latin transliteration.

    Returns
    -------
    str
        Lower-case ASCII letters, digits and single spaces.

    Examples
    --------
    >>> skeleton("Абая") == skeleton("Abaya"), skeleton("Абай") == skeleton("Abai")
    (True, True)
    >>> skeleton("Жеңіс") == skeleton("Jeñıs"), skeleton("Королёва") == skeleton("Koroleva")
    (True, True)
    """
    out = []
    # the 2018 Kazakh Latin's acute accents (á, ó, ú) and a soft sign written as an apostrophe
    # (Evgen'evka) belong to the word
    text = "".join(c for c in unicodedata.normalize("NFD", text)
                   if unicodedata.category(c) != "Mn" or c in _KEPT_MARKS)
    text = unicodedata.normalize("NFC", _APOSTROPHES.sub("", text))
    for ch in text.lower():
        rep = _CYR.get(ch)
        if rep is None:
            rep = _KK_LATIN.get(ch, ch)
        out.append(rep)
    s = "".join(out)
    for a, b in _FOLD:
        s = s.replace(a, b)
    s = _NOT_KEY.sub(" ", s)
    s = _DOUBLED.sub(r"\1", s)
    return " ".join(s.split())


def skeleton_tables() -> dict[str, object]:
    """Return the tables :func:`skeleton` applies, for a script that applies the same function.

    ``cyr`` and ``kk_latin`` map a lower-case letter to ASCII; ``fold`` are the spellings folded
    in order; ``kept_marks`` the combining marks kept when accents are taken off. The public
    site's script (``aksugeo/site/static/site.js``) reads them; a test compares the two.
    """
    return {"cyr": dict(_CYR), "kk_latin": dict(_KK_LATIN), "fold": [list(f) for f in _FOLD],
            "kept_marks": sorted(_KEPT_MARKS), "apostrophes": _APOSTROPHES.pattern}


def token_words(*roles: str) -> list[str]:
    r"""Return the words of ``roles`` of :data:`TOKENS` written out, every language.

    ``микрорайона?`` gives ``микрорайон`` and ``микрорайона``; ``шағын\s+ауданы?`` gives
    ``шағын аудан`` and ``шағын ауданы``; a pattern no one types as a word is left out.
    """
    out: list[str] = []
    for role in roles:
        for words in TOKENS[role].values():
            for w in words:
                plain = re.sub(r"\\s\+", " ", w)
                if re.search(r"[\\()\[\]|]", plain):
                    continue  # a pattern no visitor types as one word
                if plain.endswith("?"):
                    out += [plain[:-2], plain[:-1]]
                else:
                    out.append(plain)
    return out


def strip_settlement_type(name: str) -> str:
    """Return a settlement's name without ``г.``, ``с.``, ``пос.``, ``g.`` and the like."""
    return re.sub(r"^\s*" + _SETTLEMENT_PREFIX + r"\.?\s+", "", name, flags=re.IGNORECASE)


def nominative_aliases(name: str) -> set[str]:
    """Return a Russian street name and the nominatives it may stand for (``Ленина`` -> ``Ленин``).

    Russian street signs put people's names in the genitive; Kazakh ones and clerks often
    write the nominative. Without a ``name:kk`` tag, these guesses let ``Ленин көшесі`` find
    ``улица Ленина``.
    """
    out = {name}
    word = name.rsplit(maxsplit=1)[-1] if name.split() else name
    head = name[: len(name) - len(word)]
    rules = (("ского", "ский"), ("цкого", "цкий"), ("овой", "ова"), ("евой", "ева"),
             ("иной", "ина"), ("ова", "ов"), ("ева", "ев"), ("ина", "ин"), ("ына", "ын"),
             ("ая", "ай"), ("ея", "ей"), ("уя", "уй"), ("а", ""), ("я", "й"))
    for end, rep in rules:
        if word.endswith(end) and len(word) > len(end) + 2:
            out.add(head + word[: -len(end)] + rep)
            break
    return out


@dataclass(frozen=True)
class ParsedAddress:
    """An address taken apart. ``None`` where the address does not say.

    Attributes
    ----------
    raw : str
        The address as written.
    settlement : str or None
        The settlement's name as written (``Калкаман``).
    street : str or None
        The street's name as written, without its type (``Абая``).
    micro : str or None
        The microdistrict number.
    house : str or None
        The house number, normalised (``12а``, ``12/1``, ``12к2``).
    flat : str or None
        The apartment number (kept, not used for the point).
    """

    raw: str
    settlement: str | None = None
    street: str | None = None
    micro: str | None = None
    house: str | None = None
    flat: str | None = None


_MICRO = _words("microdistrict")


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile(text, re.IGNORECASE)


# the grammar's patterns, compiled once (a list runs them on every address)
_APOSTROPHES = re.compile(r"[’'ʼ`]")
_NOT_KEY = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_BRACKETS = re.compile(r"\([^)]*\)")
# "г.Аксу пр.Габдуллина д.7": a type word's dot glued to what it names
_GLUED_DOT = _pattern(r"(?<![\w])(" + _words("abbreviation") + r")\.(?=\w)")
_NUMBER_SIGN = re.compile(r"№\s*")
_SIX_DIGITS = re.compile(r"\d{6}")  # a postcode
_QUOTED_LETTER = _pattern(r"(\d)\s*[«\"“]\s*(" + _LETTER + r")\s*[»\"”]")
_LITERA = _pattern(r"(\d)\s*,?\s*" + _words("letter") + r"\.?\s*(" + _LETTER + r")(?!"
                   + _LETTER + ")")
_DASHED_LETTER = _pattern(r"(\d)-(" + _LETTER + r")(?!" + _LETTER + ")")
# a block or structure after a comma (not the one-letter к: "12, к" is no block)
_COMMA_BLOCK_WORDS = tuple(w for w in TOKENS["block"]["ru"] + TOKENS["structure"]["ru"]
                           if len(w) > 1)
_COMMA_BLOCK = _pattern(r"(\d)\s*,\s*(" + "|".join(_COMMA_BLOCK_WORDS) + r")\b")
_BLOCK_WORD = re.compile("(" + _words("block") + r")\.?")
_STRUCTURE_WORD = re.compile("(" + _words("structure") + r")\.?")
_LOOK_ALIKES = str.maketrans("abcekopx", "авсекорх")  # Latin letters that look Cyrillic
_FLAT = _pattern(r"(?<![\w])" + _words("flat_before") + r"\.?\s*(\d+)")
_FLAT_KK = _pattern(r"(\d+)\s*" + _words("flat_after") + r"(?!\w)")
_MICRO_BEFORE = _pattern(r"(?<![\w])(\d+)\s*-?\s*(?:й\s+)?" + _MICRO + r"\.?(?!\w)")
_MICRO_AFTER = _pattern(r"(?<![\w])" + _MICRO + r"\.?\s*(\d+)")
_HOUSE_WORD = _pattern(r"(?<![\w])" + _words("house_before") + r"\.?\s*" + _HOUSE + r"(?![\d/])")
_HOUSE_KK = _pattern(_HOUSE + r"\s*-?\s*" + _words("house_after") + r"(?!\w)")
_HOUSE_FLAT = _pattern(r"(?<![\w/])(\d+[а-яa-z]?)\s*-\s*(\d+)(?![\w/])")
_HOUSE_BARE = _pattern(r"(?<![\w/])" + _HOUSE + r"(?![\w/])")
_SETTLEMENT_BEFORE = _pattern(r"(?:^|[\s,])" + _SETTLEMENT_PREFIX + r"\.?\s+([^\d,]+?)\s*(?=,|$|\s"
                              + _words("street_start") + r"\b)")
_SETTLEMENT_AFTER = _pattern(r"([^\d,]+?)\s+" + _SETTLEMENT_SUFFIX + r"(?!\w)")
_SETTLEMENT_KK_SHORT = _pattern(r"(?:^|,)\s*([^\d,]+?)\s+" + _words("settlement_after_short")
                                + r"\.(?=\s*,)")
_WORD_BREAK = re.compile(r"[\s,.;]+")


def _normalised(text: str) -> str:
    """Return an address with what no part of it needs taken out or written one way.

    The postal prefix (country, region, district, postcode), notes in brackets, a building
    letter written apart (``32 «А»``, ``28-А``, ``37, лит. А``) put back on its number.
    """
    w = text.replace("ё", "е").replace("Ё", "Е").replace("\u00a0", " ")
    low = w.lower()
    # each rewrite runs only where its mark is (a list runs them on every address)
    if "(" in w:
        w = _BRACKETS.sub(" ", w)
    if "." in w:
        w = _GLUED_DOT.sub(r"\1. ", w)
    if "№" in w:
        w = _NUMBER_SIGN.sub("", w)
    while _has(low, "country") or _has(low, "region") or _has(low, "district") or \
            _SIX_DIGITS.search(w):
        shorter = _POSTAL.sub("", w, count=1)
        if shorter == w:
            break
        w = shorter
    if "«" in w or '"' in w or "“" in w:
        w = _QUOTED_LETTER.sub(r"\1\2", w)
    if _has(low, "letter"):
        w = _LITERA.sub(r"\1\2", w)
    if "-" in w:
        w = _DASHED_LETTER.sub(r"\1\2", w)
    if any(b in low for b in _COMMA_BLOCK_WORDS):
        w = _COMMA_BLOCK.sub(r"\1 \2", w)
    return w.strip(" ,")


def _mark(word: str) -> str:
    """Return the literal start of a word of :data:`TOKENS` (``микрорайона?`` -> ``микрорайон``)."""
    start = re.match(r"[^\\?(\[]*", word).group()  # type: ignore[union-attr]
    return (start[:-1] if word[len(start):len(start) + 1] == "?" else start).lower()


# what each role's words begin with, lower case: a pattern is tried only where one is written
_MARKS = {role: re.compile("|".join(re.escape(_mark(w)) for lang in words.values()
                                   for w in lang) or "(?!)")
          for role, words in TOKENS.items()}


def _has(low: str, role: str) -> bool:
    """Return whether lower-case ``low`` holds the start of any word of ``role``."""
    return _MARKS[role].search(low) is not None


def _take(pattern: re.Pattern[str], text: str) -> tuple[str | None, str]:
    """Return the first group of ``pattern`` in ``text``, and ``text`` without the match."""
    m = pattern.search(text)
    if m is None:
        return None, text
    return m.group(1), text[: m.start()] + " , " + text[m.end():]


def house_text(value: str | None) -> str | None:
    """Return a house number in one form: ``12 А`` -> ``12а``, ``7 корп. 2`` -> ``7к2``."""
    if value is None:
        return None
    h = "".join(value.lower().split())
    if not h.isdigit():
        h = _STRUCTURE_WORD.sub("с", _BLOCK_WORD.sub("к", h))
    return h.translate(_LOOK_ALIKES)


def _micro(w: str, low: str) -> tuple[str | None, str]:
    """Take the microdistrict out of ``w``: its number before the word or after it.

    A number before the word is its number: "11 мкр 1" is microdistrict 11, house 1.
    """
    if not _has(low, "microdistrict"):
        return None, w
    micro, w = _take(_MICRO_BEFORE, w)
    return (micro, w) if micro is not None else _take(_MICRO_AFTER, w)


def parse_address(text: str, settlements: Iterable[str] = ()) -> ParsedAddress:
    """Take an address apart, in whatever order and script it is written.

    Parameters
    ----------
    text : str
        The address (``г. Аксу, ул. Ленина, д. 12, кв. 5``, ``Ленина 12-5``,
        ``Ленин көшесі, 12 үй``, ``ul. Lenina 12``, ``мкр 5, д. 3``, ...).
    settlements : iterable of str
        Names of known settlements, to recognise one written without ``г.``/``с.``.

    Returns
    -------
    ParsedAddress
        The parts found.
    """
    w = " " + _normalised(text) + " "
    low = w.lower()
    flat, w = _take(_FLAT, w)
    if flat is None and _has(low, "flat_after"):
        flat, w = _take(_FLAT_KK, w)
    micro, w = _micro(w, low)
    house, w = _take(_HOUSE_WORD, w)
    if house is None and _has(low, "house_after"):
        house, w = _take(_HOUSE_KK, w)
    if house is None and flat is None:
        m = _HOUSE_FLAT.search(w)
        if m:
            house, flat = m.group(1), m.group(2)
            w = w[: m.start()] + " , " + w[m.end():]
    settlement, w = _take(_SETTLEMENT_BEFORE, w)
    if settlement is None and _has(low, "settlement_after"):
        settlement, w = _take(_SETTLEMENT_AFTER, w)
    if settlement is None and "." in w:  # "Ақсу қ.", "Калкаман а.": the type word cut short
        settlement, w = _take(_SETTLEMENT_KK_SHORT, w)
    if settlement is None:
        known = {skeleton(s): s for s in settlements}
        for part in w.split(","):
            if part.strip() and skeleton(part) in known:
                settlement = part.strip()
                w = w.replace(part, " ", 1)
                break
            # a settlement written first with no comma after it: "Калкаман ул. Победы"
            words = part.split()
            if len(words) > 1 and skeleton(words[0]) in known and \
                    words[1].lower().rstrip(".") in STREET_TYPES:
                settlement = words[0]
                w = w.replace(part, " " + " ".join(words[1:]), 1)
                break
    if house is None:
        house, w = _take(_HOUSE_BARE, w)
    words = [t for t in _WORD_BREAK.split(w) if t]
    street_words = [t for t in words if t.lower() not in STREET_TYPES]
    street = " ".join(street_words) or None
    return ParsedAddress(text, settlement.strip() if settlement else None, street, micro,
                         house_text(house), flat)
