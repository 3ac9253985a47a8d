"""The action plugins' rounds against a simulated module and a fake clock (no sleeps, no target)."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import pytest

from ansible_collections.amazon.bedrock.plugins.action import model_copy_info, model_copy_job, model_copy_job_info
from ansible_collections.amazon.bedrock.plugins.module_utils._gate import gate_verdict
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import timed_out_message, wait_round
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitPlan, wait_plan

SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
STARTUP = 0.6  # a module run's cost before its first poll
TEARDOWN = 0.2  # and after its last


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds > 0
        self.now += seconds


class Display:
    def __init__(self) -> None:
        self.lines: list[str] = []
        self.verbose: list[str] = []

    def display(self, msg: str) -> None:
        self.lines.append(msg)

    def v(self, msg: str) -> None:
        self.verbose.append(msg)


class World:
    """Copies that complete at given clock times; simulates the modules' own wait (wait_until)."""

    def __init__(
        self,
        clock: Clock,
        done_at: dict[str, float | None],
        fail: set[str] = frozenset(),
        startup: float = STARTUP,
        teardown: float = TEARDOWN,
    ) -> None:
        self.clock = clock
        self.startup = startup
        self.teardown = teardown
        self.done_at = done_at
        self.fail = fail
        self.polls: list[float] = []
        self.calls: list[tuple[str, dict[str, Any]]] = []

    def status(self, name: str) -> str:
        at = self.done_at[name]
        if at is None or self.clock.now < at:
            return "InProgress"
        return "Failed" if name in self.fail else "Completed"

    def copies(self) -> list[dict[str, Any]]:
        return [
            dict(
                region="us-east-1",
                target_model_name=name,
                status=self.status(name),
                job_arn=f"arn-{name}",
                target_model_arn=f"model-{name}" if self.status(name) == "Completed" else None,
            )
            for name in self.done_at
        ]

    def wait(self, timeout: int, sleep: int) -> tuple[list[dict[str, Any]], int, float, bool]:
        self.clock.now += self.startup
        start = self.clock.now
        polls = 0
        while True:
            self.polls.append(self.clock.now)
            copies = self.copies()
            polls += 1
            if all(c["status"] != "InProgress" for c in copies):
                return copies, polls, self.clock.now - start, False
            remaining = timeout - (self.clock.now - start)
            if remaining <= 1e-9:  # float sums: a remainder this small would never advance the clock
                return copies, polls, self.clock.now - start, True
            self.clock.now += min(sleep, remaining)

    def execute(self, module_name=None, module_args=None, task_vars=None, wrap_async=False, **_kwargs):
        self.calls.append((module_name, dict(module_args, _wrap_async=wrap_async)))
        bad = invalid_wait_option(module_args)
        if bad:
            self.clock.now += STARTUP + TEARDOWN
            return dict(failed=True, msg=f"{bad}: invalid value")
        if not module_args.get("wait"):
            self.clock.now += STARTUP + TEARDOWN
            return dict(changed=False, copies=self.copies(), invocation=dict(module_args=module_args))
        copies, polls, elapsed, timed_out = self.wait(
            module_args.get("wait_timeout", 1800), module_args.get("wait_sleep", 30)
        )
        self.clock.now += self.teardown
        result: dict[str, Any] = dict(
            changed=False,
            polls=polls,
            elapsed=round(elapsed, 1),
            timed_out=timed_out,
            invocation=dict(module_args=dict(module_args, secret_key="VALUE_SPECIFIED_IN_NO_LOG_PARAMETER")),
        )
        failed = [c for c in copies if c["status"] == "Failed"]
        if module_name.endswith("model_copy_info"):
            # The module words the gate with its round's timeout.
            result.update(copies=copies, gate=gate_verdict(copies, module_args.get("wait_timeout", 1800)))
        else:
            jobs = [
                dict(job_arn=c["job_arn"], target_model_name=c["target_model_name"], status=c["status"]) for c in copies
            ]
            if module_name.endswith("model_copy_job"):
                result.update(model_copy_job=jobs[0], changed=True, client_request_token="tok")
            else:
                result["model_copy_jobs"] = jobs
        if failed:
            result.update(failed=True, msg="1 model copy job(s) failed: boom")
        elif timed_out:
            result.update(failed=True, msg=timed_out_message(elapsed, " waiting for 1 model copy job(s): x"))
        return wait_round(result, result.get("msg"))


