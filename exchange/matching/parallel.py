"""Run blocks of work on two processes: every second block in a forked child, results in order."""
from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator, Sequence, TypeVar

Block = TypeVar("Block")
Result = TypeVar("Result")


def can_fork() -> bool:
    """Whether this platform starts processes by fork (the child shares the fitted model's memory)."""
    return "fork" in multiprocessing.get_all_start_methods() and (os.cpu_count() or 1) >= 2


def interleaved(blocks: Sequence[Block], run: Callable[[Sequence[Block]], Iterator[Result]],
                parallel: bool) -> Iterator[Result]:
    """The results of `run` (one per block, in order) over all blocks.

    With `parallel`, a forked child runs the odd blocks and sends each result back while this
    process runs the even ones; results are yielded in block order, so both advance together and
    at most one of the child's results waits in the pipe. The child is stopped when the caller
    stops early or fails.
    """
    if not parallel or len(blocks) < 2:
        yield from run(blocks)
        return
    ctx = multiprocessing.get_context("fork")
    receiver, sender = ctx.Pipe(duplex=False)
    child = ctx.Process(target=_child, args=(blocks[1::2], run, sender), daemon=True)
    child.start()
    sender.close()
    try:
        mine = iter(run(blocks[0::2]))
        for number in range(len(blocks)):
            if number % 2 == 0:
                yield next(mine)
                continue
            failed, result = receiver.recv()
            if failed:
                raise RuntimeError(f"the second process failed: {result}")
            yield result
    finally:
        receiver.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _child(blocks: Sequence[Block], run: Callable[[Sequence[Block]], Iterator[Result]], sender) -> None:
    """Forked worker: run its blocks and send each result (or the error) back."""
    try:
        for result in run(blocks):
            sender.send((False, result))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises
        sender.send((True, repr(exc)))
    finally:
        sender.close()
