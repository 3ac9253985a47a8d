"""The provisioned_model_throughput action plugin: later rounds only wait, the result keeps the first round's change."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.action import provisioned_model_throughput
from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import timed_out_message, wait_round
from ansible_collections.amazon.bedrock.tests.unit.plugins.action.test_wait_actions import Clock, action
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import (
    FakeProvisioned,
    model_arn,
    pt_arn,
    throughput,
)

ARGS = dict(name="pmt", model="arn:model", model_units=1, wait=True, wait_sleep=1, wait_report_interval=2)


class Rounds:
    """Answers each module run with the next scripted result, moving the clock by the round's length."""

    def __init__(self, clock: Clock, results: list[dict[str, Any]]) -> None:
        self.clock = clock
        self.results = results
        self.calls: list[dict[str, Any]] = []

    def execute(self, module_name: str, module_args: dict[str, Any], task_vars: Any, **kwargs: Any) -> dict[str, Any]:
        self.calls.append(dict(module_args, _module=module_name))
        result = self.results[len(self.calls) - 1]
        self.clock.now += result.get("elapsed", 0.0)
        return wait_round(dict(result), result.get("msg"))


def facts(status: str) -> dict[str, Any]:
    return dict(provisioned_model_name="pmt", provisioned_model_arn="arn:pt", status=status)


def test_a_create_waited_for_in_rounds_keeps_its_change_diff_and_token():
    clock = Clock()
    created = dict(
        changed=True,
        diff=dict(before={}, after=dict(model="arn:model")),
        client_request_token="ansible-1",
        provisioned_model_throughput=facts("Creating"),
        failed=True,
        timed_out=True,
        msg=timed_out_message(2, " waiting for provisioned model throughput pmt to be InService; it is still Creating"),
        polls=2,
        elapsed=2.0,
    )
    unchanged = dict(
        changed=False,
        diff=dict(before=dict(model="arn:model"), after=dict(model="arn:model")),
        provisioned_model_throughput=facts("InService"),
        timed_out=False,
        polls=1,
        elapsed=0.5,
    )
    rounds = Rounds(clock, [created, unchanged])
    plugin, display = action(provisioned_model_throughput.ActionModule, dict(ARGS, wait_timeout=60), rounds, clock)
    result = plugin.run(task_vars=dict(inventory_hostname="ctl"))

    assert result["changed"] is True
    assert not result.get("failed")
    assert result["provisioned_model_throughput"]["status"] == "InService"
    assert result["diff"] == created["diff"]
    assert result["client_request_token"] == "ansible-1"
    assert result["polls"] == 3
    # Every round is the same task with the round's timeout; a progress line names what is pending.
    assert [call["_module"] for call in rounds.calls] == ["amazon.bedrock.provisioned_model_throughput"] * 2
    assert all(call["wait_timeout"] == 2 for call in rounds.calls)
    assert len(display.lines) == 1
    assert "1 of 1 provisioned throughputs pending: pmt (Creating)" in display.lines[0]


def test_pending_is_empty_once_in_service_or_failed():
    action_class = provisioned_model_throughput.ActionModule
    plugin, _display = action(action_class, dict(ARGS, wait_timeout=60), Rounds(Clock(), []), Clock())
    for status in ("InService", "Failed"):
        assert plugin.pending(dict(provisioned_model_throughput=facts(status))).labels == ()
    assert plugin.pending(dict(provisioned_model_throughput=facts("Updating"))).labels == ("pmt (Updating)",)
    assert plugin.pending(dict(provisioned_model_throughput={})).line(False) == "no provisioned throughputs found yet"


class Lagging(FakeProvisioned):
    """One throughput Updating until ``settles_at`` on the clock; once swapped to another model, Updating for ever."""

    def __init__(self, clock: Clock, settles_at: float) -> None:
        super().__init__([throughput(1, "pmt", status="Updating")])
        self.clock, self.settles_at = clock, settles_at

    def get_provisioned_model_throughput(self, provisionedModelId: str) -> dict[str, Any]:
        found = self.items[pt_arn(1)]
        if "update" not in self.ops() and self.clock.now >= self.settles_at:
            found["status"] = "InService"
        return super().get_provisioned_model_throughput(provisionedModelId)


class Module:
    """Each round runs what the module's main() runs (the _provisioned_deploy functions), on the shared clock."""

    def __init__(self, clock: Clock, fake: FakeProvisioned) -> None:
        self.clock, self.fake = clock, fake
        self.rounds: list[tuple[float, float]] = []

    def execute(self, module_name: str, module_args: dict[str, Any], task_vars: Any, **kwargs: Any) -> dict[str, Any]:
        p = dict(MODULE_DEFAULTS, **module_args)
        began = self.clock.now
        wait = deploy.Waiter(self.fake, p["wait_timeout"], p["wait_sleep"], clock=self.clock, sleep=self.clock.sleep)
        try:
            result = deploy.present(self.fake, p, False, deploy.read(self.fake, p["name"]), wait)
            result.update(wait.figures)
        except deploy.WaitFailed as e:
            result = {"changed": False, **e.waited, "failed": True, "msg": e.message}
        self.rounds.append((began, self.clock.now))
        return wait_round(result, result.get("msg"))


MODULE_DEFAULTS = dict(state="present", commitment_duration=None, tags=None, purge_tags=True, client_request_token=None)


@pytest.mark.parametrize("report", [20, 60])
@pytest.mark.parametrize("settles_at", [10, 30, 50])
def test_a_wait_before_a_swap_and_the_wait_after_it_share_one_wait_timeout_across_rounds(settles_at, report):
    clock = Clock()
    start = clock.now
    fake = Lagging(clock, start + settles_at)
    module = Module(clock, fake)
    args = dict(ARGS, model=model_arn(2), wait_timeout=60, wait_sleep=10, wait_report_interval=report)
    plugin, _display = action(provisioned_model_throughput.ActionModule, args, module, clock)
    result = plugin.run(task_vars={})

    assert ("update", {"provisionedModelId": pt_arn(1), "desiredModelId": model_arn(2)}) in fake.calls
    # Never settles_at + 60: one deadline for both waits, across the rounds. A last round of the action's shortest
    # (1 s, after a poll at the deadline) may add one poll, as for any wait in rounds.
    last_round = 1 if report < 60 else 0
    assert clock.now - start == 60 + last_round
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith(f"Timed out after {60 + last_round}s waiting for provisioned model throughput pmt")
    assert result["elapsed"] == 60 + last_round
    # Every get but each round's first read and the read back after the swap is a poll of a wait.
    assert result["polls"] == fake.ops().count("get") - len(module.rounds) - 1
    assert all(end - began <= report for began, end in module.rounds)
