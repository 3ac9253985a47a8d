"""_custom_model_deploy: the plan (a pure value) for each live state, then acting on it with a client and a Deadline."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deployments as cmd
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import DEPLOYMENT_FACT_KEYS, to_deployment_facts
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import Deadline
from ansible_collections.amazon.bedrock.tests.unit.deployment_fakes import FakeDeployments, deployment, deployment_arn
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import model_arn

OPTIONS = dict(
    name="bot",
    state="present",
    model=model_arn(1),
    description=None,
    tags=None,
    purge_tags=True,
    client_request_token=None,
    wait=False,
    wait_timeout=600,
    wait_sleep=10,
)


def options(**changes: Any) -> dict[str, Any]:
    return dict(OPTIONS, **changes)


def facts(status: str = "Active", model: str | None = None, update: tuple[str, str] | None = None, **extra: Any):
    raw = deployment(1, "bot", model, status, **extra)
    if update:
        raw["updateDetails"] = {"modelArn": update[0], "updateStatus": update[1]}
    return to_deployment_facts(raw, {"Team": "a"})


class Clock:
    """Time moves only when something sleeps."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def deadline(timeout: float = 600, interval: float = 10) -> Deadline:
    clock = Clock()
    return Deadline(timeout, interval, clock=clock, sleep=clock.sleep)


@pytest.mark.parametrize(
    "p, live, expected",
    [
        (options(), None, deploy.Plan(create=True)),
        (options(), facts(), deploy.Plan()),
        (options(model=model_arn(2)), facts(), deploy.Plan(update_to=model_arn(2))),
        # Already being switched to the model asked for: nothing to send, only to wait.
        (options(model=model_arn(2)), facts(update=(model_arn(2), "Updating")), deploy.Plan()),
        # A failed update to the model asked for is sent again: it still serves the old one.
        (
            options(model=model_arn(2)),
            facts(update=(model_arn(2), "UpdateFailed")),
            deploy.Plan(update_to=model_arn(2)),
        ),
        # ... unless only that failure is to be reported (the later rounds of a wait).
        (
            options(model=model_arn(2), retry_failed_update=False),
            facts(update=(model_arn(2), "UpdateFailed")),
            deploy.Plan(),
        ),
        (
            options(model=model_arn(3), retry_failed_update=False),
            facts(update=(model_arn(2), "UpdateFailed")),
            deploy.Plan(update_to=model_arn(3)),
        ),
        (options(state="absent"), None, deploy.Plan()),
        (options(state="absent"), facts("Failed"), deploy.Plan(delete=True)),
        (options(tags={"Team": "a"}), facts(), deploy.Plan()),
        (options(tags={"env": 1}), facts(), deploy.Plan(tags_to_set={"env": "1"}, tags_to_unset=("Team",))),
        (options(tags={"env": "1"}, purge_tags=False), facts(), deploy.Plan(tags_to_set={"env": "1"})),
    ],
)
def test_decide(p, live, expected):
    assert deploy.decide(p, live) == expected


@pytest.mark.parametrize(
    "p, live, blocked",
    [
        (options(model=model_arn(2)), facts("Creating"), "custom model deployment bot is Creating; "),
        (
            options(model=model_arn(3)),
            facts(update=(model_arn(2), "Updating")),
            f"custom model deployment bot is Updating to {model_arn(2)}; ",
        ),
        (options(state="absent"), facts("Creating"), "custom model deployment bot is Creating; "),
        (
            options(state="absent"),
            facts(update=(model_arn(2), "Updating")),
            f"custom model deployment bot is Updating to {model_arn(2)}; Bedrock deletes a deployment once",
        ),
    ],
)
def test_a_change_in_a_pending_state_is_blocked(p, live, blocked):
    plan = deploy.decide(p, live)
    assert plan.changed and plan.blocked.startswith(blocked)


def test_another_model_for_a_failed_deployment_is_refused():
    plan = deploy.decide(options(model=model_arn(2)), facts("Failed", failureMessage="no capacity"))
    assert plan.refused.startswith("custom model deployment bot is Failed (no capacity); Bedrock cannot point it")


