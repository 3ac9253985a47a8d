# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This plugin_util is for internal use only: its API may change at any time without notice.

"""The controller side of ``wait: true``: one task, one banner, a progress line between rounds.

A module that waits cannot print anything until it returns. So the action plugin named like the module runs
it on the target one *round* at a time: the module with ``wait: true`` and a ``wait_timeout`` of at most one
report interval, which returns early when everything settled and says ``timed_out`` when the round ended
first. Between two rounds the action prints what is still pending (ProgressReporter) and pauses until the next
poll is due, so polls stay ``wait_sleep`` apart across rounds. The overall ``wait_timeout`` is the user's: the
last round ends with a poll at (just after) the overall deadline, as a single long wait would.

Without ``wait``, with options the action cannot read (the module then reports them), or with ``async``
(the task must leave at once) the module runs once, exactly as given.
"""

from __future__ import annotations

import dataclasses
import math
import re
from time import monotonic, sleep
from typing import Any, Callable

from ansible.module_utils.common.validation import check_type_int
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import unreachable_since_message, utc_before
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    MAX_REPORT_INTERVAL,
    wait_argument_spec,
)
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending, ProgressReporter

display = Display()

_TIMED_OUT = re.compile(r"^Timed out after \d+s")


# What a failed round says of an outage besides its msg (dropped from the last good round's facts it keeps).
OUTAGE_KEYS = ("failed", "msg", "exception", "endpoint_unreachable", "unreachable_since", "unreachable_polls")


@dataclasses.dataclass
class Outage:
    """An endpoint that stopped answering after the wait had read it: rounds ride it out until the deadline.

    A round is part of an outage when its module failed to connect (``endpoint_unreachable``) after a round or a
    poll before had succeeded: at its first request, or with its own polls still failing when its wait ended
    (``unreachable_since``). A round that ends by a successful poll ends the outage.
    """

    url: str = ""
    since: str | None = None  # when the first failed poll of the current outage was
    streak: int = 0  # failed polls (and rounds that failed at once) of the current outage
    rounds: int = 0  # rounds of the current outage
    total: int = 0  # failed polls of the whole wait

    @staticmethod
    def applies(latest: dict[str, Any], had_success: bool) -> bool:
        return (
            bool(latest.get("failed"))
            and "endpoint_unreachable" in latest
            and (had_success or bool(latest.get("unreachable_since")))
        )

    def record(self, latest: dict[str, Any], took: float) -> None:
        """Count a round of the outage; ``took`` is how long ago it started (when it failed at once, since then)."""
        failed = int(latest.get("unreachable_polls") or 1)
        self.url = str(latest.get("endpoint_unreachable") or self.url)
        self.since = self.since or latest.get("unreachable_since") or utc_before(took)
        self.streak += failed
        self.total += failed
        self.rounds += 1

    def recovered(self, latest: dict[str, Any]) -> None:
        self.total += int(latest.get("unreachable_polls") or 0)
        self.since, self.streak, self.rounds = None, 0, 0

    def note(self) -> str:
        return f"endpoint unreachable since {self.since} ({self.streak} poll(s) failed to connect)"

    def failure(self, facts: dict[str, Any]) -> dict[str, Any]:
        """The task's result when the deadline passed during the outage: the last good facts, failed."""
        kept = {key: value for key, value in facts.items() if key not in OUTAGE_KEYS}
        msg = unreachable_since_message(self.url, self.since or utc_before(0), self.streak)
        return dict(
            kept, failed=True, timed_out=True, msg=msg, endpoint_unreachable=self.url, unreachable_since=self.since
        )


