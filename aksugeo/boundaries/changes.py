"""What a new assignment changes for whom: the addresses whose precinct changes, and notices.

For a siting proposal (or any new assignment): a table of the addresses that change precinct,
with the old and new precinct and the walk before and after, and a printable notice per address
in Russian or Kazakh ("your precinct is now N at ..."), for the commission to deliver. The
notices name an address, never a person; they are for the commission, not for publication.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

from aksugeo.boundaries.describe import centre_text
from aksugeo.boundaries.places import Places

_NOTICE = {
    "ru": {"title": "Извещение об изменении избирательного участка",
           "to": "Избирателям по адресу: {address}",
           "body": "Решением акима границы избирательных участков изменены. Ваш избирательный "
                   "участок теперь — № {new}: {centre}. Прежде — № {old}.",
           "walk": "Пешком от вашего дома: {m} м, около {minutes} мин ({speed} км/ч).",
           "no_walk": "Пеший путь от вашего дома по улицам не найден.",
           "synthetic": "СИНТЕТИЧЕСКИЕ ДАННЫЕ: образец, не настоящее извещение."},
    "kk": {"title": "Сайлау учаскесінің өзгергені туралы хабарлама",
           "to": "Мекенжайы бойынша сайлаушыларға: {address}",
           "body": "Әкімнің шешімімен сайлау учаскелерінің шекаралары өзгертілді. Сіздің сайлау "
                   "учаскеңіз енді — № {new}: {centre}. Бұрын — № {old}.",
           "walk": "Үйіңізден жаяу: {m} м, шамамен {minutes} мин ({speed} км/сағ).",
           "no_walk": "Үйіңізден көшелер бойымен жаяу жол табылмады.",
           "synthetic": "СИНТЕТИКАЛЫҚ ДЕРЕКТЕР: үлгі, нақты хабарлама емес."},
}


def changed_addresses(households: pd.DataFrame, before: pd.Series, after: pd.Series,
                      walk_before_m: pd.Series, walk_after_m: pd.Series, *,
                      metres_per_min: float) -> pd.DataFrame:
    """Return the households whose precinct changes, with the walks before and after.

    Parameters
    ----------
    households : pandas.DataFrame
        ``household_id``, ``address``, ``settlement``, ``voters``.
    before, after : pandas.Series
        Each household's precinct, indexed by ``household_id``.
    walk_before_m, walk_after_m : pandas.Series
        Each household's walk to its precinct before and after (metres; missing: none).
    metres_per_min : float
        The walking speed, for the minutes.

    Returns
    -------
    pandas.DataFrame
        ``household_id``, ``address``, ``settlement``, ``voters``, ``precinct_before``,
        ``precinct_after``, ``walk_before_m``, ``walk_after_m``, ``walk_before_min``,
        ``walk_after_min``, ``walk_added_min``; in the order of the registry.
    """
    h = households.set_index(households["household_id"].astype(str))
    old = before.reindex(h.index).astype("Int64")
    new = after.reindex(h.index).astype("Int64")
    moved = (old != new).fillna(True).to_numpy(dtype=bool)
    rows = h.loc[moved, ["address", "settlement", "voters"]].copy()
    rows.insert(0, "household_id", rows.index)
    rows["precinct_before"] = old[moved]
    rows["precinct_after"] = new[moved]
    rows["walk_before_m"] = walk_before_m.reindex(rows.index).round(0)
    rows["walk_after_m"] = walk_after_m.reindex(rows.index).round(0)
    for when in ("before", "after"):
        rows[f"walk_{when}_min"] = (rows[f"walk_{when}_m"] / metres_per_min).round(1)
    rows["walk_added_min"] = (rows["walk_after_min"] - rows["walk_before_min"]).round(1)
    return rows.reset_index(drop=True)


def notices_html(changed: pd.DataFrame, centres: dict[int, str], places: Places, lang: str, *,
                 speed_kmh: float, synthetic: bool = False) -> str:
    """Return one printable A4 notice per address whose precinct changes (every text escaped).

    Parameters
    ----------
    changed : pandas.DataFrame
        From :func:`changed_addresses`.
    centres : dict
        Precinct -> its centre ("name, address").
    places : Places
        For the centre's address in Kazakh.
    lang : str
        ``ru`` or ``kk``.
    speed_kmh : float
        The walking speed the minutes are at.
    synthetic : bool
        Mark every notice as a sample of the synthetic data set.
    """
    words = _NOTICE[lang]
    comma = "," if lang in ("ru", "kk") else "."
    by_address = changed.drop_duplicates("address")
    pages = []
    for row in by_address.to_dict("records"):
        new = None if pd.isna(row["precinct_after"]) else int(row["precinct_after"])
        old = "—" if pd.isna(row["precinct_before"]) else int(row["precinct_before"])
        centre = centre_text(centres.get(new, "") if new is not None else "", places, lang)
        metres = float(row["walk_after_m"])
        walk = (words["walk"].format(m=f"{metres:,.0f}".replace(",", "\u00a0"),
                                     minutes=f"{float(row['walk_after_min']):.0f}",
                                     speed=f"{speed_kmh:g}".replace(".", comma))
                if np.isfinite(metres) else words["no_walk"])
        address = centre_text(str(row["address"]), places, lang)
        parts = [f"<h1>{html.escape(words['title'])}</h1>",
                 f"<p class=to>{html.escape(words['to'].format(address=address))}</p>",
                 f"<p>{html.escape(words['body'].format(new=new, centre=centre, old=old))}</p>",
                 f"<p>{html.escape(walk)}</p>"]
        if synthetic:
            parts.insert(0, f"<p class=synthetic>{html.escape(words['synthetic'])}</p>")
        pages.append("<section class=notice>" + "".join(parts) + "</section>")
    return (f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            f"<title>{html.escape(words['title'])}</title><style>"
            "body{font:12pt/1.5 'PT Serif',serif;margin:0}.notice{padding:2cm;"
            "break-after:page}.notice:last-child{break-after:auto}h1{font-size:15pt}"
            ".to{font-weight:bold}.synthetic{color:#a00;font-size:9pt}@page{size:A4;margin:0}"
            "</style></head><body>" + "".join(pages) + "</body></html>")