def invalid_wait_option(args: dict[str, Any]) -> str | None:
    """The option the module would reject first, as its validation does (a simplified copy of the rules)."""
    for name, low, high in (("wait_timeout", 1, None), ("wait_sleep", 1, None), ("wait_report_interval", 1, 60)):
        value = args.get(name)
        if value is None:
            continue
        if not isinstance(value, int) or value < low or (high is not None and value > high):
            return name
    return None


def action(cls, args, world: World, clock: Clock, no_log=False, async_val=0, check_mode=False):
    task = MagicMock()
    task.args = args
    task.async_val = async_val
    task.no_log = no_log
    task.check_mode = check_mode
    task.action = cls.MODULE
    connection = MagicMock()
    connection.has_native_async = False
    connection._shell.tmpdir = None
    plugin = cls(task, connection, MagicMock(), None, None, None)
    plugin._execute_module = world.execute
    plugin._remove_tmp_path = MagicMock()
    plugin._early_needs_tmp_path = MagicMock(return_value=False)
    plugin._clock = clock
    plugin._sleep = clock.sleep
    display = Display()
    plugin._display = display
    return plugin, display


def copies_args(**wait):
    return dict(
        copies=[dict(source_model_arn="arn", target_model_name="prod")], access_key="AKIA", secret_key=SECRET, **wait
    )


def run_info(done_at, no_log=False, **wait):
    clock = Clock()
    world = World(clock, done_at)
    plugin, display = action(model_copy_info.ActionModule, copies_args(**wait), world, clock, no_log=no_log)
    start = clock.now
    result = plugin.run(task_vars=dict(inventory_hostname="ctl"))
    return result, world, display, clock.now - start


def test_the_gate_s_verdict_names_the_whole_wait_s_timeout_not_a_round_s():
    result, world, _display, _took = run_info(
        {"prod": None}, wait=True, wait_timeout=25, wait_sleep=2, wait_report_interval=10
    )
    assert len(world.calls) > 1
    assert result["gate"]["open"] is False
    assert result["gate"]["blocking"] == [
        "us-east-1 prod: InProgress - still copying when the 25s timeout passed (job arn-prod)"
    ]


@pytest.mark.parametrize(
    ("status", "pending"),
    [
        *[(status, True) for status in ("InProgress", "Missing", "Deleted", "ModelCreating")],
        *[(status, False) for status in ("Completed", "Failed", "ModelFailed")],
    ],
)
def test_a_copy_whose_model_is_creating_is_pending_and_a_failed_model_is_not(status, pending):
    copies = [dict(region="us-east-1", target_model_name="prod", status=status, job_arn="arn-prod")]
    plugin, _display = action(model_copy_info.ActionModule, copies_args(), World(Clock(), {}), Clock())
    assert bool(plugin.pending(dict(copies=copies)).labels) is pending


def test_progress_lines_name_the_account_only_where_the_copies_span_several():
    plugin, _display = action(model_copy_info.ActionModule, copies_args(), World(Clock(), {}), Clock())

    def copy(account: str) -> dict:
        return dict(region="us-east-1", target_model_name="prod", status="InProgress", job_arn="j", account_id=account)

    one = plugin.pending(dict(copies=[copy("111111111111"), copy("111111111111")]))
    assert one.labels == ("us-east-1 prod (InProgress)",) * 2
    two = plugin.pending(dict(copies=[copy("111111111111"), copy("222222222222")]))
    assert two.labels == ("111111111111 us-east-1 prod (InProgress)", "222222222222 us-east-1 prod (InProgress)")
    assert two.details[1] == "222222222222 us-east-1 prod: InProgress (job j)"


def test_without_wait_the_module_runs_once_as_given():
    result, world, display, _took = run_info({"prod": None})
    assert [name for name, _args in world.calls] == ["amazon.bedrock.model_copy_info"]
    assert "wait_timeout" not in world.calls[0][1]
    assert result["copies"][0]["status"] == "InProgress"
    assert display.lines == []