@dataclasses.dataclass(frozen=True)
class WaitPlan:
    timeout: int  # wait_timeout: the whole wait
    sleep: int  # wait_sleep: from one poll to the next
    report: int  # wait_report_interval

    @property
    def round_length(self) -> int:
        """A round waits a whole number of polls (at least one) and at most one report interval when it can."""
        return self.sleep * max(1, self.report // self.sleep)


def wait_plan(args: dict[str, Any]) -> WaitPlan | None:
    """The wait the options ask for; None when they ask for none or cannot be read (the module says why)."""
    defaults = {name: spec.get("default") for name, spec in wait_argument_spec(progress=True).items()}
    try:
        if not boolean(args.get("wait", defaults["wait"]), strict=True):
            return None
        timeout, pause, report = (
            check_type_int(args.get(name, defaults[name]))
            for name in ("wait_timeout", "wait_sleep", "wait_report_interval")
        )
    except (TypeError, ValueError):
        return None
    if timeout <= 0 or pause <= 0 or not 0 < report <= MAX_REPORT_INTERVAL:
        return None
    return WaitPlan(timeout=timeout, sleep=pause, report=report)


class WaitAction(ActionBase):
    """Base of the action plugins of modules that take the amazon.bedrock.wait options.

    A subclass sets MODULE and says what is pending in a round's result (``pending``); a module whose later
    rounds should run another module (a create that must not run twice) overrides ``next_round`` and
    ``merge_round``.
    """

    MODULE = ""  # the module's FQCN
    # What the task's result keeps from the first round: what it changed (a later round only waits).
    KEEP_FROM_FIRST: tuple[str, ...] = ()
    _supports_check_mode = True
    _supports_async = True

    # Injectable for unit tests.
    _clock: Callable[[], float] = staticmethod(monotonic)
    _sleep: Callable[[float], None] = staticmethod(sleep)
    _display: Display = display

    def pending(self, result: dict[str, Any]) -> Pending:
        raise NotImplementedError

    def next_round(self, first: dict[str, Any], args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        """The module and arguments of the rounds after the first."""
        return self.MODULE, args

    def merge_round(self, first: dict[str, Any], latest: dict[str, Any]) -> dict[str, Any]:
        """The task's result after ``latest``; the first round's result is ``first``."""
        return dict(latest, **{key: first[key] for key in self.KEEP_FROM_FIRST if key in first})

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        del tmp
        args = dict(self._task.args)
        plan = wait_plan(args)
        wrap_async = bool(self._task.async_val) and not self._connection.has_native_async
        try:
            if plan is None or self._task.async_val:
                result.update(
                    self._execute_module(
                        module_name=self.MODULE, module_args=args, task_vars=task_vars, wrap_async=wrap_async
                    )
                )
            else:
                result.update(self._wait(args, plan, task_vars or {}))
        finally:
            if not wrap_async:
                self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def _reporter(self, plan: WaitPlan, task_vars: dict[str, Any]) -> ProgressReporter:
        host = task_vars.get("inventory_hostname")
        name = self.MODULE.rsplit(".", 1)[-1]
        return ProgressReporter(
            name=f"[{host}] {name}" if host else name,
            timeout=plan.timeout,
            interval=plan.report,
            show=self._display.display,
            show_verbose=self._display.v,
            counts_only=bool(self._task.no_log),
        )

    def _wait(self, args: dict[str, Any], plan: WaitPlan, task_vars: dict[str, Any]) -> dict[str, Any]:
        reporter = self._reporter(plan, task_vars)
        start = self._clock()
        module, round_args = self.MODULE, args
        first: dict[str, Any] | None = None
        not_waiting = 0.0
        polls = 0
        overhead = 0.0  # what the last round cost outside the module's wait: starting the module, and ending it
        changed = False
        warnings: list[Any] = []
        deprecations: list[Any] = []
        outage = Outage()
        while True:
            # The round that can reach the deadline is the last: its module's wait is planned to end there (its
            # start, which the last round's overhead estimates, is not part of it), and its verdict is the task's.
            wanted = math.ceil(plan.timeout - (self._clock() - start) - overhead)
            last = wanted <= plan.round_length
            round_timeout = max(1, min(plan.round_length, wanted))
            began = self._clock()
            latest = self._execute_module(
                module_name=module,
                module_args=dict(round_args, wait=True, wait_timeout=round_timeout),
                task_vars=task_vars,
            )
            took = self._clock() - began
            polls += int(latest.get("polls") or 0)
            changed = changed or bool(latest.get("changed"))
            warnings += [w for w in latest.get("warnings") or [] if w not in warnings]
            deprecations += [d for d in latest.get("deprecations") or [] if d not in deprecations]
            if Outage.applies(latest, first is not None):
                # A passing outage, never a verdict: the facts stay the last good round's.
                outage.record(latest, took)
                if first is None:
                    first = {key: value for key, value in latest.items() if key not in OUTAGE_KEYS}
                    not_waiting = max(0.0, took - float(latest.get("elapsed") or 0.0))
                    outcome = self.merge_round(first, first)
                elapsed = self._clock() - start
                # A round that failed at its first request did not wait: only the deadline, or a last round that
                # polled to its end, decides.
                if elapsed >= plan.timeout or (last and latest.get("unreachable_since")):
                    outcome = outage.failure(outcome)
                    break
                pending = dataclasses.replace(self.pending(outcome), note=outage.note())
                reporter.report(pending, elapsed)
                module, round_args = self.next_round(first, args)
                retry_in = min(plan.sleep, 2.0 ** (outage.rounds - 1))
                self._pause(min(retry_in, plan.timeout - elapsed), reporter, pending, start)
                continue
            if "unreachable_polls" in latest:
                outage.recovered(latest)
            # A round whose every poll ran into its deadline (a request throttled or failing until then) read
            # nothing: it timed out like any round, and the facts stay the last good round's.
            read_nothing = bool(latest.get("timed_out")) and not latest.get("polls") and first is not None
            if first is None:
                first = latest
                # Starting and ending the first module run is not waiting: the wait is from its first poll on.
                not_waiting = max(0.0, took - float(latest.get("elapsed") or 0.0))
            if not read_nothing:
                outcome = self.merge_round(first, latest)
            elapsed = self._clock() - start
            # Settled, failed, an error, or no wait at all (nothing to wait for): the verdict is in.
            if not latest.get("timed_out") or last or elapsed >= plan.timeout:
                break
            pending = self.pending(outcome)
            reporter.report(pending, elapsed)
            module, round_args = self.next_round(first, args)
            # The round's last poll was at its end; the next round starts with a poll, due one wait_sleep later,
            # less what a round costs outside its wait.
            overhead = max(0.0, took - float(latest.get("elapsed") or 0.0))
            self._pause(min(plan.sleep - overhead, plan.timeout - elapsed), reporter, pending, start)
        waited = self._clock() - start - not_waiting
        if "unreachable_polls" in outcome or outage.total:
            outcome = dict(outcome, unreachable_polls=outage.total)
        return self._finish(outcome, first, plan.timeout, polls, changed, warnings, deprecations, waited)

    def _pause(self, seconds: float, reporter: ProgressReporter, pending: Pending, start: float) -> None:
        """Sleep, still printing a line each report interval (when wait_sleep is the longer)."""
        end = self._clock() + seconds
        while (left := end - self._clock()) > 0.001:
            self._sleep(min(left, reporter.interval))
            reporter.report(pending, self._clock() - start)

    @staticmethod
    def _finish(
        outcome: dict[str, Any],
        first: dict[str, Any],
        timeout: int,
        polls: int,
        changed: bool,
        warnings: list[Any],
        deprecations: list[Any],
        elapsed: float,
    ) -> dict[str, Any]:
        outcome = dict(outcome, changed=changed, polls=polls, elapsed=round(elapsed, 1))
        if warnings:
            outcome["warnings"] = warnings
        if deprecations:
            outcome["deprecations"] = deprecations
        msg = outcome.get("msg")
        if outcome.get("failed") and isinstance(msg, str):
            outcome["msg"] = _TIMED_OUT.sub(f"Timed out after {elapsed:.0f}s", msg)
        # The task was invoked with the user's arguments, not with a round's.
        invocation = first.get("invocation")
        if isinstance(invocation, dict) and isinstance(invocation.get("module_args"), dict):
            module_args = dict(invocation["module_args"])
            module_args["wait_timeout"] = timeout
            outcome["invocation"] = dict(invocation, module_args=module_args)
        return outcome
