# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""The poll loop. It calls the functions it is given and knows nothing of Bedrock."""

from __future__ import annotations

import dataclasses
from time import monotonic as _monotonic
from time import sleep as _sleep
from typing import Any, Callable, Generic, TypeVar

T = TypeVar("T")


def backoff_delay(failed: int, base: float = 1.0, cap: float = float("inf")) -> float:
    """The collection's one backoff: ``base`` after the first failure, doubling with each one after it, at most
    ``cap`` (the poll loop, request retries, the event source's polls and the action plugin's rounds)."""
    return min(cap, base * 2.0 ** (failed - 1))


class PollCutShort(Exception):
    """Raised by a poll that could not finish before the wait's deadline (its requests retried until then).

    The wait then ends as at its timeout, with what the last successful poll read; with no such poll it raises.
    """


@dataclasses.dataclass(frozen=True)
class WaitOutcome(Generic[T]):
    value: T  # what the last successful poll returned
    polls: int  # successful polls
    elapsed: float
    timed_out: bool
    failed_polls: int = 0  # polls that raised an error the wait rode out (see ``transient``)
    error: BaseException | None = None  # that error, when the polls were still failing as the wait ended
    failing_for: float = 0.0  # since when (seconds before the end) they were failing, when ``error`` is set


def wait_until(
    poll: Callable[[], T],
    done: Callable[[T], bool],
    timeout: float,
    interval: float,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
    backoff: float = 1.0,
    transient: Callable[[BaseException], bool] | None = None,
    answered: tuple[T] | None = None,
) -> WaitOutcome[T]:
    """Poll until ``done`` or until ``timeout`` seconds have passed.

    Polls start ``interval`` seconds apart (at once after a poll that took longer), so a change is
    seen at most ``interval`` plus one poll after it happened; with ``backoff`` above 1 each pause is
    that many times the one before. The last poll happens at the deadline, never after it, so the
    wait lasts at most ``timeout`` plus one poll. An exception from ``poll`` ends the wait: it is
    never mistaken for success. A PollCutShort, once a poll has succeeded (or with ``answered``), ends it
    timed out: the deadline passed during that poll.

    Except, once a poll has succeeded (or from the start, when ``answered`` holds what a request before the
    wait read, as a 1-tuple), an exception ``transient`` accepts (a passing outage): that poll
    counts as failed, the value stays what the last successful poll returned (``done`` is asked only
    about fresh values), and the next poll comes 1, 2, 4 ... seconds later (at most ``interval`` apart)
    until the deadline. If the polls still fail then, the outcome carries the last ``error``.
    """
    clock = clock or _monotonic
    sleep = sleep or _sleep
    start = clock()
    polls = failed = streak = 0
    failing_since = 0.0
    error: BaseException | None = None
    value: T
    if answered:
        value = answered[0]
    while True:
        poll_started = clock()
        try:
            value = poll()
        except Exception as e:
            if isinstance(e, PollCutShort) and (polls or answered):
                return WaitOutcome(value, polls, clock() - start, True, failed)
            if not (polls or answered) or transient is None or not transient(e):
                raise
            failed += 1
            streak += 1
            if error is None:
                failing_since = poll_started
            error = e
        else:
            polls += 1
            streak = 0
            error = None
        now = clock()
        elapsed = now - start
        if error is None and done(value):
            return WaitOutcome(value, polls, elapsed, False, failed)
        remaining = timeout - elapsed
        if remaining <= 0:
            failing_for = now - failing_since if error is not None else 0.0
            return WaitOutcome(value, polls, elapsed, True, failed, error, failing_for)
        wanted = backoff_delay(streak, cap=interval) if error is not None else interval
        pause = min(wanted - (now - poll_started), remaining)
        interval *= backoff
        if pause > 0:
            sleep(pause)


def now() -> float:
    """The poll loop's clock (``wait_until`` uses it unless given another), for a caller that spans several waits."""
    return _monotonic()


