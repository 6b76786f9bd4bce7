"""The JSON-lines store, the archive's only data: where it lives, its file operations and
lock, record encoding, ids, and the values every layer compares records by.

Imports only `model` and `errors`: everything else is built on it.
"""
