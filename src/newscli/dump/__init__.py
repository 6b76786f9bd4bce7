"""Reading dumps: bytes to text, dates, language, repairs, the parser, the dump format written
back, the command line's inputs and parsing on every core.

Imports `archive` (a parsed article is encoded where it was parsed), `model` and `errors`;
nothing above it. python-dateutil is imported in `dates.py` alone.
"""
