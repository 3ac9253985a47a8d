from __future__ import annotations

import pickle

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import (
    PollCutShort,
    WaitRound,
    backoff_delay,
    timed_out_message,
    wait_round,
    wait_until,
)


class FakeClock:
    """A monotonic clock that only moves when the code under test sleeps (or a poll takes time)."""

    def __init__(self, poll_cost: float = 0.0) -> None:
        self.now = 100.0
        self.poll_cost = poll_cost
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def scripted(values, clock):
    it = iter(values)

    def poll():
        clock.now += clock.poll_cost
        return next(it)

    return poll


def test_returns_as_soon_as_done():
    clock = FakeClock()
    outcome = wait_until(scripted([1, 2, 3], clock), lambda v: v == 2, 60, 10, clock=clock, sleep=clock.sleep)
    assert (outcome.value, outcome.polls, outcome.timed_out) == (2, 2, False)
    assert clock.sleeps == [10]
    assert outcome.elapsed == 10


def test_times_out_with_a_last_poll_at_the_deadline():
    clock = FakeClock()
    outcome = wait_until(scripted(range(100), clock), lambda v: False, 25, 10, clock=clock, sleep=clock.sleep)
    assert outcome.timed_out is True
    assert clock.sleeps == [10, 10, 5]
    assert outcome.polls == 4
    assert outcome.elapsed == 25


def test_never_waits_longer_than_timeout_plus_one_poll():
    clock = FakeClock(poll_cost=3.0)
    outcome = wait_until(scripted(range(100), clock), lambda v: False, 20, 7, clock=clock, sleep=clock.sleep)
    assert outcome.timed_out
    assert outcome.elapsed <= 20 + 3.0


def test_polls_start_one_interval_apart_however_long_they_take():
    clock = FakeClock(poll_cost=3.0)
    outcome = wait_until(scripted([1, 2, 3], clock), lambda v: v == 3, 60, 10, clock=clock, sleep=clock.sleep)
    assert clock.sleeps == [7, 7]
    assert outcome.elapsed == 23  # polls started at 0, 10 and 20


def test_a_poll_longer_than_the_interval_is_followed_at_once():
    clock = FakeClock(poll_cost=12.0)
    outcome = wait_until(scripted([1, 2], clock), lambda v: v == 2, 60, 10, clock=clock, sleep=clock.sleep)
    assert clock.sleeps == []
    assert outcome.polls == 2


def test_done_at_first_poll_does_not_sleep():
    clock = FakeClock()
    outcome = wait_until(scripted(["ok"], clock), lambda v: True, 60, 10, clock=clock, sleep=clock.sleep)
    assert outcome.polls == 1 and clock.sleeps == [] and not outcome.timed_out


def test_a_failing_poll_ends_the_wait_with_its_error():
    clock = FakeClock()

    def poll():
        raise RuntimeError("throttled for good")

    with pytest.raises(RuntimeError, match="throttled for good"):
        wait_until(poll, lambda v: True, 60, 10, clock=clock, sleep=clock.sleep)


def test_backoff_lengthens_each_pause_and_still_ends_at_the_deadline():
    clock = FakeClock()
    outcome = wait_until(scripted([0] * 10, clock), lambda v: False, 10, 1, clock=clock, sleep=clock.sleep, backoff=2.0)
    assert clock.sleeps == [1, 2, 4, 3]
    assert (outcome.polls, outcome.elapsed, outcome.timed_out) == (5, 10, True)


class Down(Exception):
    pass


def outage(values, clock, down_from: float, down_until: float):
    """Polls that raise Down while the clock is in [down_from, down_until), else return the next value."""
    it = iter(values)
    calls: list[float] = []

    def poll():
        calls.append(clock.now)
        if down_from <= clock.now < down_until:
            raise Down("no connection")
        return next(it)

    return poll, calls


def is_down(error: BaseException) -> bool:
    return isinstance(error, Down)


def test_a_passing_outage_after_a_good_poll_is_ridden_out():
    clock = FakeClock()
    poll, calls = outage(["InProgress", "InProgress", "Completed"], clock, 110, 117)
    outcome = wait_until(poll, lambda v: v == "Completed", 60, 10, clock=clock, sleep=clock.sleep, transient=is_down)
    assert (outcome.value, outcome.timed_out, outcome.error) == ("Completed", False, None)
    # Good at 100; down at 110, retried 1, 2, 4 s later (111, 113, 117): back at 117, polled on 10 s apart.
    assert calls == [100, 110, 111, 113, 117, 127]
    assert (outcome.polls, outcome.failed_polls) == (3, 3)