class Deadline:
    """The waits of one task against one deadline: ``timeout`` seconds from the first poll of its first wait, so a
    wait before a change and the wait after it last ``timeout`` in all.

    ``figures`` are what the task's result says of its waits: polls (summed), elapsed (from that first poll) and
    timed_out (of the last wait); empty while it has not waited. ``clock`` and ``sleep`` default to the poll
    loop's own, read when called.
    """

    def __init__(
        self,
        timeout: float,
        interval: float,
        clock: Callable[[], float] | None = None,
        sleep: Callable[[float], None] | None = None,
    ) -> None:
        self.timeout, self.interval = timeout, interval
        self.clock, self.sleep = clock, sleep
        self.started: float | None = None
        self.figures: dict[str, float | int | bool] = {}

    def left(self) -> float:
        """Seconds left (0 once the deadline passed); the deadline starts with the first call of this or ``wait``.

        A poll's requests retry for this long and no longer (see ``PollCutShort``)."""
        clock = self.clock or now
        if self.started is None:
            self.started = clock()
        return max(0.0, self.timeout - (clock() - self.started))

    def wait(self, poll: Callable[[], T], done: Callable[[T], bool]) -> WaitOutcome[T]:
        """``wait_until`` for at most what is left of the deadline (at least one poll, at its end)."""
        clock = self.clock or now
        outcome = wait_until(poll, done, self.left(), self.interval, self.clock, self.sleep)
        polls = int(self.figures.get("polls", 0)) + outcome.polls
        self.figures = dict(polls=polls, elapsed=round(self._elapsed(clock), 1), timed_out=outcome.timed_out)
        return outcome

    def cut_short(self, what: str, why: str) -> str:
        """The line of a wait none of whose polls could read ``what`` before the deadline (``why``: the request
        that was still being retried then); its figures then say it timed out."""
        elapsed = self._elapsed(self.clock or now)
        self.figures = dict(polls=int(self.figures.get("polls", 0)), elapsed=round(elapsed, 1), timed_out=True)
        return timed_out_message(elapsed, f" before {what} could be read: {why}")

    def _elapsed(self, clock: Callable[[], float]) -> float:
        now_ = clock()
        return now_ - (self.started if self.started is not None else now_)


class TimedOut(str):
    """A wait's failure line that starts with how long it waited; ``rest`` is the line after that, so that one who
    waited longer (the action plugin, over rounds) words the same line with its own time."""

    rest: str

    def __new__(cls, elapsed: float, rest: str) -> TimedOut:
        line = super().__new__(cls, f"Timed out after {elapsed:.0f}s{rest}")
        line.rest = rest
        return line

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled (a task result crossing from Ansible's worker to its controller), it is the line, a plain str.
        return (str, (str(self),))


def timed_out_message(elapsed: float, rest: str) -> TimedOut:
    """Every "Timed out after Ns..." line of the collection is made here."""
    return TimedOut(elapsed, rest)


WAIT_ROUND = "wait_round"  # the result key of the contract between a waiting module and its action plugin


@dataclasses.dataclass(frozen=True)
class WaitRound:
    """What a module that waited tells its action plugin, which runs it one round at a time: how many polls read,
    how long it waited, whether its time ran out first (else what it waited for settled, or it failed), the polls
    that could not connect, and, when it failed for lack of time, its failure line after "Timed out after Ns"."""

    polls: int = 0
    elapsed: float = 0.0
    timed_out: bool = False
    unreachable_polls: int | None = None
    timed_out_rest: str | None = None

    def as_result(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def of(cls, result: dict[str, Any]) -> WaitRound:
        """The round a module's result reports; a result without one (the module failed before waiting, or had
        nothing to wait for) is a round that did not wait."""
        reported = result.get(WAIT_ROUND)
        if not isinstance(reported, dict):
            return cls()
        return cls(**{field.name: reported[field.name] for field in dataclasses.fields(cls) if field.name in reported})

    def message(self, elapsed: float) -> str | None:
        """The round's failure line worded with ``elapsed`` (the whole wait's), when it failed for lack of time."""
        return None if self.timed_out_rest is None else str(timed_out_message(elapsed, self.timed_out_rest))


def wait_round(result: dict[str, Any], msg: Any = None) -> dict[str, Any]:
    """``result`` (a waiting module's, with its wait's figures) with the WaitRound its action plugin reads; ``msg``:
    the line the module fails with, if it does."""
    if "timed_out" not in result:
        return result
    unreachable = result.get("unreachable_polls")
    reported = WaitRound(
        polls=int(result.get("polls") or 0),
        elapsed=float(result.get("elapsed") or 0.0),
        timed_out=bool(result["timed_out"]),
        unreachable_polls=None if unreachable is None else int(unreachable),
        timed_out_rest=msg.rest if isinstance(msg, TimedOut) else None,
    )
    return dict(result, **{WAIT_ROUND: reported.as_result()})
