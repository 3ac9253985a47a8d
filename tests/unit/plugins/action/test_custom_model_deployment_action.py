"""The custom_model_deployment action plugin: rounds run the module's own functions on a shared clock."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.action import custom_model_deployment
from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline, wait_round
from ansible_collections.amazon.bedrock.tests.unit.deployment_fakes import FakeDeployments, deployment
from ansible_collections.amazon.bedrock.tests.unit.plugins.action.test_wait_actions import Clock, action
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import model_arn

MODULE_DEFAULTS = dict(state="present", description=None, tags=None, purge_tags=True, client_request_token=None)
ARGS = dict(name="bot", model=model_arn(1), wait=True, wait_sleep=10, wait_report_interval=20, wait_timeout=120)


class Settling(FakeDeployments):
    """A create that stays Creating, and an update that stays Updating, until ``settles_at`` on the clock."""

    def __init__(self, clock: Clock, settles_at: float, deployments=(), update_fails: bool = False) -> None:
        super().__init__(deployments)
        self.clock, self.settles_at, self.update_fails = clock, settles_at, update_fails

    def get_custom_model_deployment(self, customModelDeploymentIdentifier: str) -> dict[str, Any]:
        if self.clock.now >= self.settles_at:
            for item in self.items.values():
                update = item.get("updateDetails") or {}
                if update.get("updateStatus") == "Updating" and self.update_fails:
                    item.update(updateDetails=dict(update, updateStatus="UpdateFailed"), failureMessage="unhealthy")
                elif update.get("updateStatus") == "Updating":
                    item.update(modelArn=update["modelArn"], updateDetails=dict(update, updateStatus="UpdateCompleted"))
                item["status"] = "Active"
        return super().get_custom_model_deployment(customModelDeploymentIdentifier)


class Module:
    """Each round runs what the module's main() runs, on the shared clock."""

    def __init__(self, clock: Clock, fake: FakeDeployments) -> None:
        self.clock, self.fake = clock, fake
        self.rounds = 0

    def execute(self, module_name: str, module_args: dict[str, Any], task_vars: Any, **kwargs: Any) -> dict[str, Any]:
        p = dict(MODULE_DEFAULTS, **module_args)
        self.rounds += 1
        deadline = Deadline(p["wait_timeout"], p["wait_sleep"], clock=self.clock, sleep=self.clock.sleep)
        apply = deploy.absent if p["state"] == "absent" else deploy.present
        try:
            return wait_round(dict(apply(self.fake, p, False, deadline), **deadline.figures))
        except deploy.WaitFailed as e:
            return wait_round({"changed": False, **e.waited, "failed": True, "msg": e.message}, e.message)


def test_a_create_waited_for_in_rounds_is_sent_once_and_keeps_its_token_and_change():
    clock = Clock()
    fake = Settling(clock, clock.now + 55)
    module = Module(clock, fake)
    plugin, display = action(custom_model_deployment.ActionModule, dict(ARGS), module, clock)
    result = plugin.run(task_vars=dict(inventory_hostname="ctl"))

    assert not result.get("failed") and result["changed"] is True
    assert fake.ops().count("create") == 1 and module.rounds == 3
    assert result["client_request_token"] == fake.calls[fake.ops().index("create")][1]["clientRequestToken"]
    assert result["custom_model_deployment"]["status"] == "Active"
    assert "1 of 1 custom model deployments pending: bot (Creating)" in display.lines[0]


def test_an_update_in_rounds_names_the_model_it_switches_to():
    clock = Clock()
    fake = Settling(clock, clock.now + 35, [deployment(1, "bot")])
    module = Module(clock, fake)
    plugin, display = action(custom_model_deployment.ActionModule, dict(ARGS, model=model_arn(2)), module, clock)
    result = plugin.run(task_vars={})

    assert not result.get("failed") and result["changed"] is True
    assert fake.ops().count("update") == 1
    assert result["custom_model_deployment"]["model_arn"] == model_arn(2)
    assert f"bot (Updating to {model_arn(2)})" in display.lines[0]


def test_pending_after_a_delete_is_the_deployment_still_there():
    plugin, _display = action(
        custom_model_deployment.ActionModule, dict(ARGS, state="absent"), Module(Clock(), FakeDeployments()), Clock()
    )
    facts = dict(name="bot", custom_model_deployment_arn="arn", status="Active", update_details={})
    assert plugin.pending(dict(custom_model_deployment=facts)).labels == ("bot (Active)",)
    assert plugin.pending(dict(custom_model_deployment={})).line(False) == "no custom model deployments found yet"


def test_an_update_failing_between_rounds_fails_the_task_and_is_not_sent_again():
    clock = Clock()
    fake = Settling(clock, clock.now + 25, [deployment(1, "bot")], update_fails=True)
    module = Module(clock, fake)
    args = dict(ARGS, model=model_arn(2), wait_sleep=10, wait_report_interval=20)
    plugin, _display = action(custom_model_deployment.ActionModule, args, module, clock)
    result = plugin.run(task_vars={})

    assert module.rounds == 2 and fake.ops().count("update") == 1
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == (
        f"The update of custom model deployment bot to {model_arn(2)} failed: unhealthy; it still serves {model_arn(1)}"
    )
