"""Geocoding: clerks' addresses to points, offline, from the OSM file's own addresses.

Reads data only. ``address`` parses and normalises an address in Russian or Kazakh,
``gazetteer`` indexes what the OSM file knows, ``geocoder`` matches, ``online`` asks a geopy
geocoder (off by default) for what stays unmatched.
"""