def test_another_description_is_a_note_and_no_change():
    plan = deploy.decide(options(description="new"), facts(description="old"))
    assert not plan.changed
    assert plan.notes == (
        "description: custom model deployment bot has 'old' (requested 'new'); Bedrock cannot change it in place,"
        " so it was left as it is",
    )


@pytest.mark.parametrize(
    "model, problem",
    [
        ({"modelArn": model_arn(1)}, None),
        ({"modelArn": model_arn(1), "modelStatus": "Active"}, None),
        ({"modelArn": model_arn(1), "modelStatus": "Creating"}, f"model: {model_arn(1)} is Creating; "),
        (None, f"model: {model_arn(1)} was not found; "),
    ],
)
def test_model_problem(model, problem):
    found = deploy.model_problem(model_arn(1), model)
    assert found is None if problem is None else found.startswith(problem) and found.endswith("Nothing was changed.")


def test_facts_have_every_key():
    assert set(facts()) == set(DEPLOYMENT_FACT_KEYS)
    assert facts()["update_details"] == {} and facts()["creation_time"] == "2026-12-01T00:01:00+00:00"


def test_create_sends_the_derived_token_and_waits_until_active():
    fake = FakeDeployments(script=[{}, {"status": "Creating"}, {"status": "Active"}])
    wait = deadline()
    result = deploy.present(fake, options(wait=True, tags={"Team": "a"}, description="d"), False, wait)
    create = fake.calls[fake.ops().index("create")][1]
    assert create == dict(
        modelDeploymentName="bot",
        modelArn=model_arn(1),
        description="d",
        tags=[{"key": "Team", "value": "a"}],
        clientRequestToken=result["client_request_token"],
    )
    assert result["client_request_token"] == cmd.derive_token(options(tags={"Team": "a"}, description="d"))
    assert result["custom_model_deployment"]["status"] == "Active"
    assert wait.figures == dict(polls=2, elapsed=10.0, timed_out=False)


def test_create_in_check_mode_reads_only():
    fake = FakeDeployments()
    result = deploy.present(fake, options(wait=True), True, deadline())
    assert result["changed"] is True and fake.ops() == ["get", "get_model"]
    assert result["custom_model_deployment"]["custom_model_deployment_arn"] is None
    assert result["diff"]["after"]["model"] == model_arn(1)


def test_a_model_not_active_is_refused_before_any_change():
    fake = FakeDeployments(models={model_arn(1): "Creating"})
    with pytest.raises(
        deploy.Refused, match=r"^model: .* is Creating; Bedrock deploys a custom model once it is Active"
    ):
        deploy.present(fake, options(), False, deadline())
    assert fake.ops() == ["get", "get_model"]


def test_bedrocks_refusal_is_one_line():
    fake = FakeDeployments(refuse="The model is not supported for on-demand\n deployment in this Region.")
    with pytest.raises(deploy.Refused) as raised:
        deploy.present(fake, options(), False, deadline())
    assert str(raised.value) == (
        "Bedrock refused to create custom model deployment bot: The model is not supported for on-demand deployment"
        " in this Region."
    )


def test_a_token_that_answers_with_a_deleted_deployment_is_replaced():
    fake = FakeDeployments()
    first = deploy.present(fake, options(), False, deadline())
    fake.items.clear()
    second = deploy.present(fake, options(), False, deadline())
    assert second["client_request_token"] == cmd.derive_token(
        options(), stale_arn=first["custom_model_deployment"]["custom_model_deployment_arn"]
    )
    assert second["custom_model_deployment"]["custom_model_deployment_arn"] in fake.items


def test_update_in_place_waits_until_it_serves_the_new_model():
    done = {"modelArn": model_arn(2), "updateDetails": {"modelArn": model_arn(2), "updateStatus": "UpdateCompleted"}}
    fake = FakeDeployments([deployment(1, "bot")], script=[{}, {}, {}, done])
    result = deploy.present(fake, options(model=model_arn(2), wait=True), False, deadline())
    assert ("update", {"customModelDeploymentIdentifier": deployment_arn(1), "modelArn": model_arn(2)}) in fake.calls
    assert result["changed"] is True
    assert result["diff"]["before"]["model"] == model_arn(1) and result["diff"]["after"]["model"] == model_arn(2)
    assert result["custom_model_deployment"]["model_arn"] == model_arn(2)
    assert result["custom_model_deployment"]["custom_model_deployment_arn"] == deployment_arn(1)