def test_async_passes_through_without_rounds():
    clock = Clock()
    world = World(clock, {"prod": None})
    args = copies_args(wait=True, wait_timeout=30, wait_sleep=2, wait_report_interval=10)
    plugin, display = action(model_copy_info.ActionModule, args, world, clock, async_val=60)
    result = plugin.run(task_vars={})
    assert len(world.calls) == 1
    assert result["timed_out"] is True and result["polls"] == 16  # the module waited the whole 30 s itself
    assert world.calls[0][1]["_wrap_async"] is True
    assert world.calls[0][1]["wait_timeout"] == 30
    assert display.lines == []
    plugin._remove_tmp_path.assert_not_called()


@pytest.mark.parametrize("bad", [dict(wait_report_interval=61), dict(wait_report_interval=0), dict(wait_sleep="x")])
def test_options_it_cannot_read_go_to_the_module_once(bad):
    result, world, display, _took = run_info({"prod": None}, wait=True, **bad)
    assert len(world.calls) == 1 and world.calls[0][1].items() >= bad.items()
    # The module's own message names the option; the action adds nothing.
    assert result["failed"] and result["msg"].startswith(next(iter(bad)))
    assert display.lines == []


def test_plan_rounds_whole_polls_within_the_report_interval():
    assert wait_plan(dict(wait="yes", wait_timeout="40", wait_sleep=2, wait_report_interval=10)) == WaitPlan(40, 2, 10)
    assert WaitPlan(40, 2, 10).round_length == 10
    assert WaitPlan(40, 3, 10).round_length == 9
    assert WaitPlan(40, 45, 30).round_length == 45
    assert wait_plan(dict(wait=False)) is None
    assert wait_plan(dict(wait=True)) == WaitPlan(1800, 30, 30)


def test_a_long_wait_reports_between_rounds_and_decides_within_a_poll_of_completion():
    result, world, display, took = run_info(
        {"prod": 1000 + 41}, wait=True, wait_timeout=120, wait_sleep=2, wait_report_interval=10
    )
    assert not result.get("failed") and result["copies"][0]["status"] == "Completed"
    # The verdict: at the first poll after the completion, and that poll is at most one wait_sleep late.
    assert 0 <= world.polls[-1] - 1041 <= 2 + 1e-9
    assert took - 41 <= 2 + STARTUP + TEARDOWN + 1e-9
    # Polls stay a wait_sleep apart across rounds (none doubled at a round's start).
    gaps = [b - a for a, b in zip(world.polls, world.polls[1:])]
    assert min(gaps) >= 2 - 1e-9 and max(gaps) <= 2 + 1e-9
    assert result["polls"] == len(world.polls)
    # Waited: from the first poll on, less the first module run's start and end (as the module counts its wait).
    assert result["elapsed"] == round(took - STARTUP - TEARDOWN, 1)
    # One line per round that did not settle, each naming the pending copy, at most report interval apart.
    assert len(display.lines) == len(world.calls) - 1 >= 3
    assert all("[ctl] model_copy_info: Still waiting... [" in line for line in display.lines)
    assert all("1 of 1 copies pending: us-east-1 prod (InProgress)" in line for line in display.lines)
    assert "timeout 2m0s]" in display.lines[0]
    assert display.verbose and all("job arn-prod" in line for line in display.verbose)
    # The rounds run the same module, each waiting at most a report interval.
    assert {name for name, _args in world.calls} == {"amazon.bedrock.model_copy_info"}
    assert all(args["wait_timeout"] <= 10 for _name, args in world.calls)
    assert result["invocation"]["module_args"]["wait_timeout"] == 120


def test_a_short_wait_prints_nothing():
    result, world, display, _took = run_info(
        {"prod": 1000 + 5}, wait=True, wait_timeout=60, wait_sleep=2, wait_report_interval=10
    )
    assert result["copies"][0]["status"] == "Completed"
    assert len(world.calls) == 1 and display.lines == []


def test_the_timeout_verdict_comes_within_one_poll_and_names_the_whole_wait():
    result, world, display, took = run_info(
        {"prod": None}, wait=True, wait_timeout=25, wait_sleep=2, wait_report_interval=10
    )
    assert result["failed"] and result["timed_out"]
    # The last round's wait is planned to end at the deadline, less the module's start (estimated from the rounds
    # before it, as start plus end): the last poll is at the deadline at most a round's end early, or up to a second
    # later (whole seconds), and the verdict is no earlier than the deadline and within one poll of it.
    assert 1000 + 25 - TEARDOWN - 1e-9 <= world.polls[-1] <= 1000 + 25 + 1
    assert 25 <= took <= 25 + 2 + 1e-9
    assert result["msg"].startswith(f"Timed out after {took - STARTUP - TEARDOWN:.0f}s waiting")
    assert len(display.lines) == len(world.calls) - 1


