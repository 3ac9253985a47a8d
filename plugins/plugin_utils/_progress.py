# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_util is for internal use only: its API may change at any time without notice.

"""Progress lines of a long wait, in the spirit of Terraform's ``Still creating... [1m0s elapsed]``.

The reporter knows nothing of Bedrock: it is given, after each round of waiting, what is still pending
(one short label each, such as ``us-east-1 prod-model (InProgress)``) and decides whether a line is due.
"""

from __future__ import annotations

import dataclasses
from typing import Callable


def duration(seconds: float) -> str:
    """Seconds the way Terraform shows them: ``45s``, ``1m0s``, ``1h2m3s``."""
    total = max(0, int(seconds))
    hours, rest = divmod(total, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}h{minutes}m{secs}s"
    if minutes:
        return f"{minutes}m{secs}s"
    return f"{secs}s"


@dataclasses.dataclass(frozen=True)
class Pending:
    """What one round left unsettled: ``labels`` of the pending items out of ``total`` (a plural noun)."""

    labels: tuple[str, ...]
    total: int
    noun: str
    details: tuple[str, ...] = ()  # longer lines for -v: every item with its status and ARN
    note: str = ""  # what else the wait is riding out (an unreachable endpoint), said after the items

    def line(self, counts_only: bool) -> str:
        return f"{self._items(counts_only)}; {self.note}" if self.note else self._items(counts_only)

    def _items(self, counts_only: bool) -> str:
        if self.total == 0:
            return f"no {self.noun} found yet"
        head = f"{len(self.labels)} of {self.total} {self.noun} pending"
        if counts_only or not self.labels:
            return head
        return f"{head}: {', '.join(self.labels)}"


@dataclasses.dataclass(eq=False)
class ProgressReporter:
    """Prints one line when what is pending changed, or when ``interval`` seconds passed since the last line.

    ``show`` prints at default verbosity, ``show_verbose`` at -v and above (Display.display and Display.v).
    With ``counts_only`` (the task has no_log) a line names no item, only how many are pending.
    """

    name: str
    timeout: float
    interval: float
    show: Callable[[str], None]
    show_verbose: Callable[[str], None]
    counts_only: bool = False
    lines: int = dataclasses.field(default=0, init=False)
    _last_at: float | None = dataclasses.field(default=None, init=False)
    _last_state: Pending | None = dataclasses.field(default=None, init=False)

    def due(self, pending: Pending, elapsed: float) -> bool:
        if self._last_at is None or self._last_state is None:
            return True
        return pending != self._last_state or elapsed - self._last_at >= self.interval

    def report(self, pending: Pending, elapsed: float) -> bool:
        """Print a line if one is due; returns whether it printed."""
        if not self.due(pending, elapsed):
            return False
        self.show(
            f"{self.name}: Still waiting... [{duration(elapsed)} elapsed, timeout {duration(self.timeout)}]"
            f" {pending.line(self.counts_only)}"
        )
        if not self.counts_only:
            for detail in pending.details:
                self.show_verbose(f"{self.name}:   {detail}")
        self.lines += 1
        self._last_at = elapsed
        self._last_state = pending
        return True
