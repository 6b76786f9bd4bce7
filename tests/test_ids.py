"""IdSet answers exactly as a set of str would, for ids of any shape and at any size; KeyTable as a dict."""

from __future__ import annotations

import hashlib

from hypothesis import given
from hypothesis import strategies as st

from newscli.archive.ids import IdSet, KeyTable

HEX_IDS = st.text("0123456789abcdef", min_size=16, max_size=16)
ANY_IDS = st.one_of(HEX_IDS, st.text(max_size=20), st.text("0123456789abcdefABCDEF_x+ ", min_size=15, max_size=18))


@given(st.lists(ANY_IDS), st.lists(ANY_IDS))
def test_same_answers_as_a_set(added, asked):
    ids, reference = IdSet(), set()
    for id in added:
        ids.add(id)
        reference.add(id)
    assert len(ids) == len(reference)
    for id in added + asked + ["0" * 16, "0X" + "1" * 14, "F" * 16]:
        assert (id in ids) == (id in reference)


def test_growing_past_many_doublings_keeps_every_id():
    made = [hashlib.sha256(str(i).encode()).hexdigest()[:16] for i in range(20_000)]
    ids = IdSet()
    ids.update(made[::2])
    assert len(ids) == 10_000
    assert all(id in ids for id in made[::2])
    assert not any(id in ids for id in made[1::2])
    ids.clear()
    assert len(ids) == 0 and made[0] not in ids


@given(st.lists(st.tuples(st.integers(1, 2**64 - 1) | st.integers(1, 3000), st.integers(0, 2**64 - 1)), max_size=3000))
def test_a_key_table_with_values_keeps_the_first_value_of_each_key_like_setdefault(pairs):
    table, reference = KeyTable(with_values=True), {}
    for key, value in pairs:
        assert table.put(key, value) == (key not in reference)
        reference.setdefault(key, value)
    assert table.used == len(reference)
    for key, value in pairs:
        assert table.get(key) == reference[key] and table.has(key)
    assert table.get(2**64 - 2) == reference.get(2**64 - 2)