def test_no_log_lines_show_counts_only_and_never_a_credential():
    _result, _world, display, _took = run_info(
        {"prod": 1000 + 30}, no_log=True, wait=True, wait_timeout=60, wait_sleep=2, wait_report_interval=10
    )
    assert display.lines and display.verbose == []
    for line in display.lines:
        assert line.endswith("1 of 1 copies pending") and "prod" not in line
    for line in display.lines + display.verbose:
        assert SECRET not in line and "AKIA" not in line


def test_lines_never_show_credentials():
    _result, _world, display, _took = run_info(
        {"prod": 1000 + 30}, wait=True, wait_timeout=60, wait_sleep=2, wait_report_interval=10
    )
    assert display.lines
    assert not [line for line in display.lines + display.verbose if SECRET in line or "AKIA" in line]


def test_a_long_wait_sleep_still_reports_each_interval():
    result, _world, display, _took = run_info(
        {"prod": 1000 + 200}, wait=True, wait_timeout=400, wait_sleep=45, wait_report_interval=30
    )
    assert result["copies"][0]["status"] == "Completed"
    # Lines come from the pauses too: never more than one round (45 s, the module's own wait) apart.
    assert len(display.lines) >= 4


def test_model_copy_job_waits_for_its_job_after_the_first_round_and_keeps_changed():
    clock = Clock()
    world = World(clock, {"prod": 1000 + 25})
    args = dict(
        source_model_arn="arn",
        target_model_name="prod",
        tags={"a": "b"},
        region="us-east-1",
        secret_key=SECRET,
        wait=True,
        wait_timeout=60,
        wait_sleep=2,
        wait_report_interval=10,
    )
    plugin, display = action(model_copy_job.ActionModule, args, world, clock)
    result = plugin.run(task_vars={})
    names = [name for name, _args in world.calls]
    assert names[0] == "amazon.bedrock.model_copy_job"
    assert set(names[1:]) == {"amazon.bedrock.model_copy_job_info"} and len(names) > 1
    for _name, later in world.calls[1:]:
        assert later["job_arns"] == ["arn-prod"]
        assert later["region"] == "us-east-1" and later["secret_key"] == SECRET
        assert not {"source_model_arn", "target_model_name", "tags"} & set(later)
    assert result["changed"] is True and result["client_request_token"] == "tok"
    assert result["model_copy_job"]["status"] == "Completed" and not result.get("failed")
    assert "model_copy_jobs" not in result
    assert all("1 of 1 jobs pending: prod (InProgress)" in line for line in display.lines)


def test_model_copy_job_reports_a_failure_seen_in_a_later_round():
    clock = Clock()
    world = World(clock, {"prod": 1000 + 15}, fail={"prod"})
    args = dict(
        source_model_arn="arn",
        target_model_name="prod",
        wait=True,
        wait_timeout=60,
        wait_sleep=2,
        wait_report_interval=10,
    )
    plugin, _display = action(model_copy_job.ActionModule, args, world, clock)
    result = plugin.run(task_vars={})
    assert result["failed"] and result["msg"].startswith("1 model copy job(s) failed")
    assert result["model_copy_job"]["status"] == "Failed"
    assert sum(name.endswith("model_copy_job") for name, _args in world.calls) == 1


def test_model_copy_job_in_check_mode_with_nothing_to_wait_for_runs_once():
    clock = Clock()
    world = World(clock, {"prod": None})

    def planned(module_name=None, module_args=None, **_kwargs):
        world.calls.append((module_name, module_args))
        return dict(changed=True, model_copy_job=dict(job_arn=None, status=None))

    args = dict(source_model_arn="arn", target_model_name="prod", wait=True, wait_timeout=60)
    plugin, display = action(model_copy_job.ActionModule, args, world, clock, check_mode=True)
    plugin._execute_module = planned
    result = plugin.run(task_vars={})
    assert len(world.calls) == 1 and result["changed"] is True and display.lines == []