def test_the_value_stays_the_last_good_poll_s_and_is_never_judged_while_down():
    clock = FakeClock()
    judged: list[str] = []
    poll, _calls = outage(["InProgress"], clock, 105, 10_000)

    def done(value):
        judged.append(value)
        return False

    outcome = wait_until(poll, done, 30, 5, clock=clock, sleep=clock.sleep, transient=is_down)
    assert judged == ["InProgress"]
    assert outcome.value == "InProgress" and outcome.timed_out
    assert isinstance(outcome.error, Down)
    # Down since the poll at 105; the wait ended at 130.
    assert (outcome.failing_for, outcome.polls, outcome.elapsed) == (25, 1, 30)
    assert outcome.failed_polls == len(clock.sleeps)


def test_a_first_poll_that_cannot_connect_ends_the_wait_at_once():
    clock = FakeClock()
    poll, calls = outage(["Completed"], clock, 0, 10_000)
    with pytest.raises(Down):
        wait_until(poll, lambda v: True, 60, 10, clock=clock, sleep=clock.sleep, transient=is_down)
    assert calls == [100]


def test_other_errors_still_end_the_wait_after_a_good_poll():
    clock = FakeClock()
    values = iter(["InProgress"])

    def poll():
        if clock.now > 100:
            raise ValueError("denied")
        return next(values)

    with pytest.raises(ValueError):
        wait_until(poll, lambda v: False, 60, 10, clock=clock, sleep=clock.sleep, transient=is_down)


def test_what_was_answered_before_the_wait_makes_a_first_failed_poll_passing():
    clock = FakeClock()
    poll, calls = outage(["Completed"], clock, 0, 103)
    outcome = wait_until(
        poll, lambda v: v == "Completed", 60, 10, clock=clock, sleep=clock.sleep, transient=is_down, answered=("Seen",)
    )
    assert (outcome.value, outcome.polls, outcome.failed_polls) == ("Completed", 1, 2)
    assert calls == [100, 101, 103]


def test_a_wait_that_never_reads_again_keeps_what_was_answered_before_it():
    clock = FakeClock()
    poll, _calls = outage([], clock, 0, 10_000)
    outcome = wait_until(
        poll, lambda v: True, 5, 10, clock=clock, sleep=clock.sleep, transient=is_down, answered=("Seen",)
    )
    assert (outcome.value, outcome.polls, outcome.timed_out) == ("Seen", 0, True)
    assert isinstance(outcome.error, Down)


def test_a_deadline_is_shared_by_the_waits_of_a_task():
    from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline

    clock = FakeClock()
    deadline = Deadline(timeout=60, interval=10, clock=clock, sleep=clock.sleep)
    assert deadline.figures == {}
    first = deadline.wait(lambda: clock.now, lambda now: now >= 140)
    assert not first.timed_out and deadline.figures == dict(polls=5, elapsed=40.0, timed_out=False)
    second = deadline.wait(lambda: clock.now, lambda now: False)
    # What was left of the 60 s: 20 s, polls at its start, after 10 s and at its end.
    assert second.timed_out and second.polls == 3
    assert deadline.figures == dict(polls=8, elapsed=60.0, timed_out=True)


def cut_after(values, clock):
    """Polls that answer ``values``, then one whose requests retried until the deadline (clock at 25)."""
    it = iter(values)

    def poll():
        try:
            return next(it)
        except StopIteration:
            clock.now = 125.0
            raise PollCutShort("throttled until wait_timeout") from None

    return poll


def test_a_poll_cut_short_by_the_deadline_ends_the_wait_timed_out_with_the_last_value():
    clock = FakeClock()
    outcome = wait_until(cut_after(["a"], clock), lambda v: False, 25, 10, clock=clock, sleep=clock.sleep)
    assert (outcome.value, outcome.polls, outcome.timed_out, outcome.elapsed) == ("a", 1, True, 25)
    assert outcome.error is None


