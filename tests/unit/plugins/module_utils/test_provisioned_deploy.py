"""_provisioned_deploy: the create/update/delete decisions, called directly with a client, options and a Waiter."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_throughput as pt
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import (
    FakeProvisioned,
    model_arn,
    pt_arn,
    throughput,
)

OPTIONS = dict(
    name="bot",
    state="present",
    model=model_arn(1),
    model_units=1,
    commitment_duration=None,
    tags=None,
    purge_tags=True,
    client_request_token=None,
    wait=False,
    wait_timeout=600,
    wait_sleep=10,
)


def options(**changes: Any) -> dict[str, Any]:
    return dict(OPTIONS, **changes)


class Clock:
    """Time moves only when something sleeps."""

    def __init__(self) -> None:
        self.now = 0.0
        self.slept: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def waiter(fake: FakeProvisioned, clock: Clock, timeout: float = 600, interval: float = 10) -> deploy.Waiter:
    return deploy.Waiter(fake, timeout, interval, clock=clock, sleep=clock.sleep)


def test_present_creates_then_waits_until_in_service():
    fake, clock = FakeProvisioned(statuses=["Creating", "InService"]), Clock()
    wait = waiter(fake, clock)
    result = deploy.present(fake, options(wait=True), False, None, wait)
    assert result["changed"] is True
    assert [op for op in fake.ops() if op == "create"] == ["create"]
    assert result["provisioned_model_throughput"]["status"] == "InService"
    assert result["client_request_token"].startswith("ansible-")
    assert wait.figures == dict(polls=1, elapsed=0.0, timed_out=False)


def test_present_in_check_mode_sends_no_change_and_does_not_wait():
    fake, clock = FakeProvisioned(), Clock()
    result = deploy.present(fake, options(wait=True), True, None, waiter(fake, clock))
    assert result["changed"] is True and fake.ops() == []
    assert result["provisioned_model_throughput"]["provisioned_model_arn"] is None


def test_update_swaps_the_model_of_an_in_service_throughput():
    fake = FakeProvisioned([throughput(1, "bot")])
    facts = deploy.read(fake, "bot")
    assert facts is not None
    result = deploy.update(fake, options(model=model_arn(2)), False, facts, waiter(fake, Clock()))
    assert result["changed"] is True
    assert ("update", {"provisionedModelId": pt_arn(1), "desiredModelId": model_arn(2)}) in fake.calls
    assert result["diff"]["before"]["model"] == model_arn(1) and result["diff"]["after"]["model"] == model_arn(2)


def test_update_refuses_other_model_units_before_any_change():
    fake = FakeProvisioned([throughput(1, "bot")])
    facts = deploy.read(fake, "bot")
    assert facts is not None
    with pytest.raises(deploy.Refused, match=r"^model_units: "):
        deploy.update(fake, options(model_units=3), False, facts, waiter(fake, Clock()))
    assert set(fake.ops()) == {"get", "list_tags"}


def test_absent_deletes_and_waits_until_gone():
    fake, clock = FakeProvisioned([throughput(1, "bot")]), Clock()
    wait = waiter(fake, clock)
    result = deploy.absent(fake, options(state="absent", wait=True), False, deploy.read(fake, "bot"), wait)
    assert result == dict(changed=True, provisioned_model_throughput={}, diff=result["diff"])
    assert fake.items == {} and wait.figures["timed_out"] is False
    assert deploy.absent(fake, options(state="absent"), False, None, wait) == dict(
        changed=False, provisioned_model_throughput={}
    )


def test_a_failed_wait_after_a_create_still_reports_the_change():
    fake, clock = FakeProvisioned(statuses=["Creating", "Failed"]), Clock()
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.present(fake, options(wait=True), False, None, waiter(fake, clock))
    assert str(raised.value) == "provisioned model throughput bot Failed: insufficient capacity"
    assert raised.value.waited["changed"] is True
    assert raised.value.waited["client_request_token"].startswith("ansible-")
    assert raised.value.waited["provisioned_model_throughput"]["status"] == "Failed"


# After a create: Bedrock's Get may lag; a second create only for a throughput still not found after 10 s.


def not_found() -> Exception:
    return client_error("ResourceNotFoundException", "GetProvisionedModelThroughput", 404)


def creates(fake: FakeProvisioned) -> list[dict[str, Any]]:
    return [params for op, params in fake.calls if op == "create"]


def test_a_get_lagging_behind_the_create_is_read_again_and_nothing_is_created_twice():
    fake, clock = FakeProvisioned(faults=[None, not_found(), not_found()]), Clock()
    result = deploy.create(fake, options(), False, clock.sleep)
    assert len(creates(fake)) == 1 and len(fake.items) == 1
    assert fake.ops() == ["create", "get", "get", "get", "list_tags"]
    assert clock.slept == [0.5, 1.0]
    (arn,) = fake.items
    assert result["provisioned_model_throughput"]["provisioned_model_arn"] == arn
    assert result["client_request_token"] == creates(fake)[0]["clientRequestToken"] == pt.derive_token(OPTIONS)


def test_a_throughput_still_not_found_after_the_backoff_is_created_again_with_a_new_token():
    fake, clock = FakeProvisioned(), Clock()
    first = deploy.create(fake, options(), False, clock.sleep)
    stale = first["provisioned_model_throughput"]["provisioned_model_arn"]
    fake.items.clear()  # deleted since: the token still answers with its ARN
    second = deploy.create(fake, options(), False, clock.sleep)
    tokens = [params["clientRequestToken"] for params in creates(fake)]
    assert tokens == [first["client_request_token"]] * 2 + [pt.derive_token(OPTIONS, stale_arn=stale)]
    assert second["client_request_token"] == tokens[-1] != tokens[0]
    assert list(fake.items) == [second["provisioned_model_throughput"]["provisioned_model_arn"]] != [stale]
    assert clock.slept == list(deploy.READ_BACK_PAUSES) and sum(clock.slept) == 10


def test_a_users_token_of_a_throughput_not_found_after_the_backoff_is_refused():
    fake, clock = FakeProvisioned(), Clock()
    deploy.create(fake, options(client_request_token="mine-1"), False, clock.sleep)
    stale = next(iter(fake.items))
    fake.items.clear()
    with pytest.raises(deploy.Refused) as raised:
        deploy.create(fake, options(client_request_token="mine-1"), False, clock.sleep)
    assert str(raised.value) == f"client_request_token: 'mine-1' was used for {stale}, deleted since; give a new token"
    assert len(creates(fake)) == 2 and fake.items == {}
    assert clock.slept == list(deploy.READ_BACK_PAUSES)


def test_a_lag_longer_than_the_backoff_fails_naming_the_arn_when_bedrock_refuses_the_second_create():
    gets = [not_found()] * (len(deploy.READ_BACK_PAUSES) + 1)
    fake, clock = FakeProvisioned(faults=[None, *gets]), Clock()  # the name is taken: the create is refused
    with pytest.raises(deploy.Unconfirmed) as raised:
        deploy.create(fake, options(), False, clock.sleep)
    (arn,) = fake.items
    assert str(raised.value).startswith(
        f"{arn} (the answer to creating provisioned model throughput bot) was not found for 10s, and a create"
        " with a new token failed ("
    )
    assert "\n" not in str(raised.value) and "ValidationException" in str(raised.value)
    assert raised.value.waited["changed"] is True
    assert raised.value.waited["provisioned_model_throughput"]["provisioned_model_arn"] == arn
    assert len(creates(fake)) == 2 and len(fake.items) == 1


def test_a_second_create_that_cannot_be_read_back_either_fails_instead_of_creating_a_third():
    fake, clock = FakeProvisioned(), Clock()
    deploy.create(fake, options(), False, clock.sleep)
    stale = next(iter(fake.items))
    fake.items.clear()
    reads = len(deploy.READ_BACK_PAUSES) + 1
    fake.faults = [None] * (1 + reads + 1) + [not_found()] * reads
    with pytest.raises(deploy.Unconfirmed) as raised:
        deploy.create(fake, options(), False, clock.sleep)
    (arn,) = fake.items
    assert str(raised.value).startswith(f"{stale} (the answer to creating provisioned model throughput bot)")
    assert f"neither was {arn}, created with a new token" in str(raised.value)
    assert raised.value.waited["client_request_token"] == pt.derive_token(OPTIONS, stale_arn=stale)
    assert len(creates(fake)) == 3  # the first task's, then this task's two


# One deadline: the wait before a model swap and the wait after it share wait_timeout.


@pytest.mark.parametrize("settles_after", [0, 10, 30, 50, 60])
def test_the_waits_before_and_after_a_swap_never_last_longer_than_wait_timeout_together(settles_after):
    clock = Clock()
    polls_before = settles_after // 10 + 1  # one each wait_sleep (10 s); the last one sees InService
    # The task's own read, the first wait, then the swap's read back and the second wait: still Updating.
    statuses = ["Updating"] * polls_before + ["InService"] + ["Updating"] * 100
    fake = FakeProvisioned([throughput(1, "bot", status="Updating")], statuses=statuses)
    wait = waiter(fake, clock, timeout=60, interval=10)
    facts = deploy.read(fake, "bot")
    assert facts is not None and facts["status"] == "Updating"
    with pytest.raises(deploy.WaitFailed) as raised:
        deploy.present(fake, options(model=model_arn(2), wait=True), False, facts, wait)
    assert ("update", {"provisionedModelId": pt_arn(1), "desiredModelId": model_arn(2)}) in fake.calls
    assert clock.now == 60  # not settles_after + 60
    assert str(raised.value).startswith("Timed out after 60s waiting for provisioned model throughput bot")
    polls = polls_before + (60 - settles_after) // 10 + 1
    assert wait.figures == dict(polls=polls, elapsed=60.0, timed_out=True)
    assert raised.value.waited["changed"] is True and raised.value.waited["polls"] == polls


def test_waits_that_settle_report_their_polls_and_time_summed():
    clock = Clock()
    statuses = ["Creating", "Creating", "InService", "Updating", "Updating", "InService"]
    fake = FakeProvisioned([throughput(1, "bot", status="Creating")], statuses=statuses)
    wait = waiter(fake, clock, timeout=600, interval=10)
    facts = deploy.read(fake, "bot")
    assert facts is not None
    result = deploy.present(fake, options(model=model_arn(2), wait=True), False, facts, wait)
    assert result["changed"] is True and result["provisioned_model_throughput"]["status"] == "InService"
    assert result["provisioned_model_throughput"]["model_arn"] == model_arn(2)
    assert wait.figures == dict(polls=4, elapsed=20.0, timed_out=False)
    assert clock.slept == [10, 10]


def test_a_wait_throttled_until_its_deadline_times_out_and_never_outlasts_it(no_sleep):
    throttle = client_error("ThrottlingException", "GetProvisionedModelThroughput", 429)
    fake, clock = FakeProvisioned(throughputs=[throughput(1, status="Creating")], faults=[throttle] * 500), Clock()
    wait = waiter(fake, clock, timeout=30)
    with pytest.raises(deploy.WaitFailed) as info:
        wait(pt_arn(1))
    assert str(info.value).startswith(f"Timed out after 0s before {pt_arn(1)} could be read: Failed to get")
    assert str(info.value).endswith("until wait_timeout")
    assert info.value.waited == dict(polls=0, elapsed=0.0, timed_out=True)
    assert sum(no_sleep) == pytest.approx(30)  # the request's retries: the time the wait had left, no more
