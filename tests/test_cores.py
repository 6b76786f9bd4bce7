"""analysis/cores.map_parts: work split over forked children gives the answer one process
gives, and a child that fails or dies costs time, never the answer."""

from __future__ import annotations

import os

import pytest

from newscli.analysis import cores


@pytest.fixture(autouse=True)
def four_cores(monkeypatch):
    monkeypatch.setattr(cores, "cores", lambda: 4)


def test_parts_are_dealt_round_robin_and_come_back_in_order():
    parent = os.getpid()
    found = cores.map_parts(lambda part: (list(part), os.getpid() == parent), list(range(10)), min_part=2)
    assert [items for items, _ in found] == [[0, 4, 8], [1, 5, 9], [2, 6], [3, 7]]
    assert [here for _, here in found] == [True, False, False, False]  # the rest in children


def test_few_items_stay_in_this_process():
    parent = os.getpid()
    assert cores.map_parts(lambda part: (list(part), os.getpid() == parent), [1, 2, 3], min_part=2) == [
        ([1, 2, 3], True)]


def test_a_child_that_fails_or_dies_is_redone_here():
    parent = os.getpid()

    def work(part):
        if os.getpid() != parent and part[0] == 1:
            raise RuntimeError("a child's failure")
        if os.getpid() != parent and part[0] == 2:
            os._exit(0)  # gone without an answer
        return sum(part)

    assert cores.map_parts(work, list(range(8)), min_part=2) == [4, 6, 8, 10]


def test_an_error_is_raised_here_as_without_children():
    def work(part):
        raise ValueError(f"bad line in {list(part)}")

    with pytest.raises(ValueError, match=r"bad line in \[0, 4\]"):
        cores.map_parts(work, list(range(8)), min_part=2)
