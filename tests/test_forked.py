"""forked.in_parts: work over many plans shared with forked children (the warm store reads of query,
coverage, plans and units). Whatever happens to a child, the answer is the one this process would give."""

from __future__ import annotations

import os
import signal

import pytest

from forebygging_cli import forked

pytestmark = pytest.mark.skipif(not forked.AVAILABLE, reason="no fork here: everything is done in one process")

HERE = os.getpid()


def numbers(index: int) -> tuple[int, int]:
    return index, os.getpid()


def runs(results: list[tuple[int, int]]) -> list[tuple[list[int], int]]:
    """The results grouped by the process that made them: (indices, pid) per run."""
    grouped: list[tuple[list[int], int]] = []
    for index, pid in results:
        if grouped and grouped[-1][1] == pid:
            grouped[-1][0].append(index)
        else:
            grouped.append(([index], pid))
    return grouped


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
    assert [index for index, _pid in results] == list(range(count))
    made = runs(results)
    assert [indices for indices, _pid in made] == [list(range(*run)) for run in forked.bounds(count, parts)][
        :len(made)]
    assert len(made) == (min(parts, count) if count else 0)
    if made:
        assert made[0][1] == HERE and all(pid != HERE for _run, pid in made[1:])  # the others forked
    assert len({pid for _run, pid in made}) == len(made)  # a child each
    assert no_children_left()


def test_the_runs_are_as_even_as_they_can_be():
    assert forked.bounds(10, 3) == [(0, 4), (4, 7), (7, 10)]
    assert forked.bounds(2, 4) == [(0, 1), (1, 2)]
    assert forked.bounds(0, 4) == [(0, 0)]


def failing_in_children(how):
    def work(index: int):
        if os.getpid() != HERE and index % 3 == 1:  # after a result or more was written
            how()
        return numbers(index)
    return work


def _raise() -> None:
    raise RuntimeError("a child fails")


def _killed() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def _exits() -> None:
    os._exit(3)


@pytest.mark.parametrize("how", [_raise, _killed, _exits, KeyboardInterrupt], ids=["raises", "killed", "exits 3",
                                                                                 "interrupted"])
def test_a_child_that_fails_has_its_run_done_here(how, capfd):
    def interrupt() -> None:
        raise KeyboardInterrupt

    results = forked.in_parts(9, 3, failing_in_children(interrupt if how is KeyboardInterrupt else how))
    assert results == [(index, HERE) for index in range(9)]
    assert no_children_left()
    assert capfd.readouterr() == ("", "")  # a child that fails says nothing: this process does its run


def test_a_result_that_does_not_pickle_is_worked_out_here():
    def work(index: int):
        if os.getpid() != HERE and index == 5:
            return lambda: None  # pickle refuses it
        return numbers(index)

    assert forked.in_parts(6, 2, work) == [(index, HERE) for index in range(6)]


def test_an_error_in_this_process_leaves_no_child_running():
    def work(index: int):
        if os.getpid() == HERE:
            raise ValueError("here")
        import time
        time.sleep(30)  # a child still at work when the error comes: it is stopped, not waited for
        return numbers(index)

    with pytest.raises(ValueError, match="here"):
        forked.in_parts(6, 3, work)
    assert no_children_left()


def test_where_no_child_can_be_forked_everything_is_done_here(monkeypatch):
    def refused() -> int:
        raise OSError("no more processes")

    monkeypatch.setattr(os, "fork", refused)
    assert forked.in_parts(4, 2, numbers) == [(index, HERE) for index in range(4)]


def test_where_no_spool_can_be_made_everything_is_done_here(monkeypatch):
    import tempfile

    def refused(*_args, **_kwargs):
        raise OSError("no room")

    monkeypatch.setattr(tempfile, "TemporaryFile", refused)
    assert forked.in_parts(4, 2, numbers) == [(index, HERE) for index in range(4)]


