"""The planners' dashboard: the Streamlit page, its server, cache and maps, and static files.

The top layer with the CLI: it may use every other. ``page`` is the Streamlit script,
``dashboard`` what it computes (apart from Streamlit), ``maps`` the folium maps, ``cache`` the
per-build caches, ``server`` starts it; ``static/vendor`` holds Leaflet, served offline.
"""
