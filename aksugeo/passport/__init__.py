"""Accessibility passports: the rules, the public export and the printable report.

Uses data and walk. ``rules`` is the table of checks and the categories it gives,
``public`` writes the public map's files (no household-level data, no count under 5),
``report`` the printable report from its ``templates``.
"""
