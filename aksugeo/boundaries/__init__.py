"""Precinct boundaries as the law writes them: the akim's decision, read and written.

:mod:`~aksugeo.boundaries.decision` reads a decision's text (Russian or Kazakh) and writes it;
:mod:`~aksugeo.boundaries.match` applies it to a registry (each household's precinct, and the
conflicts); :mod:`~aksugeo.boundaries.describe` writes the rules of any assignment.
"""
