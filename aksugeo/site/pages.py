"""The site's pages: one per language, every precinct written out, every text escaped.

A page works without its script: the list of precincts holds everything the map shows (the
precinct's building, address, hours, categories for each group, what falls short and the
measure on election day, the desk, the booth, the nearest precinct fully accessible for each
group). The script (``static/site.js``) adds the address search, the walk and the map.
"""

from __future__ import annotations

import html
import json
from typing import Any

from aksugeo.data.passports import ITEM_KEYS
from aksugeo.geocode.address import strip_settlement_type
from aksugeo.i18n import LANGUAGES, catalogue, count, number, text
from aksugeo.passport.disclosure import MIN_COUNT
from aksugeo.passport.rules import CATEGORIES, words
from aksugeo.styles import CATEGORY_MARKS

SCRIPT_KEYS = ("site.", "group.", "category.", "state.")


def _e(value: object) -> str:
    return html.escape(str(value), quote=True)


def metres(lang: str, value: float) -> str:
    """Return a walk's length as the page writes it: 640 m, 1.2 km (1,2 км)."""
    if value < 1000:
        return text(lang, "site.metres", n=count(lang, round(value / 10) * 10))
    return text(lang, "site.km", n=number(lang, round(value / 1000, 1)))


def _place(data: dict[str, Any], lang: str) -> str:
    """Return the town the site is for: the settlement most (urban) precincts are in."""
    if data["town"] < 0:
        return ""
    s = data["names"]["settlements"][data["town"]]
    return strip_settlement_type(s["kk"] if lang == "kk" else s["ru"])


def _voters(lang: str, value: object) -> str:
    return text(lang, "site.fewer_than", n=MIN_COUNT) if value is None else count(
        lang, int(value))  # type: ignore[call-overload]


def _category(lang: str, value: object) -> str:
    if value not in CATEGORY_MARKS:
        return _e(text(lang, "site.no_passport"))
    return (f'<span class="mark mark-{_e(value)}" aria-hidden="true">{CATEGORY_MARKS[value]}'
            f'</span> {_e(text(lang, f"category.{value}"))}')


def _heading_category(lang: str, value: object) -> str:
    """Return what a precinct's heading says after its number: its category, if it has one."""
    return f", {_category(lang, value)}" if value in CATEGORY_MARKS else ""


def _failures(data: dict[str, Any], p: dict[str, Any], lang: str) -> str:
    keys = [k for k in (p.get("failed_items") or "").split(",") if k]
    if not keys:
        return f"<p>{_e(text(lang, 'site.all_met'))}</p>"
    plans = data["remedies"].get(str(p["precinct_id"]), {})
    items = []
    for key in keys:
        said = words(key, lang)
        plan = plans.get(key)
        if plan:
            said = text(lang, "site.measure", item=said, remedy=plan[lang],
                        state=text(lang, f"state.{plan['state']}"))
        items.append(f"<li>{_e(said)}</li>")
    return f"<ul>{''.join(items)}</ul>"


def _precinct(data: dict[str, Any], feature: dict[str, Any], lang: str) -> str:
    p = feature["properties"]
    n = int(p["precinct_id"])
    hours = data["meta"]["hours"]
    groups = "".join(
        f"<div><dt>{_e(text(lang, f'group.{g}'))}</dt><dd>{_category(lang, p.get(f'category_{g}'))}"
        f"</dd></div>" for g in data["groups"])
    nearest = []
    for g in data["groups"]:
        if p.get(f"category_{g}") == "accessible":
            continue
        near = data["nearest"].get(str(n), {}).get(g)
        said = (text(lang, "site.nearest_from_here", group=text(lang, f"group.{g}"),
                     n=near[0], metres=metres(lang, near[1])) if near else
                text(lang, "site.nearest_none", group=text(lang, f"group.{g}")))
        nearest.append(f"<li>{_e(said)}</li>")
    bands = [int(m) for m in data["meta"]["bands_min"][1:] or data["meta"]["bands_min"]]
    within = text(lang, "site.within", bands=" / ".join(map(str, bands)), counts=" / ".join(
        _voters(lang, p.get(f"voters_within_{m}")) for m in bands))
    desk = text(lang, "site.desk_yes" if p.get("con_desk") else "site.desk_no")
    booth = text(lang, "site.booth_yes" if p.get("accessible_booth") else "site.booth_no")
    return (
        f'<li class="precinct" id="p{n}" data-id="{n}"><article aria-labelledby="p{n}-h">'
        f'<h3 id="p{n}-h">{_e(text(lang, "site.precinct", n=n))}'
        f'{_heading_category(lang, p.get("category"))}</h3>'
        f'<p class="where"><strong>{_e(p.get("name") or "")}</strong>, {_e(p.get("address") or "")}'
        f"</p><p>{_e(text(lang, 'site.hours', hours=hours))}. "
        f"{_e(text(lang, 'site.voters', voters=_voters(lang, p.get('voters'))))}. "
        f"{_e(within)}.</p>"
        f'<dl class="groups">{groups}</dl>'
        f"<p>{_e(desk)} {_e(booth)}</p>"
        + (f'<ul class="nearest">{"".join(nearest)}</ul>' if nearest else "")
        + f"<details><summary>{_e(text(lang, 'site.details'))}</summary>"
        f"{_failures(data, p, lang)}</details>"
        f'<p class="actions"><a href="#p{n}">{_e(text(lang, "site.permalink", n=n))}</a> '
        f'<button type="button" class="show" data-id="{n}">'
        f'{_e(text(lang, "site.show_on_map", n=n))}</button></p>'
        "</article></li>")


