"""The two long jobs that use every layer below: ingest (dumps into the store and the index)
and check (the store against the index, and repair).

Imports `output`, `index`, `dump`, `archive`, `model` and `errors`; never `cli`.
"""
