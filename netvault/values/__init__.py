"""The value grammars: cadences, dates, names and wikilinks, problems.

Pure functions of strings and dates. Never imports another netvault package,
never touches a file, never reads the clock.
"""
