from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.modules.provisioned_model_throughput import main
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import (
    FakeProvisioned,
    model_arn,
    pt_arn,
    throughput,
)

ARGS = {"name": "bot", "model": model_arn(1), "model_units": 1}


def live(**extra):
    return throughput(1, "bot", **extra)


def test_check_mode_create_sends_no_change(run_module, no_sleep):
    fake = FakeProvisioned()
    result = run_module(main, dict(ARGS, tags={"Team": "a"}, _ansible_check_mode=True, _ansible_diff=True), fake)
    assert result["changed"] is True
    assert fake.ops() == ["get"]
    facts = result["provisioned_model_throughput"]
    assert facts["provisioned_model_arn"] is None and facts["model_arn"] == model_arn(1)
    assert facts["tags"] == {"Team": "a"}
    assert result["diff"] == {
        "before": {},
        "after": {
            "provisioned_model_name": "bot",
            "model": model_arn(1),
            "model_units": 1,
            "commitment_duration": None,
            "tags": {"Team": "a"},
        },
    }


def test_create_then_again_is_unchanged(run_module, no_sleep):
    fake = FakeProvisioned()
    first = run_module(main, dict(ARGS, tags={"Team": "a"}, commitment_duration="OneMonth"), fake)
    assert first["changed"] is True
    create = fake.calls[1][1]
    assert create["provisionedModelName"] == "bot" and create["modelUnits"] == 1
    assert create["commitmentDuration"] == "OneMonth"
    assert create["tags"] == [{"key": "Team", "value": "a"}]
    assert create["clientRequestToken"] == first["client_request_token"]
    facts = first["provisioned_model_throughput"]
    assert facts["status"] == "Creating" and facts["tags"] == {"Team": "a"}
    assert facts["commitment_expiration_time"] == "2026-12-31T00:00:00+00:00"
    again = run_module(main, dict(ARGS, tags={"Team": "a"}, commitment_duration="OneMonth"), fake)
    assert again["changed"] is False
    assert [op for op in fake.ops() if op == "create"] == ["create"]


def test_a_retried_create_makes_one_throughput(run_module, no_sleep):
    dropped = client_error("InternalServerException", "CreateProvisionedModelThroughput", 500)
    fake = FakeProvisioned(faults=[None, dropped])
    result = run_module(main, ARGS, fake)
    assert result["changed"] is True
    tokens = [params["clientRequestToken"] for op, params in fake.calls if op == "create"]
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert len(fake.items) == 1


def test_a_token_of_a_deleted_throughput_is_replaced(run_module, no_sleep):
    fake = FakeProvisioned()
    first = run_module(main, ARGS, fake)
    fake.items.clear()
    second = run_module(main, ARGS, fake)
    assert second["changed"] is True
    assert second["client_request_token"] != first["client_request_token"]
    assert second["provisioned_model_throughput"]["provisioned_model_arn"] in fake.items


def test_model_units_are_required_to_create(run_module, no_sleep):
    fake = FakeProvisioned()
    result = run_module(main, {"name": "bot", "model": model_arn(1)}, fake)
    assert result["failed"] is True
    assert result["msg"] == "model_units: is required to create provisioned model throughput bot"
    assert fake.ops() == ["get"]


def test_another_model_is_swapped_in_place_with_a_diff(run_module, no_sleep):
    fake = FakeProvisioned([live()])
    result = run_module(main, dict(ARGS, model=model_arn(2), _ansible_diff=True), fake)
    assert result["changed"] is True
    assert ("update", {"provisionedModelId": pt_arn(1), "desiredModelId": model_arn(2)}) in fake.calls
    assert result["diff"]["before"]["model"] == model_arn(1)
    assert result["diff"]["after"]["model"] == model_arn(2)
    facts = result["provisioned_model_throughput"]
    assert facts["provisioned_model_arn"] == pt_arn(1)
    assert facts["desired_model_arn"] == model_arn(2) and facts["status"] == "Updating"


def test_swap_in_check_mode_sends_nothing(run_module, no_sleep):
    fake = FakeProvisioned([live()])
    result = run_module(main, dict(ARGS, model=model_arn(2), _ansible_check_mode=True), fake)
    assert result["changed"] is True
    assert "update" not in fake.ops()
    assert result["provisioned_model_throughput"]["desired_model_arn"] == model_arn(2)


@pytest.mark.parametrize(
    "change, named",
    [({"model_units": 2}, "model_units: "), ({"commitment_duration": "SixMonths"}, "commitment_duration: ")],
)
def test_units_or_commitment_change_is_refused_and_nothing_changes(run_module, no_sleep, change, named):
    fake = FakeProvisioned([live()])
    result = run_module(main, dict(ARGS, model=model_arn(2), **change), fake)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith(named)
    assert "cannot change model units or the commitment in place" in result["msg"]
    assert set(fake.ops()) == {"get", "list_tags"}


def test_tags_are_added_and_purged(run_module, no_sleep):
    fake = FakeProvisioned([live()])
    fake.tags[pt_arn(1)] = {"old": "x", "Team": "a"}
    result = run_module(main, dict(ARGS, tags={"Team": "b", "new": 1}), fake)
    assert result["changed"] is True
    assert fake.tags[pt_arn(1)] == {"Team": "b", "new": "1"}
    assert result["provisioned_model_throughput"]["tags"] == {"Team": "b", "new": "1"}
    kept = run_module(main, dict(ARGS, tags={"extra": "y"}, purge_tags=False), fake)
    assert fake.tags[pt_arn(1)] == {"Team": "b", "new": "1", "extra": "y"} and kept["changed"] is True
    assert run_module(main, ARGS, fake)["changed"] is False  # tags not given: not touched


