"""The derived SQLite/FTS5 index: its schema, its rows, keeping it in step with the store,
the search syntax, the filters and order a user asks for, and the questions it answers.

Imports `dump`, `archive`, `model` and `errors`; never `output`, `jobs` or `cli`.
"""