def test_model_copy_job_info_names_pending_and_missing_jobs():
    pending = model_copy_job_info.ActionModule.pending(
        None,
        dict(
            model_copy_jobs=[
                dict(job_arn="a1", target_model_name="m1", status="InProgress"),
                dict(job_arn="a2", target_model_name="m2", status="Completed"),
            ],
            missing_job_arns=["a3"],
        ),
    )
    assert pending.line(False) == "2 of 3 jobs pending: m1 (InProgress), a3 (not found yet)"


@pytest.mark.parametrize("startup, teardown", [(0.1, 0.05), (2.5, 0.3), (4.0, 1.5)])
@pytest.mark.parametrize("timeout", [7, 25, 61])
def test_the_whole_wait_timeout_holds_however_long_a_module_takes_to_start(startup, teardown, timeout):
    clock = Clock()
    world = World(clock, {"prod": None}, startup=startup, teardown=teardown)
    args = copies_args(wait=True, wait_timeout=timeout, wait_sleep=2, wait_report_interval=10)
    plugin, _display = action(model_copy_info.ActionModule, args, world, clock)
    result = plugin.run(task_vars={})
    took = clock.now - 1000
    assert result["timed_out"] and result["polls"] == len(world.polls)
    # Never decided before the timeout; the last poll no more than a round's end before it (only the first round's
    # start cannot be estimated, so a wait of one round may poll last up to that start late).
    assert took >= timeout
    first_round_only = len(world.calls) == 1
    late = startup if first_round_only else 1
    assert 1000 + timeout - teardown - 1e-9 <= world.polls[-1] <= 1000 + timeout + late + 1e-9
    assert took <= timeout + late + teardown + 1e-9


class SlowStart(World):
    """A world whose module runs take ``startups`` seconds each to start (one a round, then the last one again)."""

    def __init__(self, clock: Clock, startups: list[float]) -> None:
        super().__init__(clock, {"prod": None})
        self.startups = startups

    def wait(self, timeout: int, sleep: int) -> tuple[list[dict[str, Any]], int, float, bool]:
        self.startup = self.startups.pop(0) if len(self.startups) > 1 else self.startups[0]
        return super().wait(timeout, sleep)


@pytest.mark.parametrize("slow", [5.0, 1.2])
def test_a_slow_round_start_never_makes_the_next_round_decide_before_the_timeout(slow):
    # The second round takes 5 s (or 1.2 s) to start (a loaded machine): the third, planned as the last with that
    # estimate, starts fast and would end early, by seconds or by a fraction of one. The wait goes on with another
    # round instead.
    clock = Clock()
    world = SlowStart(clock, [0.5, slow, 0.5])
    args = copies_args(wait=True, wait_timeout=30, wait_sleep=2, wait_report_interval=10)
    plugin, _display = action(model_copy_info.ActionModule, args, world, clock)
    result = plugin.run(task_vars={})
    took = clock.now - 1000
    assert result["timed_out"] and result["gate"]["open"] is False
    assert took >= 30, f"decided after {took:.1f}s of a 30s wait"
    assert took <= 30 + 2 + 0.5 + TEARDOWN + 1e-9


def test_a_wait_of_one_round_keeps_the_module_s_own_figures():
    clock = Clock()
    world = World(clock, {"prod": None}, startup=5.0, teardown=0.5)
    args = copies_args(wait=True, wait_timeout=2, wait_sleep=1, wait_report_interval=10)
    plugin, display = action(model_copy_info.ActionModule, args, world, clock)
    result = plugin.run(task_vars={})
    assert len(world.calls) == 1 and display.lines == []
    assert result["elapsed"] == 2.0 and result["msg"].startswith("Timed out after 2s waiting")


# --- an endpoint that stops answering between or during rounds --------------------------------------

URL = "http://bedrock.internal.example:4000"


