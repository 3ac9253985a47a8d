from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import wait_until


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
