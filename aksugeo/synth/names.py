"""Street names for the synthetic Aksu: plausible Russian and Kazakh names, and transliteration.

No real street list of Aksu could be had offline, so the names below are the kind that stand in
every town of Pavlodar Region (poets, scientists, batyrs, and the plain "School", "Central"
streets). Each name has its Russian form (the genitive, as on Russian street signs:
``улица Абая``) and its Kazakh form (the nominative before the type: ``Абай көшесі``).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class StreetName:
    """A street's name in Russian and Kazakh.

    Attributes
    ----------
    ru : str
        The Russian name without the type, as it follows ``улица`` (``Абая``, ``Школьная``).
    kk : str
        The Kazakh name without the type, as it precedes ``көшесі`` (``Абай``, ``Мектеп``).
    kind : str
        ``street``, ``avenue`` or ``lane``.
    """

    ru: str
    kk: str
    kind: str = "street"

    @property
    def ru_type(self) -> str:
        """The Russian type word (``улица``, ``проспект``, ``переулок``)."""
        return {"street": "улица", "avenue": "проспект", "lane": "переулок"}[self.kind]

    @property
    def ru_abbr(self) -> str:
        """The Russian abbreviation of the type (``ул.``, ``пр.``, ``пер.``)."""
        return {"street": "ул.", "avenue": "пр.", "lane": "пер."}[self.kind]

    @property
    def kk_type(self) -> str:
        """The Kazakh type word (``көшесі``, ``даңғылы``, ``тұйығы``)."""
        return {"street": "көшесі", "avenue": "даңғылы", "lane": "тұйығы"}[self.kind]

    @property
    def ru_full(self) -> str:
        """``улица Абая``: the form of the OSM ``name`` tag."""
        return f"{self.ru_type} {self.ru}"

    @property
    def kk_full(self) -> str:
        """``Абай көшесі``: the form of the OSM ``name:kk`` tag."""
        return f"{self.kk} {self.kk_type}"


# Names of people: Russian genitive / Kazakh nominative.
_PEOPLE = [
    ("Абая", "Абай"), ("Ауэзова", "Әуезов"), ("Сатпаева", "Сәтбаев"),
    ("Торайгырова", "Торайғыров"), ("Байтурсынова", "Байтұрсынов"), ("Жамбыла", "Жамбыл"),
    ("Валиханова", "Уәлиханов"), ("Толе би", "Төле би"), ("Кабанбай батыра", "Қабанбай батыр"),
    ("Богенбай батыра", "Бөгенбай батыр"), ("Пушкина", "Пушкин"), ("Гагарина", "Гагарин"),
    ("Королёва", "Королёв"), ("Ленина", "Ленин"), ("Достоевского", "Достоевский"),
    ("Чокина", "Шокин"), ("Камзина", "Камзин"), ("Муткенова", "Мүткенов"), ("Естая", "Естай"),
    ("Иманова", "Иманов"), ("Бухар жырау", "Бұқар жырау"), ("Жаяу Мусы", "Жаяу Мұса"),
    ("Амангельды", "Амангелді"), ("Маметовой", "Мәметова"), ("Шевченко", "Шевченко"),
    ("Чехова", "Чехов"), ("Джамбула", "Жамбыл ақын"), ("Габдуллина", "Ғабдуллин"),
    ("Кутузова", "Кутузов"), ("Мусрепова", "Мүсірепов"), ("Сейфуллина", "Сейфуллин"),
    ("Алтынсарина", "Алтынсарин"), ("Айтматова", "Айтматов"), ("Курмангазы", "Құрманғазы"),
]
# Descriptive names: Russian adjective or genitive plural / Kazakh noun.
_PLAIN = [
    ("Школьная", "Мектеп"), ("Центральная", "Орталық"), ("Садовая", "Бақша"),
    ("Степная", "Дала"), ("Молодёжная", "Жастар"), ("Строителей", "Құрылысшылар"),
    ("Энергетиков", "Энергетиктер"), ("Мира", "Бейбітшілік"), ("Победы", "Жеңіс"),
    ("Новая", "Жаңа"), ("Луговая", "Шалғын"), ("Береговая", "Жағалау"),
    ("Заводская", "Зауыт"), ("Промышленная", "Өнеркәсіп"), ("Железнодорожная", "Темір жол"),
    ("Целинная", "Тың"), ("Полевая", "Егістік"), ("Тополиная", "Терек"),
    ("Весенняя", "Көктем"), ("Дружбы", "Достық"), ("Независимости", "Тәуелсіздік"),
    ("Озёрная", "Көл"), ("Рабочая", "Жұмысшы"), ("Почтовая", "Пошта"),
]

@dataclass(frozen=True)
class Rename:
    """A city street's Soviet-era name, which registries still write (issue 20).

    Attributes
    ----------
    old : StreetName
        The old name, in Russian and Kazakh.
    renamed_on : str
        The day of the akimat's decision, ISO.
    known_to : str
        Where the old name is recorded: ``osm`` (the way's ``old_name`` tag) or ``table`` (only
        in the commission's renames table, ``street_renames.csv``).
    """

    old: StreetName
    renamed_on: str
    known_to: str


# Six of the town's streets renamed after a Kazakh figure; a registry writes the old name on
# every third house (by number). Three old names are in OSM, three only in the clerk's table.
RENAMES = {
    "Кабанбай батыра": Rename(StreetName("Комсомольская", "Комсомол"), "1996-04-18", "osm"),
    "Естая": Rename(StreetName("Калинина", "Калинин"), "2001-09-05", "osm"),
    "Толе би": Rename(StreetName("Октябрьская", "Октябрь"), "1993-12-22", "osm"),
    "Валиханова": Rename(StreetName("Кирова", "Киров"), "2007-06-12", "table"),
    "Богенбай батыра": Rename(StreetName("Советская", "Кеңес"), "2014-11-20", "table"),
    "Алтынсарина": Rename(StreetName("Первомайская", "Бірінші мамыр"), "2019-02-15", "table"),
}

PEOPLE = tuple(StreetName(ru, kk) for ru, kk in _PEOPLE)
PLAIN = tuple(StreetName(ru, kk) for ru, kk in _PLAIN)
ALL_STREETS = PEOPLE + PLAIN

_RU_LATIN = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
    "и": "i", "й": "y", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
    "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
    "ә": "a", "ғ": "g", "қ": "k", "ң": "n", "ө": "o", "ұ": "u", "ү": "u", "һ": "h", "і": "i",
}
# The Kazakh Latin alphabet of 2021 (Decree No. 637), as far as these names need it.
_KK_LATIN = {
    "а": "a", "ә": "ä", "б": "b", "в": "v", "г": "g", "ғ": "ğ", "д": "d", "е": "e", "ё": "io",
    "ж": "j", "з": "z", "и": "i", "й": "i", "к": "k", "қ": "q", "л": "l", "м": "m", "н": "n",
    "ң": "ñ", "о": "o", "ө": "ö", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ұ": "ū",
    "ү": "ü", "ф": "f", "х": "h", "һ": "h", "ц": "ts", "ч": "ç", "ш": "ş", "щ": "şş", "ъ": "",
    "ы": "y", "і": "ı", "ь": "", "э": "e", "ю": "iu", "я": "ia",
}


def _translit(text: str, table: dict[str, str]) -> str:
    out = []
    for ch in text:
        low = ch.lower()
        rep = table.get(low)
        if rep is None:
            out.append(ch)
        elif ch != low and rep:
            out.append(rep[0].upper() + rep[1:])
        else:
            out.append(rep)
    return "".join(out)


def ru_to_latin(text: str) -> str:
    """Transliterate Cyrillic to Latin the way Russian-speaking clerks do (``Абая`` -> ``Abaya``).

    Parameters
    ----------
    text : str
        Cyrillic text, Russian or Kazakh.

    Returns
    -------
    str
        The text in Latin letters.
    """
    return _translit(text, _RU_LATIN)


def kk_to_latin(text: str) -> str:
    """Transliterate Kazakh Cyrillic to the Kazakh Latin alphabet (``көшесі`` -> ``köşesı``).

    Parameters
    ----------
    text : str
        Kazakh Cyrillic text.

    Returns
    -------
    str
        The text in the Kazakh Latin alphabet.
    """
    return _translit(text, _KK_LATIN)
