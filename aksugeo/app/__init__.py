"""The planners' dashboard: the Streamlit page, its server, cache and map, and static files.

The top layer with the CLI: it may use every other. ``page`` is the Streamlit script,
``dashboard`` what it computes (apart from Streamlit), ``maps`` the map's description (drawn
by ``static/map/aksugeo-map.js``), ``component`` the map in the page, ``cache`` the per-build
caches, ``server`` starts it; ``static/vendor`` holds Leaflet, served offline.
"""
