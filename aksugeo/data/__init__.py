"""Data: the schema, reading and validating a data set, and reading a finished build.

The bottom layer: it imports nothing of aksugeo but the settings and errors. ``schema`` says
what every layer holds (columns, types, units); ``io`` reads and validates a data folder and
writes and reads GeoPackages; ``layers`` opens a finished build
(:class:`~aksugeo.data.layers.Build`); ``projection`` picks the metric CRS from the data.
"""
