"""The dashboard's map as a Streamlit component: drawn once in the page, updated in place.

A ``st.components.v2`` component (no iframe): its script is ``static/map/aksugeo-map.js`` with
``static/map/mount.js``, which loads the page's Leaflet once from the app's static files and
hands every rerun's description (:func:`aksugeo.app.maps.map_spec`) to the map already drawn.
A click on a marker comes back as the trigger ``clicked``. :func:`parted_map` sends each part
of the dashboard's map once per session; parts the script lacks come back as ``missing``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import streamlit as st

from aksugeo.app.maps import HEIGHT_PX, MAP_JS, Parts, json_text, map_text, part_ref

_MOUNT_JS = MAP_JS.with_name("mount.js")
_render = st.components.v2.component(
    "aksugeo_map",
    js=MAP_JS.read_text(encoding="utf-8") + "\n" + _MOUNT_JS.read_text(encoding="utf-8"),
    isolate_styles=False)  # Leaflet's own stylesheet is the page's


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