class OutageWorld(World):
    """model_copy_info as it behaves when the endpoint is down in [down_from, down_until) (clock times).

    Its first request failing to connect fails the run at once; once a poll succeeded, failed polls are retried
    1, 2, 4 ... s apart (at most wait_sleep) and, if still failing at the round's end, the run fails saying since
    when (with the last good poll's copies).
    """

    def __init__(self, clock: Clock, done_at, down_from: float, down_until: float) -> None:
        super().__init__(clock, done_at)
        self.down = (down_from, down_until)
        self.failed_polls: list[float] = []

    def is_down(self) -> bool:
        return self.down[0] <= self.clock.now < self.down[1]

    def execute(self, module_name=None, module_args=None, task_vars=None, wrap_async=False, **_kwargs):
        self.calls.append((module_name, dict(module_args)))
        timeout, sleep = module_args["wait_timeout"], module_args["wait_sleep"]
        self.clock.now += self.startup
        start = self.clock.now
        copies, polls, failed, since, streak = None, 0, 0, None, 0
        while True:
            if self.is_down():
                self.failed_polls.append(self.clock.now)
                if copies is None:
                    self.clock.now += self.teardown
                    return dict(
                        failed=True, msg="Failed to x: cannot connect to the endpoint", endpoint_unreachable=URL
                    )
                failed, streak = failed + 1, streak + 1
                since = since or f"t+{self.clock.now - 1000:g}"
            else:
                self.polls.append(self.clock.now)
                copies, polls, since, streak = self.copies(), polls + 1, None, 0
                if all(c["status"] != "InProgress" for c in copies):
                    break
            remaining = timeout - (self.clock.now - start)
            if remaining <= 1e-9:
                break
            self.clock.now += min(min(sleep, 2 ** (streak - 1)) if streak else sleep, remaining)
        elapsed = self.clock.now - start
        self.clock.now += self.teardown
        done = all(c["status"] != "InProgress" for c in copies)
        result = dict(
            changed=False, copies=copies, polls=polls, elapsed=elapsed, timed_out=not done, unreachable_polls=failed
        )
        result["gate"] = gate_verdict(copies, timeout)
        if since:
            result.update(failed=True, msg="Cannot connect", endpoint_unreachable=URL, unreachable_since=since)
        elif not done:
            result.update(failed=True, msg=timed_out_message(elapsed, " waiting for 1 model copy job(s): x"))
        return wait_round(result, result.get("msg"))


def run_outage(done_at: float | None, down_from: float, down_until: float, timeout: int = 120, world_class=None):
    """model_copy_info's action over a world whose requests fail in [down_from, down_until) (``world_class``'s way)."""
    clock = Clock()
    world = (world_class or OutageWorld)(clock, {"prod": done_at}, down_from, down_until)
    args = copies_args(wait=True, wait_timeout=timeout, wait_sleep=5, wait_report_interval=10)
    plugin, display = action(model_copy_info.ActionModule, args, world, clock)
    result = plugin.run(task_vars={})
    return result, world, display


def test_a_gate_rides_out_an_outage_between_rounds_and_opens_on_a_fresh_poll():
    # Down from just after the first round until 1042: rounds in between fail at their first request.
    result, world, display = run_outage(done_at=1030, down_from=1011, down_until=1042)
    assert not result.get("failed"), result
    assert result["copies"][0]["status"] == "Completed"
    assert result["gate"]["open"] is True
    # The verdict comes from a poll after the outage, never from one before it.
    assert world.polls[-1] >= 1042
    assert result["unreachable_polls"] == len(world.failed_polls) >= 3
    outage_lines = [line for line in display.lines if "endpoint unreachable since" in line]
    assert outage_lines and all("1 of 1 copies pending: us-east-1 prod (InProgress)" in line for line in outage_lines)


def test_a_gate_still_cut_off_at_the_deadline_fails_naming_the_url_and_since_when():
    result, world, display = run_outage(done_at=1030, down_from=1011, down_until=10_000, timeout=60)
    assert result["failed"] is True and result["timed_out"] is True
    assert result["msg"].startswith(f"Cannot connect to the endpoint {URL} since ")
    assert "\n" not in result["msg"]
    # Completed at 1030, but no poll saw it: the copy is what the last good poll read, and gives no verdict.
    assert result["copies"][0]["status"] == "InProgress"
    assert "gate" not in result
    assert result["endpoint_unreachable"] == URL and result["unreachable_since"]
    assert result["unreachable_polls"] == len(world.failed_polls)
    assert 1000 + 60 <= world.clock.now <= 1000 + 60 + 10
    assert any("endpoint unreachable since" in line for line in display.lines)


