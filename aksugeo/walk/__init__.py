"""Walking: the OSM network, snapping, routing, access, isochrones and catchments.

Reads data only. ``pedestrian`` is the rule of which ways a walker may use, ``network`` reads an
OSM file into a :class:`~aksugeo.walk.network.WalkNetwork`, ``snapping`` puts points on it,
``routing`` (over the numba ``_kernels``) walks from snapped points, and ``access``,
``isochrones``, ``catchments`` and ``distances`` answer the commission's questions with them.
"""
