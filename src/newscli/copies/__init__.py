"""Copies of a story: the near-duplicate signature of an article and the clusters signatures form.

Pure computation on text and bytes, no I/O: `signature` turns an article's title and body into a
fixed-size MinHash (computed where articles are prepared for the store, on the worker processes
of an ingest), `clusters` groups signatures into stories. The index stores the signatures and
asks this package which rows are copies of each other. Imports only `model` and `errors`.
"""
