"""The dashboard's map and tables as Streamlit components: drawn in the page, updated in place.

A ``st.components.v2`` component (no iframe): its script is ``static/map/aksugeo-map.js`` with
``static/map/mount.js``, which loads the page's Leaflet once from the app's static files and
hands every rerun's description (:func:`aksugeo.app.maps.map_spec`) to the map already drawn.
A click on a marker comes back as the trigger ``clicked``. :func:`parted_map` sends each part
of the dashboard's map once per session; parts the script lacks come back as ``missing``.
:func:`html_table` shows a table as a real HTML table (``static/table/table.js``), sorted by a
click on a header in the browser: light to draw and read by a screen reader, where
``st.dataframe`` draws on a canvas and costs a second of the first visit (its grid's script).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pandas as pd
import streamlit as st

from aksugeo.app.maps import HEIGHT_PX, MAP_JS, STATIC, Parts, json_text, map_text, part_ref
from aksugeo.i18n import count, number

_MOUNT_JS = MAP_JS.with_name("mount.js")
_render = st.components.v2.component(
    "aksugeo_map",
    js=MAP_JS.read_text(encoding="utf-8") + "\n" + _MOUNT_JS.read_text(encoding="utf-8"),
    isolate_styles=False)  # Leaflet's own stylesheet is the page's
_table = st.components.v2.component(
    "aksugeo_table", js=(STATIC / "table" / "table.js").read_text(encoding="utf-8"),
    isolate_styles=False)


def leaflet_map(spec: dict[str, Any] | str, *, key: str, height_px: int = HEIGHT_PX,
                on_click: Callable[[], None] | None = None) -> Any:  # noqa: ANN401
    """Show a map on the page; return the component's result (``.clicked``: a marker's id).

    Parameters
    ----------
    spec : dict or str
        The map's description (:func:`aksugeo.app.maps.map_spec`), or the same as JSON text
        (:func:`aksugeo.app.maps.map_text`: Streamlit then sends the text as it is, where a
        mapping is written out twice on every run).
    key : str
        The map's key: the same key keeps the same map across reruns.
    height_px : int
        The map's height when ``spec`` is text (a mapping carries its own).
    on_click : callable, optional
        Called (as a Streamlit callback, before the rerun) when a marker is clicked; it reads
        the marker's id from ``st.session_state[key]["clicked"]``.
    """
    height = height_px if isinstance(spec, str) else int(spec["height"])
    return _render(key=key, data=spec, height=height, on_clicked_change=on_click or _nothing)


def _nothing() -> None:
    return None


def parted_map(base_text: str, parts: Parts, ids: Iterable[int], where: dict[str, Any], *,
               key: str, on_click: Callable[[], None] | None = None) -> Any:  # noqa: ANN401
    """Show the dashboard's map of precincts ``ids``, each part sent once per session.

    Parameters
    ----------
    base_text : str
        The base (:func:`aksugeo.app.maps.base`) as JSON text: itself a part.
    parts : Parts
        Every precinct's overlays (:class:`aksugeo.app.maps.Parts`).
    ids : iterable of int
        The precincts the filters keep.
    where : dict
        Where the map looks (:func:`aksugeo.app.maps.framed` or ``centred``).
    key, on_click
        As :func:`leaflet_map`.

    Notes
    -----
    The session remembers which parts it has sent. The map script keeps them; if it lacks one
    (a rerun's message it never drew, or one it let go), it says so and the next run sends
    every part the map uses.
    """
    sent_key = f"_{key}_parts_sent"
    sent: set[str] = st.session_state.setdefault(sent_key, set())
    overlays_text, used = parts.pick(ids)
    base_ref = part_ref(base_text)
    used = {base_ref: base_text, **used}
    new = {ref: value for ref, value in used.items() if ref not in sent}

    def _again() -> None:
        st.session_state[sent_key] = set()

    spec = map_text(json_text({"part": base_ref}), overlays_text, where, parts=new)
    result = _render(key=key, data=spec, height=HEIGHT_PX,
                     on_clicked_change=on_click or _nothing, on_missing_change=_again)
    sent.update(new)
    return result


def cells_text(frame: pd.DataFrame, lang: str) -> list[list[str]]:
    """Return a table's cells as ``lang`` writes them (53 413, 93,9; empty for a missing value).

    Integers as counts, other numbers to one decimal, the rest as text.
    """
    columns = []
    for c in frame.columns:
        col = frame[c]
        if pd.api.types.is_integer_dtype(col):
            columns.append([count(lang, v) for v in col])
        elif pd.api.types.is_float_dtype(col):
            columns.append([number(lang, round(float(v), 1)) if pd.notna(v) else ""
                            for v in col])
        else:
            columns.append(["" if pd.isna(v) else str(v) for v in col])
    return [list(row) for row in zip(*columns, strict=True)]


def table_text(frame: pd.DataFrame, lang: str, caption: str) -> str:
    """Return the description :func:`html_table` sends: cells as text, and keys to sort by."""
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(
        frame[c]) for c in frame.columns]
    keys = [[(float(v) if pd.notna(v) else None) if is_number else
             ("" if pd.isna(v) else str(v)) for v, is_number in zip(row, numeric, strict=True)]
            for row in frame.itertuples(index=False, name=None)]
    rows = cells_text(frame, lang)
    # a column of long texts (a list of failed items) gets room, not a tower of short lines
    wide = [not n and max((len(r[i]) for r in rows), default=0) > 40
            for i, n in enumerate(numeric)]
    return json_text({"caption": caption,
                      "columns": [{"label": str(c), "numeric": n, "wide": w}
                                  for c, n, w in zip(frame.columns, numeric, wide, strict=True)],
                      "rows": rows, "keys": keys})


def html_table(frame: pd.DataFrame, *, key: str, lang: str, caption: str) -> None:
    """Show a table: numbers in ``lang``'s style, sorted by a click on a column's header.

    Parameters
    ----------
    frame : pandas.DataFrame
        The rows in the order first shown; its column names are the headers.
    key : str
        The table's key (the reader's order is kept across reruns).
    lang : str
        The language the numbers are written in.
    caption : str
        What the table is (its caption, and the name a screen reader gives it).
    """
    _table(key=key, data=table_text(frame, lang, caption), height="content")
