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
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import WAIT_ROUND, WaitRound, backoff_delay
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending, ProgressReporter

display = Display()

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
        failed = WaitRound.of(latest).unreachable_polls or 1
        self.url = str(latest.get("endpoint_unreachable") or self.url)
        self.since = self.since or latest.get("unreachable_since") or utc_before(took)
        self.streak += failed
        self.total += failed
        self.rounds += 1

    def recovered(self, latest: dict[str, Any]) -> None:
        self.total += WaitRound.of(latest).unreachable_polls or 0
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
                result.pop(WAIT_ROUND, None)  # the module's word to this plugin, not the task's result
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
        rounds = WaitRounds(plan, self._clock, self.pending, self.merge_round)
        module, round_args = self.MODULE, args
        while True:
            round_timeout = rounds.round_timeout()
            began = self._clock()
            latest = self._execute_module(
                module_name=module,
                module_args=dict(round_args, wait=True, wait_timeout=round_timeout),
                task_vars=task_vars,
            )
            after = rounds.step(latest, self._clock() - began)
            if after is None:
                return rounds.verdict()
            reporter.report(after.pending, after.elapsed)
            module, round_args = self.next_round(rounds.first or {}, args)
            self._pause(after.pause, reporter, after.pending, rounds.start)

    def _pause(self, seconds: float, reporter: ProgressReporter, pending: Pending, start: float) -> None:
        """Sleep, still printing a line each report interval (when wait_sleep is the longer)."""
        end = self._clock() + seconds
        while (left := end - self._clock()) > 0.001:
            self._sleep(min(left, reporter.interval))
            reporter.report(pending, self._clock() - start)


@dataclasses.dataclass(frozen=True)
class Next:
    """Another round is due after ``pause`` seconds; meanwhile the progress lines show ``pending``, ``elapsed``
    seconds into the wait."""

    pause: float
    pending: Pending
    elapsed: float


class WaitRounds:
    """One wait over rounds, as a state machine: ``round_timeout()`` is how long the next round's module waits;
    ``step(latest, took)`` takes that round's result (its ``WaitRound``) and says what comes next: ``Next`` (a
    pause, then another round) or None, when the verdict is in; ``verdict()`` is then the task's result, with its
    message worded by the plugin from the round's parts (the whole wait's time, not a round's)."""

    def __init__(
        self,
        plan: WaitPlan,
        clock: Callable[[], float],
        pending: Callable[[dict[str, Any]], Pending],
        merge: Callable[[dict[str, Any], dict[str, Any]], dict[str, Any]],
    ) -> None:
        self.plan, self._clock, self._pending, self._merge = plan, clock, pending, merge
        self.start = clock()
        self.first: dict[str, Any] | None = None
        self.outcome: dict[str, Any] = {}
        self.worded: WaitRound | None = None  # the round whose result the outcome is (its failure line's parts)
        self.not_waiting = 0.0  # starting and ending the first module run is not waiting
        self.polls = 0
        self.overhead = 0.0  # what the last round cost outside the module's wait: starting the module, and ending it
        self.last = False
        self.changed = False
        self.warnings: list[Any] = []
        self.deprecations: list[Any] = []
        self.outage = Outage()

    def round_timeout(self) -> int:
        # The round that can reach the deadline is the last: its module's wait is planned to end there (its start,
        # which the last round's overhead estimates, is not part of it), and its verdict is the task's.
        wanted = math.ceil(self.plan.timeout - (self._clock() - self.start) - self.overhead)
        self.last = wanted <= self.plan.round_length
        return max(1, min(self.plan.round_length, wanted))

    def step(self, latest: dict[str, Any], took: float) -> Next | None:
        reported = WaitRound.of(latest)
        self.polls += reported.polls
        self.changed = self.changed or bool(latest.get("changed"))
        self.warnings += [w for w in latest.get("warnings") or [] if w not in self.warnings]
        self.deprecations += [d for d in latest.get("deprecations") or [] if d not in self.deprecations]
        if Outage.applies(latest, self.first is not None):
            return self._outage_step(latest, reported, took)
        if reported.unreachable_polls is not None:
            self.outage.recovered(latest)
        # A round whose every poll ran into its deadline (a request throttled or failing until then) read nothing:
        # it timed out like any round, and the facts stay the last good round's.
        read_nothing = reported.timed_out and not reported.polls and self.first is not None
        if self.first is None:
            self.first = latest
            self.not_waiting = max(0.0, took - reported.elapsed)
        if not read_nothing:
            self.outcome, self.worded = self._merge(self.first, latest), reported
        elapsed = self._clock() - self.start
        # Settled, failed, an error, or no wait at all (nothing to wait for): the verdict is in. So is a timeout at
        # the deadline; but a last round that ended before it (planned too short: the round before it cost more to
        # start than this one, on a loaded machine) leaves time, however little: never a verdict before
        # wait_timeout, another round waits out the rest.
        if not reported.timed_out or elapsed >= self.plan.timeout:
            return None
        pending = self._pending(self.outcome)
        # The round's last poll was at its end; the next round starts with a poll, due one wait_sleep later, less
        # what a round costs outside its wait.
        self.overhead = max(0.0, took - reported.elapsed)
        return Next(min(self.plan.sleep - self.overhead, self.plan.timeout - elapsed), pending, elapsed)

    def _outage_step(self, latest: dict[str, Any], reported: WaitRound, took: float) -> Next | None:
        """A passing outage, never a verdict: the facts stay the last good round's."""
        self.outage.record(latest, took)
        if self.first is None:
            self.first = {key: value for key, value in latest.items() if key not in OUTAGE_KEYS}
            self.not_waiting = max(0.0, took - reported.elapsed)
            self.outcome, self.worded = self._merge(self.first, self.first), None
        elapsed = self._clock() - self.start
        # A round that failed at its first request did not wait: only the deadline, or a last round that polled to
        # its end, decides.
        if elapsed >= self.plan.timeout or (self.last and latest.get("unreachable_since")):
            self.outcome, self.worded = self.outage.failure(self.outcome), None
            return None
        pending = dataclasses.replace(self._pending(self.outcome), note=self.outage.note())
        retry_in = backoff_delay(self.outage.rounds, cap=self.plan.sleep)
        return Next(min(retry_in, self.plan.timeout - elapsed), pending, elapsed)

    def verdict(self) -> dict[str, Any]:
        """The task's result: the outcome with the whole wait's figures, warnings and message."""
        elapsed = self._clock() - self.start - self.not_waiting
        outcome = {key: value for key, value in self.outcome.items() if key != WAIT_ROUND}
        if "unreachable_polls" in outcome or self.outage.total:
            outcome["unreachable_polls"] = self.outage.total
        outcome.update(changed=self.changed, polls=self.polls, elapsed=round(elapsed, 1))
        if self.warnings:
            outcome["warnings"] = self.warnings
        if self.deprecations:
            outcome["deprecations"] = self.deprecations
        msg = self.worded.message(elapsed) if self.worded and outcome.get("failed") else None
        if msg is not None:
            outcome["msg"] = msg
        # The task was invoked with the user's arguments, not with a round's.
        invocation = (self.first or {}).get("invocation")
        if isinstance(invocation, dict) and isinstance(invocation.get("module_args"), dict):
            module_args = dict(invocation["module_args"])
            module_args["wait_timeout"] = self.plan.timeout
            outcome["invocation"] = dict(invocation, module_args=module_args)
        return outcome