def test_a_failed_update_fails_saying_the_old_model_is_still_served():
    failed = {"updateDetails": {"modelArn": model_arn(2), "updateStatus": "UpdateFailed"}, "failureMessage": "boom"}
    fake = FakeDeployments([deployment(1, "bot")], script=[{}, {}, {}, failed])
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.present(fake, options(model=model_arn(2), wait=True), False, deadline())
    assert str(raised.value) == (
        f"The update of custom model deployment bot to {model_arn(2)} failed: boom; it still serves {model_arn(1)}"
    )
    assert raised.value.waited["changed"] is True
    assert raised.value.waited["custom_model_deployment"]["model_arn"] == model_arn(1)


def test_a_failed_create_fails_with_bedrocks_message():
    fake = FakeDeployments(script=[{}, {"status": "Failed", "failureMessage": "no capacity"}])
    with pytest.raises(deploy.WaitFailed, match=r"^custom model deployment bot Failed: no capacity$"):
        deploy.present(fake, options(wait=True), False, deadline())


def test_an_update_while_updating_without_wait_is_refused_naming_the_state():
    fake = FakeDeployments([deployment(1, "bot", updateDetails={"modelArn": model_arn(2), "updateStatus": "Updating"})])
    with pytest.raises(deploy.Refused) as raised:
        deploy.present(fake, options(), False, deadline())
    assert str(raised.value).startswith(f"custom model deployment bot is Updating to {model_arn(2)}; ")
    assert str(raised.value).endswith("run again with wait=true to wait for it first. Nothing was changed.")
    assert "update" not in fake.ops()


def test_an_update_while_updating_with_wait_waits_first():
    updating = {"modelArn": model_arn(2), "updateStatus": "Updating"}
    settled = {"modelArn": model_arn(2), "updateDetails": {"modelArn": model_arn(2), "updateStatus": "UpdateCompleted"}}
    back = {"modelArn": model_arn(1), "updateDetails": {"modelArn": model_arn(1), "updateStatus": "UpdateCompleted"}}
    fake = FakeDeployments([deployment(1, "bot", updateDetails=updating)], script=[{}, {}, settled, {}, {}, back])
    result = deploy.present(fake, options(wait=True), False, deadline())
    ops = fake.ops()
    assert ops.count("update") == 1 and ops.index("update") > 3
    assert result["custom_model_deployment"]["model_arn"] == model_arn(1)


def test_tags_are_added_and_purged_on_the_deployment_arn():
    fake = FakeDeployments([deployment(1, "bot")])
    fake.tags[deployment_arn(1)] = {"Team": "a", "old": "x"}
    result = deploy.present(fake, options(tags={"Team": "b"}), False, deadline())
    assert ("untag", {"resourceARN": deployment_arn(1), "tagKeys": ["old"]}) in fake.calls
    assert ("tag", {"resourceARN": deployment_arn(1), "tags": [{"key": "Team", "value": "b"}]}) in fake.calls
    assert result["custom_model_deployment"]["tags"] == {"Team": "b"}
    assert result["diff"]["before"]["tags"] == {"Team": "a", "old": "x"}


def test_delete_waits_until_gone_and_again_is_unchanged():
    fake = FakeDeployments([deployment(1, "bot")])
    result = deploy.absent(fake, options(state="absent", wait=True), False, deadline())
    assert result == dict(
        changed=True, custom_model_deployment={}, diff=dict(before=result["diff"]["before"], after={})
    )
    assert not fake.items
    assert deploy.absent(fake, options(state="absent"), False, deadline()) == dict(
        changed=False, custom_model_deployment={}
    )


def test_delete_while_creating_without_wait_is_refused_and_with_wait_waits():
    fake = FakeDeployments([deployment(1, "bot", status="Creating")])
    with pytest.raises(
        deploy.Refused, match="is Creating; Bedrock deletes a deployment once it is Active or Failed and no update runs"
    ):
        deploy.absent(fake, options(state="absent"), False, deadline())
    assert "delete" not in fake.ops()
    fake.script = [{}, {}, {"status": "Active"}]
    result = deploy.absent(fake, options(state="absent", wait=True), False, deadline())
    assert result["changed"] is True and not fake.items