def _head(lang: str, title: str, styles: list[str]) -> str:
    """Return a page's start, to the end of its head (no icon: no request for one)."""
    links = "".join(f'<link rel="stylesheet" href="{href}">\n' for href in styles)
    return (f'<!doctype html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f'<link rel="icon" href="data:,">\n<title>{_e(title)}</title>\n{links}</head>')


def _strings(lang: str) -> str:
    said = {k: v for k, v in catalogue(lang).items() if k.startswith(SCRIPT_KEYS)}
    # the checklist's items in words, their thresholds filled in (the script fills no number)
    said |= {f"item.{key}": words(key, lang) for key in ITEM_KEYS}
    said["lang"] = lang
    return json.dumps(said, ensure_ascii=False).replace("<", "\\u003c")


def _examples(data: dict[str, Any], lang: str) -> str:
    """Three ways to write one real street of the data, in the page's language first."""
    streets = [s for s in data["names"]["streets"] if s["ru"].startswith("ул")]
    if not streets:
        return "12"
    s = streets[len(streets) // 2]
    name_ru = s["ru"].split(" ", 1)[-1]
    kk = s["kk"] or s["ru"]
    cyr = data["skeleton"]["cyr"]
    latin = "ul. " + "".join(cyr.get(c, c) for c in name_ru.lower()).capitalize()
    forms = [f"{name_ru} 12", f"{kk} 12", f"{latin} 12"]
    if lang == "kk":
        forms = [forms[1], forms[0], forms[2]]
    return ", ".join(f"«{f}»" if lang != "en" else f"“{f}”" for f in forms)


def page(data: dict[str, Any], lang: str) -> str:
    """Return the page of one language (see the module)."""
    t = catalogue(lang)
    meta = data["meta"]
    place = _place(data, lang)
    title = text(lang, "site.title", place=place)
    others = "".join(
        f'<li><a href="../{code}/index.html" lang="{code}" hreflang="{code}" class="lang"'
        + (' aria-current="page"' if code == lang else "")
        + f">{_e(catalogue(code)['site.language_name'])}</a></li>" for code in LANGUAGES)
    features = sorted(data["layers"]["precincts"]["features"],
                      key=lambda f: int(f["properties"]["precinct_id"]))
    bands = "/".join(str(m) for m in meta["bands_min"])
    group_options = "".join(f'<option value="{g}">{_e(t[f"group.{g}"])}</option>'
                            for g in data["groups"])
    minutes = "".join(f'<option value="{m}">{m}</option>' for m in meta["bands_min"])
    marks = ", ".join(f"{CATEGORY_MARKS[c]} {t[f'category.{c}']}" for c in CATEGORIES)
    boundaries = (text(lang, "site.decision", files=data["assignment"].split(":", 1)[1])
                  if data["assignment"].startswith("decision:") else t["site.registry"])
    licence = meta["licence"]["street_network"]
    synthetic = (f'<p class="synthetic" role="note">{_e(t["site.synthetic"])}</p>'
                 if meta["synthetic"] else "")
    hint = _e(text(lang, "site.address_hint", examples=_examples(data, lang)))
    bands_label = _e(text(lang, "site.layer_bands", bands=bands))
    shown = _e(text(lang, "site.shown", shown=len(features), total=len(features)))
    return f"""{_head(lang, title, ["../vendor/leaflet-1.9.4/leaflet.css", "../site.css"])}
<body>
<a class="skip" href="#find">{_e(t["site.skip"])}</a>
<header>
{synthetic}
<h1>{_e(title)}</h1>
<nav aria-label="{_e(t["site.languages"])}"><ul class="langs">{others}</ul></nav>
</header>
<main id="main">
<section id="find" aria-labelledby="find-h" tabindex="-1">
<h2 id="find-h">{_e(t["site.find"])}</h2>
<form id="search" role="search" aria-labelledby="find-h">
<div class="field"><label for="q">{_e(t["site.address"])}</label>
<p id="q-hint" class="hint">{hint}</p>
<input id="q" name="q" type="search" autocomplete="street-address" spellcheck="false"
 aria-describedby="q-hint"></div>
<div class="field"><label for="group">{_e(t["site.group"])}</label>
<select id="group" name="group"><option value="">{_e(t["site.group_any"])}</option>
{group_options}</select></div>
<button type="submit">{_e(t["site.search"])}</button>
</form>
<div id="answer" role="status" aria-live="polite" aria-atomic="false"></div>
</section>
<section id="map-section" aria-labelledby="map-h">
<h2 id="map-h">{_e(t["site.map"])}</h2>
<p id="map-desc">{_e(t["site.map_desc"])}</p>
<fieldset class="layers"><legend>{_e(t["site.layers"])}</legend>
<label><input type="checkbox" id="show-bands"> {bands_label}</label>
<label><input type="checkbox" id="show-catchments"> {_e(t["site.layer_catchments"])}</label>
</fieldset>
<div id="map" role="region" aria-label="{_e(t["site.map_label"])}"
 aria-describedby="map-desc"></div>
<p class="legend">{_e(text(lang, "site.legend", marks=marks))}; {_e(t["site.legend_route"])}.</p>
</section>
<section id="list" aria-labelledby="list-h">
<h2 id="list-h">{_e(t["site.list"])}</h2>
<form id="filters" aria-label="{_e(t["site.filters"])}">
<div class="field"><label for="f-group">{_e(t["site.filter_group"])}</label>
<select id="f-group"><option value="">{_e(t["site.filter_any"])}</option>
{group_options}</select></div>
<div class="field"><label for="f-minutes">{_e(t["site.filter_minutes"])}</label>
<select id="f-minutes" aria-describedby="f-minutes-hint" disabled>
<option value="">{_e(t["site.filter_any"])}</option>{minutes}</select>
<p id="f-minutes-hint" class="hint">{_e(t["site.filter_needs_address"])}</p></div>
</form>
<p id="shown" role="status">{shown}</p>
<ol id="precincts" class="precincts">
{"".join(_precinct(data, f, lang) for f in features)}
</ol>
</section>
</main>
<footer>
<p>{_e(text(lang, "site.source", source=meta["source"], date=meta["built_at"][:10]))}
{_e(boundaries)} {_e(text(lang, "site.licence", licence=licence))}</p>
<p>{_e(t["site.privacy"])} {_e(t["site.made_with"])}</p>
</footer>
<script type="application/json" id="strings">{_strings(lang)}</script>
<script src="../vendor/leaflet-1.9.4/leaflet.js"></script>
<script src="../data/site.js"></script>
<script src="../site.js"></script>
</body>
</html>
"""


def language_chooser(data: dict[str, Any]) -> str:
    """Return the site's first page: a link to each language's page, in its own language."""
    links = "".join(
        f'<li lang="{code}"><a href="{code}/index.html" hreflang="{code}">'
        f"{_e(text(code, 'site.title', place=_place(data, code)))}</a> "
        f"({_e(catalogue(code)['site.language_name'])})</li>" for code in LANGUAGES)
    return f"""{_head("ru", text("ru", "site.title", place=_place(data, "ru")), ["site.css"])}
<body>
<main id="main">
<h1>{_e(text("ru", "site.title", place=_place(data, "ru")))}</h1>
<p>{_e(catalogue("ru")["site.open_site"])} /
<span lang="kk">{_e(catalogue("kk")["site.open_site"])}</span>
/ <span lang="en">{_e(catalogue("en")["site.open_site"])}</span></p>
<ul class="choose">{links}</ul>
</main>
</body>
</html>
"""
