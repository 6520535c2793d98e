"""The dashboard's map as a Streamlit component: drawn once in the page, updated in place.

A ``st.components.v2`` component (no iframe): its script is ``static/map/aksugeo-map.js`` with
``static/map/mount.js``, which loads the page's Leaflet once from the app's static files and
hands every rerun's description (:func:`aksugeo.app.maps.map_spec`) to the map already drawn.
A click on a marker comes back as the trigger ``clicked``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st

from aksugeo.app.maps import HEIGHT_PX, MAP_JS

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
    return _render(key=key, data=spec, height=height,
                   on_clicked_change=on_click or (lambda: None))