def test_wait_until_in_service(run_module, no_sleep, fake_time):
    fake = FakeProvisioned(statuses=["Creating", "Creating", "Creating", "InService"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10, wait_timeout=600), fake)
    assert result["changed"] is True
    assert result["provisioned_model_throughput"]["status"] == "InService"
    assert fake_time == [10, 10]


def test_wait_fails_with_bedrocks_failure_message(run_module, no_sleep, fake_time):
    fake = FakeProvisioned(statuses=["Creating", "Creating", "Failed"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10), fake)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == "provisioned model throughput bot Failed: insufficient capacity"


def test_wait_timeout_names_the_stuck_status(run_module, no_sleep, fake_time):
    fake = FakeProvisioned([live(status="Updating", desiredModelArn=model_arn(1))], statuses=["Updating"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10, wait_timeout=30), fake)
    assert result["failed"] is True
    assert result["msg"].startswith("Timed out after 30s") and result["msg"].endswith("it is still Updating")


def test_a_wait_tells_its_action_plugin_its_round_and_the_timed_out_line_without_its_time(
    run_module, no_sleep, fake_time
):
    fake = FakeProvisioned([live(status="Updating", desiredModelArn=model_arn(1))], statuses=["Updating"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10, wait_timeout=30), fake)
    assert result["wait_round"] == dict(
        polls=result["polls"],
        elapsed=result["elapsed"],
        timed_out=True,
        unreachable_polls=None,
        timed_out_rest=result["msg"][len("Timed out after 30s") :],
    )
    settled = run_module(main, dict(ARGS, wait=True, wait_sleep=10), FakeProvisioned([live()]))
    assert settled["wait_round"]["timed_out"] is False and settled["wait_round"]["timed_out_rest"] is None
    assert "wait_round" not in run_module(main, dict(ARGS), FakeProvisioned([live()]))


def test_a_swap_of_a_creating_throughput_without_wait_is_refused(run_module, no_sleep):
    fake = FakeProvisioned([live(status="Creating")])
    result = run_module(main, dict(ARGS, model=model_arn(2)), fake)
    assert result["failed"] is True
    assert "is Creating, Bedrock changes its model only when InService" in result["msg"]
    assert "update" not in fake.ops()


def test_delete_then_delete_again(run_module, no_sleep):
    fake = FakeProvisioned([live()])
    check = run_module(main, {"name": "bot", "state": "absent", "_ansible_check_mode": True}, fake)
    assert check["changed"] is True and "delete" not in fake.ops()
    result = run_module(main, {"name": "bot", "state": "absent", "wait": True}, fake)
    assert result["changed"] is True and result["provisioned_model_throughput"] == {}
    assert fake.items == {}
    again = run_module(main, {"name": "bot", "state": "absent"}, fake)
    assert again["changed"] is False and again["provisioned_model_throughput"] == {}


def test_a_commitment_blocks_delete_naming_its_expiry(run_module, no_sleep):
    ends = "2099-01-01T00:00:00Z"
    fake = FakeProvisioned(
        [live(commitmentDuration="OneMonth", commitmentExpirationTime=ends)], conflict="commitment not over"
    )
    result = run_module(main, {"name": "bot", "state": "absent"}, fake)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == (
        "provisioned model throughput bot has a OneMonth commitment until 2099-01-01T00:00:00+00:00;"
        " Bedrock refuses to delete it before then. Nothing was changed."
    )
    check = run_module(main, {"name": "bot", "state": "absent", "_ansible_check_mode": True}, fake)
    assert check["failed"] is True and "until 2099-01-01" in check["msg"]


def test_bad_input_fails_before_any_request(run_module):
    result = run_module(main, dict(ARGS, model_units=0))  # no client: a request would fail the test
    assert result["failed"] is True and result["msg"] == "model_units: must be at least 1, got 0"
    assert result["_clients_created"] == []


def test_model_is_required_with_present(run_module):
    result = run_module(main, {"name": "bot"})
    assert result["failed"] is True and "model" in result["msg"]


def test_a_create_read_back_after_a_lag_is_one_create(run_module, no_sleep):
    lag = client_error("ResourceNotFoundException", "GetProvisionedModelThroughput", 404)
    fake = FakeProvisioned(faults=[None, None, lag, lag])  # the read by name, the create, then two reads lag
    result = run_module(main, ARGS, fake)
    assert result["changed"] is True and "failed" not in result
    assert fake.ops().count("create") == 1 and len(fake.items) == 1
    assert result["provisioned_model_throughput"]["provisioned_model_arn"] in fake.items
    assert no_sleep == [0.5, 1.0]


def test_a_lag_longer_than_the_read_back_fails_naming_the_arn_and_reports_the_change(run_module, no_sleep):
    lag = client_error("ResourceNotFoundException", "GetProvisionedModelThroughput", 404)
    fake = FakeProvisioned(faults=[None, None, *[lag] * 7])  # then the create with a new token: name taken
    result = run_module(main, ARGS, fake)
    (arn,) = fake.items
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"].startswith(f"{arn} (the answer to creating provisioned model throughput bot) was not found")
    assert result["provisioned_model_throughput"]["provisioned_model_arn"] == arn
    assert "diff" not in result and result["client_request_token"].startswith("ansible-")
    assert fake.ops().count("create") == 2
