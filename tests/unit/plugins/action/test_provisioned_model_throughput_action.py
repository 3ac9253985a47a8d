"""The provisioned_model_throughput action plugin: later rounds only wait, the result keeps the first round's change."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.action import provisioned_model_throughput
from ansible_collections.amazon.bedrock.tests.unit.plugins.action.test_wait_actions import Clock, action

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
        return dict(result)


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
        msg="Timed out after 2s waiting for provisioned model throughput pmt to be InService; it is still Creating",
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
