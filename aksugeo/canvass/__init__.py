"""The door-to-door canvass: the visit log, coverage, covered areas and gaps, turfs.

Uses data and walk. ``visitlog`` keeps every visit (imports never drop one), ``coverage`` counts
who was visited as of a day, ``areas`` draws what was covered and what is left, ``turfs`` cuts
the gaps into walks for a canvasser, ``state`` reads all of it from a finished build.
"""
