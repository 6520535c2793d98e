"""Where precincts could stand: location models and the scenarios built on them.

Uses data and walk. ``models`` are maximal covering, p-median and set covering on a cost matrix
(spopt's ``from_cost_matrix`` style); ``scenarios`` runs them on a finished build and writes
the result beside it.
"""
