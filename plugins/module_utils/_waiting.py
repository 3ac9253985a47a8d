# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""The poll loop. It calls the functions it is given and knows nothing of Bedrock."""

from __future__ import annotations

import dataclasses
from time import monotonic as _monotonic
from time import sleep as _sleep
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


@dataclasses.dataclass(frozen=True)
class WaitOutcome(Generic[T]):
    value: T
    polls: int
    elapsed: float
    timed_out: bool


def wait_until(
    poll: Callable[[], T],
    done: Callable[[T], bool],
    timeout: float,
    interval: float,
    clock: Callable[[], float] | None = None,
    sleep: Callable[[float], None] | None = None,
    backoff: float = 1.0,
) -> WaitOutcome[T]:
    """Poll until ``done`` or until ``timeout`` seconds have passed.

    Polls start ``interval`` seconds apart (at once after a poll that took longer), so a change is
    seen at most ``interval`` plus one poll after it happened; with ``backoff`` above 1 each pause is
    that many times the one before. The last poll happens at the deadline, never after it, so the
    wait lasts at most ``timeout`` plus one poll. An exception from ``poll`` ends the wait: it is
    never mistaken for success.
    """
    clock = clock or _monotonic
    sleep = sleep or _sleep
    start = clock()
    polls = 0
    while True:
        poll_started = clock()
        value = poll()
        polls += 1
        now = clock()
        elapsed = now - start
        if done(value):
            return WaitOutcome(value, polls, elapsed, timed_out=False)
        remaining = timeout - elapsed
        if remaining <= 0:
            return WaitOutcome(value, polls, elapsed, timed_out=True)
        pause = min(interval - (now - poll_started), remaining)
        interval *= backoff
        if pause > 0:
            sleep(pause)
