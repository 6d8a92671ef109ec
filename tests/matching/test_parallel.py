"""Blocks of work on two processes: results in order, failures reported, early stops clean up."""
from __future__ import annotations

import os

import pytest

from exchange.matching.parallel import can_fork, interleaved

pytestmark = pytest.mark.skipif(not can_fork(), reason="needs fork and two CPUs")


def squares_with_pid(blocks):
    for block in blocks:
        yield [(x * x, os.getpid()) for x in block]


def test_results_come_back_in_block_order_from_both_processes():
    blocks = [[i, i + 100] for i in range(7)]
    results = list(interleaved(blocks, squares_with_pid, parallel=True))
    assert [[v for v, _ in r] for r in results] == [[i * i, (i + 100) ** 2] for i in range(7)]
    pids = {pid for r in results for _, pid in r}
    assert len(pids) == 2 and os.getpid() in pids


def test_serial_run_stays_in_this_process():
    results = list(interleaved([[1], [2], [3]], squares_with_pid, parallel=False))
    assert [r[0][0] for r in results] == [1, 4, 9]
    assert {r[0][1] for r in results} == {os.getpid()}


def fails_on_three(blocks):
    for block in blocks:
        if 3 in block:
            raise ValueError("ba")
        yield block


def test_a_failure_in_the_child_is_raised_here():
    with pytest.raises(RuntimeError, match="ValueError"):
        list(interleaved([[0], [3], [4], [5]], fails_on_three, parallel=True))


def test_stopping_early_stops_the_child():
    results = interleaved([[i] for i in range(50)], squares_with_pid, parallel=True)
    first = next(results)
    results.close()
    assert first[0][0] == 0
    assert not [c for c in __import__("multiprocessing").active_children() if c.is_alive()]