def test_delete_in_check_mode_sends_nothing():
    fake = FakeDeployments([deployment(1, "bot")])
    result = deploy.absent(fake, options(state="absent"), True, deadline())
    assert result["changed"] is True and "delete" not in fake.ops() and fake.items


def test_a_wait_that_times_out_names_the_state():
    fake = FakeDeployments(script=[{}] + [{"status": "Creating"}] * 100)
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.present(fake, options(wait=True), False, deadline(timeout=30))
    assert str(raised.value) == (
        f"Timed out after 30s waiting for custom model deployment bot to be Active serving {model_arn(1)};"
        " it is Creating"
    )
    assert raised.value.waited["timed_out"] is True and raised.value.waited["changed"] is True


def shared_clock_deadline(timeout: float) -> Deadline:
    """A deadline on the clock the requests' retries pause on (``no_sleep``): both move only when they sleep."""
    from ansible_collections.amazon.bedrock.plugins.module_utils import _bedrock

    # Looked up at each call: no_sleep patches _bedrock's clock and sleep after this module was imported.
    def clock() -> float:
        return _bedrock._monotonic()

    def sleep(seconds: float) -> None:
        _bedrock._sleep(seconds)

    return Deadline(timeout, 10, clock=clock, sleep=sleep)


def test_a_wait_whose_reads_are_throttled_until_its_deadline_times_out_naming_what_it_could_not_read(no_sleep):
    throttle = client_error("ThrottlingException", "GetCustomModelDeployment", 429)
    fake = FakeDeployments([deployment(1, "bot", status="Creating")], faults=[throttle] * 500)
    wait = shared_clock_deadline(30)
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.wait_for(fake, wait, deployment_arn(1), model_arn(1))
    message = str(raised.value)
    assert message.startswith(f"Timed out after 30s before {deployment_arn(1)} could be read: Failed to get custom")
    assert message.endswith("until wait_timeout") and "(ThrottlingException)" in message and "\n" not in message
    assert raised.value.waited == dict(polls=0, elapsed=30.0, timed_out=True)  # no facts: none were read
    assert sum(no_sleep) == pytest.approx(30)  # the read retried for the time the wait had, no longer
    assert set(fake.ops()) == {"get"}


def test_a_wait_cut_short_after_the_create_still_reports_the_change(no_sleep):
    throttle = client_error("ThrottlingException", "GetCustomModelDeployment", 429)
    # The read before, GetCustomModel, the create and its read back answer; every read of the wait is throttled.
    fake = FakeDeployments(faults=[None] * 5 + [throttle] * 500)
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.present(fake, options(wait=True), False, shared_clock_deadline(20))
    assert str(raised.value).startswith("Timed out after 20s before arn:aws:bedrock:")
    assert fake.ops().count("create") == 1
    waited = raised.value.waited
    assert waited["changed"] is True and waited["client_request_token"] == cmd.derive_token(options())
    assert (waited["polls"], waited["elapsed"], waited["timed_out"]) == (0, 20.0, True)
    assert waited["custom_model_deployment"]["status"] == "Creating"  # what the create's read back found


def test_a_read_cut_short_after_a_good_poll_ends_the_wait_on_what_that_poll_read(no_sleep):
    throttle = client_error("ThrottlingException", "GetCustomModelDeployment", 429)
    fake = FakeDeployments([deployment(1, "bot", status="Creating")], faults=[None, None] + [throttle] * 500)
    wait = shared_clock_deadline(30)
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.wait_for(fake, wait, deployment_arn(1), model_arn(1))
    assert str(raised.value) == (
        f"Timed out after 30s waiting for custom model deployment bot to be Active serving {model_arn(1)};"
        " it is Creating"
    )
    assert raised.value.waited["custom_model_deployment"]["status"] == "Creating"
    assert (raised.value.waited["polls"], raised.value.waited["timed_out"]) == (1, True)
