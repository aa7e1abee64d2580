"""forked.in_parts: work over many plans shared with forked children (the warm store reads of query,
coverage, plans and units). Whatever happens to a child, the answer is the one this process would give."""

from __future__ import annotations

import os
import signal

import pytest

from forebygging_cli import forked

pytestmark = pytest.mark.skipif(not forked.AVAILABLE, reason="no fork here: everything is done in one process")

HERE = os.getpid()


def numbers(start: int, stop: int) -> tuple[list[int], int]:
    return list(range(start, stop)), os.getpid()


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


@pytest.mark.parametrize("parts", [1, 2, 3, 5])
@pytest.mark.parametrize("count", [0, 1, 2, 7, 40])
def test_the_parts_come_back_in_order_each_run_once(count, parts):
    results = forked.in_parts(count, parts, numbers)
    assert [n for run, _pid in results for n in run] == list(range(count))
    assert len(results) == max(1, min(parts, count))
    assert results[0][1] == HERE and all(pid != HERE for _run, pid in results[1:])  # the others forked
    assert len({pid for _run, pid in results}) == len(results)  # a child each
    assert no_children_left()


def test_the_runs_are_as_even_as_they_can_be():
    assert forked.bounds(10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert forked.bounds(2, 4) == [(0, 1), (1, 2)]
    assert forked.bounds(0, 4) == [(0, 0)]


def failing_in_children(how):
    def work(start: int, stop: int):
        if os.getpid() != HERE:
            how()
        return numbers(start, stop)
    return work


def _raise() -> None:
    raise RuntimeError("a child fails")


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _exits() -> None:
    os._exit(3)


@pytest.mark.parametrize("how", [_raise, _killed, _exits, KeyboardInterrupt], ids=["raises", "killed", "exits 3",
                                                                                 "interrupted"])
def test_a_child_that_fails_has_its_run_done_here(how):
    def interrupt() -> None:
        raise KeyboardInterrupt

    results = forked.in_parts(9, 3, failing_in_children(interrupt if how is KeyboardInterrupt else how))
    assert results == [(list(range(start, stop)), HERE) for start, stop in forked.bounds(9, 3)]
    assert no_children_left()


def test_a_result_that_does_not_pickle_is_worked_out_here():
    def work(start: int, stop: int):
        if os.getpid() != HERE:
            return lambda: None  # pickle refuses it
        return numbers(start, stop)

    assert forked.in_parts(6, 2, work) == [([0, 1, 2], HERE), ([3, 4, 5], HERE)]


def test_an_error_in_this_process_leaves_no_child_running():
    def work(start: int, stop: int):
        if os.getpid() == HERE:
            raise ValueError("here")
        import time
        time.sleep(30)  # a child still at work when the error comes: it is stopped, not waited for
        return numbers(start, stop)

    with pytest.raises(ValueError, match="here"):
        forked.in_parts(6, 3, work)
    assert no_children_left()


def test_where_no_child_can_be_forked_everything_is_done_here(monkeypatch):
    def refused() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refused)
    assert forked.in_parts(4, 2, numbers) == [([0, 1], HERE), ([2, 3], HERE)]


def test_without_fork_everything_is_done_here(monkeypatch):
    monkeypatch.setattr(forked, "AVAILABLE", False)
    assert forked.in_parts(4, 4, numbers) == [([n], HERE) for n in range(4)]


def test_a_child_never_writes_what_this_process_had_not_yet_written(tmp_path):
    """A child leaves without flushing the buffers it was forked with (or running exit handlers): what this
    process had buffered is written once, by this process."""
    target = tmp_path / "out.txt"
    with open(target, "w", encoding="utf-8") as out:
        out.write("before ")
        assert forked.in_parts(4, 3, numbers)[1][1] != HERE
        out.write("after")
    assert target.read_text(encoding="utf-8") == "before after"