def test_a_first_poll_cut_short_raises_there_being_nothing_to_return():
    clock = FakeClock()
    with pytest.raises(PollCutShort):
        wait_until(cut_after([], clock), lambda v: False, 25, 10, clock=clock, sleep=clock.sleep)
    outcome = wait_until(cut_after([], clock), lambda v: False, 25, 10, clock=clock, answered=("before",))
    assert (outcome.value, outcome.polls, outcome.timed_out) == ("before", 0, True)


def test_a_deadline_starts_at_its_first_left_and_never_goes_below_zero():
    from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline

    clock = FakeClock()
    deadline = Deadline(timeout=60, interval=10, clock=clock, sleep=clock.sleep)
    clock.now += 500  # time before the first call does not count
    assert deadline.left() == 60
    clock.now += 45
    assert deadline.left() == 15
    # A wait after it gets what is left: polls at its start, after 10 s and at its end (15 s).
    outcome = deadline.wait(lambda: clock.now, lambda now: False)
    assert outcome.timed_out and outcome.polls == 3 and clock.sleeps == [10, 5]
    assert deadline.figures == dict(polls=3, elapsed=60.0, timed_out=True)
    clock.now += 30
    assert deadline.left() == 0.0


def test_a_wait_cut_short_says_what_could_not_be_read_and_keeps_the_polls_before_it():
    from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline

    clock = FakeClock()
    deadline = Deadline(timeout=60, interval=10, clock=clock, sleep=clock.sleep)
    deadline.wait(lambda: clock.now, lambda now: now >= 120)  # an earlier wait of the task: 3 polls, 20 s
    clock.now += 40.4  # the next wait's first request retried until the deadline
    line = deadline.cut_short("custom model deployment bot", "throttled until wait_timeout")
    assert line == "Timed out after 60s before custom model deployment bot could be read: throttled until wait_timeout"
    assert deadline.figures == dict(polls=3, elapsed=60.4, timed_out=True)


def test_a_wait_cut_short_before_the_deadline_started_took_no_time():
    from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline

    clock = FakeClock()
    deadline = Deadline(timeout=60, interval=10, clock=clock, sleep=clock.sleep)
    assert deadline.cut_short("it", "why") == "Timed out after 0s before it could be read: why"
    assert deadline.figures == dict(polls=0, elapsed=0.0, timed_out=True)


def test_a_timed_out_line_keeps_its_parts_so_a_longer_wait_words_it_with_its_own_time():
    line = timed_out_message(20.4, " waiting for 1 model copy job(s): x")
    assert line == "Timed out after 20s waiting for 1 model copy job(s): x"
    result = wait_round(dict(polls=3, elapsed=20.4, timed_out=True, unreachable_polls=0, failed=True, msg=line), line)
    reported = WaitRound.of(result)
    assert reported == WaitRound(polls=3, elapsed=20.4, timed_out=True, unreachable_polls=0, timed_out_rest=line.rest)
    assert reported.message(61.2) == "Timed out after 61s waiting for 1 model copy job(s): x"


def test_a_line_not_made_by_timed_out_message_is_never_reworded():
    result = wait_round(dict(polls=1, elapsed=5.0, timed_out=True), "Timed out after 5s, said someone else")
    assert WaitRound.of(result).message(60) is None
    assert "unreachable_polls" not in result and WaitRound.of(result).unreachable_polls is None


@pytest.mark.parametrize("result", [dict(failed=True, msg="region: bad"), dict(changed=False, copies=[])])
def test_a_result_that_did_not_wait_reports_no_round_and_reads_as_one_that_did_not_wait(result):
    assert wait_round(dict(result)) == result
    assert WaitRound.of(result) == WaitRound() and not WaitRound().timed_out


def test_one_backoff_doubles_from_its_base_up_to_its_cap():
    assert [backoff_delay(n) for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert [backoff_delay(n, 0.5, 3) for n in (1, 2, 3, 4)] == [0.5, 1, 2, 3]


def test_a_timed_out_line_crosses_processes_as_a_plain_line():
    # Ansible pickles a task's result from its worker to its controller: a line that cannot be unpickled hangs it.
    line = timed_out_message(20, " waiting for x")
    copied = pickle.loads(pickle.dumps({"msg": line}))["msg"]
    assert copied == "Timed out after 20s waiting for x" and copied.__class__ is str
    assert WaitRound(timed_out_rest=" waiting for x").message(61).__class__ is str
