"""The pure computations on a loaded vault and a ``today``: who is due and
why, the agenda, the funnel and the top ten, goals, warm introductions,
talking points, one person's card, lists and search.

Takes ``today`` as a parameter and touches no file; imports only
:mod:`netvault.read` and :mod:`netvault.values`, never the views or the
write path.
"""