def test_an_outage_at_the_very_first_request_fails_at_once():
    result, world, _display = run_outage(done_at=1030, down_from=0, down_until=10_000)
    assert result["failed"] is True and result["msg"].endswith("cannot connect to the endpoint")
    assert len(world.calls) == 1 and world.clock.now < 1000 + 2


def test_an_outage_within_a_round_that_outlasts_it_carries_into_the_next_rounds():
    # Down from 1003 (within the first round) to 1024; the first round ends while down.
    result, world, display = run_outage(done_at=1020, down_from=1003, down_until=1024)
    assert not result.get("failed"), result
    assert result["copies"][0]["status"] == "Completed" and world.polls[-1] >= 1024
    # Since when stays the first failed poll's, in every line of the outage.
    sinces = {line.split("since ")[1].split(" ")[0] for line in display.lines if "since" in line}
    assert sinces == {f"t+{world.failed_polls[0] - 1000:g}"} and len(world.calls) > 2


class ThrottledWorld(World):
    """model_copy_info while every request in [from, until) is throttled: a request retries until the throttling
    stops or its wait's deadline passes; a run none of whose polls read anything by then fails timed out."""

    def __init__(self, clock: Clock, done_at, throttled_from: float, throttled_until: float) -> None:
        super().__init__(clock, done_at)
        self.throttled = (throttled_from, throttled_until)

    def execute(self, module_name=None, module_args=None, task_vars=None, wrap_async=False, **_kwargs):
        self.calls.append((module_name, dict(module_args)))
        timeout, sleep = module_args["wait_timeout"], module_args["wait_sleep"]
        self.clock.now += self.startup
        start = self.clock.now
        copies, polls, cut = None, 0, False
        while True:
            if self.throttled[0] <= self.clock.now < self.throttled[1]:
                if self.throttled[1] >= start + timeout:
                    self.clock.now, cut = start + timeout, True
                    break
                self.clock.now = self.throttled[1]
            self.polls.append(self.clock.now)
            copies, polls = self.copies(), polls + 1
            remaining = timeout - (self.clock.now - start)
            if all(c["status"] != "InProgress" for c in copies) or remaining <= 1e-9:
                break
            self.clock.now += min(sleep, remaining)
        elapsed = self.clock.now - start
        self.clock.now += self.teardown
        if copies is None:
            msg = timed_out_message(elapsed, " before the copies could be read: throttled")
            return wait_round(
                dict(failed=True, msg=msg, timed_out=True, polls=0, elapsed=elapsed, unreachable_polls=0), msg
            )
        done = all(c["status"] != "InProgress" for c in copies)
        result = dict(changed=False, copies=copies, polls=polls, elapsed=elapsed, timed_out=cut or not done)
        if not done:
            result.update(failed=True, msg=timed_out_message(elapsed, " waiting for 1 model copy job(s): x"))
        return wait_round(result, result.get("msg"))


def run_throttled(done_at: float | None, throttled_from: float, throttled_until: float, timeout: int = 120):
    return run_outage(done_at, throttled_from, throttled_until, timeout, world_class=ThrottledWorld)


@pytest.mark.parametrize("throttled_from", [0, 1008])
def test_rounds_that_read_nothing_before_their_deadline_never_end_the_wait(throttled_from):
    result, world, display = run_throttled(done_at=1020, throttled_from=throttled_from, throttled_until=1031)
    assert not result.get("failed"), result
    assert result["copies"][0]["status"] == "Completed" and world.polls[-1] >= 1031
    assert len(world.calls) >= 3
    if throttled_from:  # the lines in between name what the last good round read
        assert any("1 of 1 copies pending: us-east-1 prod (InProgress)" in line for line in display.lines)


def test_throttling_past_the_deadline_ends_the_wait_with_the_timeout_verdict_and_the_last_facts():
    result, world, _display = run_throttled(done_at=1020, throttled_from=1008, throttled_until=10_000, timeout=40)
    assert result["failed"] is True and result["timed_out"] is True
    assert result["msg"].startswith("Timed out after 4") and "waiting for 1 model copy job(s)" in result["msg"]
    assert result["copies"][0]["status"] == "InProgress"  # as the last good poll read it
    assert 1000 + 40 <= world.clock.now <= 1000 + 40 + 5 + 1