def test_without_fork_everything_is_done_here(monkeypatch):
    monkeypatch.setattr(forked, "AVAILABLE", False)
    assert forked.in_parts(4, 4, numbers) == [(index, HERE) for index in range(4)]


def test_a_child_holds_one_result_at_a_time():
    """A child writes each result as it makes it: by the time it makes the last, the others are in its spool,
    not in its memory (a national query's text would otherwise be held twice, by the child and by this process)."""
    import gc

    class Big:
        alive = 0

        def __init__(self) -> None:
            Big.alive += 1
            self.data = "x" * 1000

        def __del__(self) -> None:
            Big.alive -= 1

        def __reduce__(self):
            return (str, ("made",))

    def work(index: int):
        gc.collect()
        return Big.alive if os.getpid() != HERE else 0, Big()

    results = forked.in_parts(8, 2, work)
    assert [alive for alive, _made in results[4:]] == [0, 0, 0, 0]  # in the child, none but the one being made
    assert [made for _alive, made in results[4:]] == ["made"] * 4


def test_a_child_never_writes_what_this_process_had_not_yet_written(tmp_path):
    """A child leaves without flushing the buffers it was forked with (or running exit handlers): what this
    process had buffered is written once, by this process."""
    target = tmp_path / "out.txt"
    with open(target, "w", encoding="utf-8") as out:
        out.write("before ")
        assert forked.in_parts(4, 3, numbers)[-1][1] != HERE
        out.write("after")
    assert target.read_text(encoding="utf-8") == "before after"


def test_a_child_is_ended_by_ctrl_c_at_once_and_quietly_and_this_process_keeps_its_own_handler():
    """In a child, SIGINT is neither blocked nor handled by Python (the default ends it without a traceback);
    here, after the fork, the handler and the signal mask are as they were."""
    def state(index: int):
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, set())
        return signal.getsignal(signal.SIGINT) is signal.SIG_DFL, signal.SIGINT in blocked, os.getpid() != HERE

    before = signal.getsignal(signal.SIGINT), signal.pthread_sigmask(signal.SIG_BLOCK, set())
    results = forked.in_parts(4, 2, state)
    assert results[2:] == [(True, False, True)] * 2  # in the child
    assert (signal.getsignal(signal.SIGINT), signal.pthread_sigmask(signal.SIG_BLOCK, set())) == before


def test_ctrl_c_while_the_children_are_forked_stops_them_all(monkeypatch):
    """A Ctrl-C that comes while children are being forked is held until every child is registered, then
    raised here: no child is left running. (Whichever thread the signal reaches: a test suite has threads.)"""
    import threading

    idle = threading.Event()
    other = threading.Thread(target=idle.wait, daemon=True)  # a thread that does not block SIGINT
    other.start()
    real = forked._fork
    forks = []

    def fork_then_interrupted(work, run):
        made = real(work, run)
        forks.append(made)
        os.kill(os.getpid(), signal.SIGINT)  # held back until the forking is done
        return made

    def slow(index: int):
        import time
        if os.getpid() != HERE:
            time.sleep(30)
        return index

    monkeypatch.setattr(forked, "_fork", fork_then_interrupted)
    with pytest.raises(KeyboardInterrupt):
        forked.in_parts(9, 3, slow)
    idle.set()
    assert len(forks) == 2  # both were forked before the interrupt was raised
    assert no_children_left()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_a_handler_not_set_from_python_is_left_as_it_is(monkeypatch):
    """Where SIGINT's handler was not set from Python (signal.getsignal gives None), it could not be put back:
    it is not touched, and the children are forked all the same."""
    real = signal.signal
    monkeypatch.setattr(signal, "getsignal", lambda _signum: None)
    monkeypatch.setattr(signal, "signal", lambda signum, handler: real(signum, handler) and None)  # as CPython says
    results = forked.in_parts(4, 2, numbers)
    assert [index for index, _pid in results] == [0, 1, 2, 3] and results[-1][1] != HERE
    monkeypatch.undo()
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
