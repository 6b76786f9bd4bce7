"""What the archive says in numbers and words: attention over time (`trend`) and the terms
of a coverage (`words`), computed from the index's answers and the records it locates.

Plain values in, plain values out: no drawing (that is `output`'s) and no options (`cli`'s).
Imports `index`, `dump`, `archive`, `model` and `errors`; never `output`, `jobs` or `cli`.
"""
