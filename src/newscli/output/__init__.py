"""Everything a person or a program reads: the screen, tables, progress, machine formats
(JSON, CSV, TSV) and making untrusted text inert. The only package that imports rich.

Imports `index` (search snippets), `dump`, `archive`, `model` and `errors`.
"""
