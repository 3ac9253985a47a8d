from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.modules.custom_model_deployment import main
from ansible_collections.amazon.bedrock.tests.unit.deployment_fakes import FakeDeployments, deployment, deployment_arn
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import model_arn

ARGS = {"name": "bot", "model": model_arn(1)}


def test_check_mode_create_sends_no_change_and_shows_the_diff(run_module, no_sleep):
    fake = FakeDeployments()
    args = dict(ARGS, tags={"Team": "a"}, description="d", _ansible_check_mode=True, _ansible_diff=True)
    result = run_module(main, args, fake)
    assert result["changed"] is True
    assert fake.ops() == ["get", "get_model"]
    facts = result["custom_model_deployment"]
    assert facts["custom_model_deployment_arn"] is None and facts["status"] is None
    assert facts["model_arn"] == model_arn(1) and facts["tags"] == {"Team": "a"} and facts["description"] == "d"
    assert result["diff"] == {
        "before": {},
        "after": {"name": "bot", "model": model_arn(1), "description": "d", "tags": {"Team": "a"}},
    }
    assert result["client_request_token"].startswith("ansible-")


def test_create_then_again_is_unchanged(run_module, no_sleep):
    fake = FakeDeployments()
    first = run_module(main, dict(ARGS, tags={"Team": "a"}), fake)
    assert first["changed"] is True and "diff" not in first
    facts = first["custom_model_deployment"]
    assert facts["status"] == "Creating" and facts["tags"] == {"Team": "a"}
    assert facts["custom_model_deployment_arn"] in fake.items
    again = run_module(main, dict(ARGS, tags={"Team": "a"}), fake)
    assert again["changed"] is False
    assert fake.ops().count("create") == 1


def test_a_retried_create_makes_one_deployment(run_module, no_sleep):
    dropped = client_error("InternalServerException", "CreateCustomModelDeployment", 500)
    fake = FakeDeployments(faults=[None, None, dropped])
    result = run_module(main, ARGS, fake)
    assert result["changed"] is True
    tokens = [params["clientRequestToken"] for op, params in fake.calls if op == "create"]
    assert len(tokens) == 2 and tokens[0] == tokens[1]
    assert len(fake.items) == 1


def test_another_model_is_deployed_in_place_with_a_diff(run_module, no_sleep):
    fake = FakeDeployments([deployment(1, "bot")])
    result = run_module(main, dict(ARGS, model=model_arn(2), _ansible_diff=True), fake)
    assert result["changed"] is True
    assert result["diff"]["before"]["model"] == model_arn(1) and result["diff"]["after"]["model"] == model_arn(2)
    facts = result["custom_model_deployment"]
    assert facts["custom_model_deployment_arn"] == deployment_arn(1)
    assert facts["update_details"] == {"model_arn": model_arn(2), "update_status": "Updating"}


def test_another_description_warns_and_changes_nothing(run_module, no_sleep):
    fake = FakeDeployments([deployment(1, "bot", description="old")])
    result = run_module(main, dict(ARGS, description="new"), fake)
    assert result["changed"] is False
    (warning,) = result["warnings"]
    # ansible-core 2.19 returns a warning as an event summary, older ones as text.
    text = warning["event"]["msg"] if isinstance(warning, dict) else warning
    assert text == (
        "description: custom model deployment bot has 'old' (requested 'new'); Bedrock cannot change it in place,"
        " so it was left as it is"
    )
    assert set(fake.ops()) == {"get", "list_tags"}


@pytest.mark.parametrize(
    "args, named",
    [
        ({"name": "-bad"}, "name: "),
        ({"model": "arn:aws:bedrock:us-west-2::foundation-model/amazon.titan-text-express-v1"}, "model: "),
        ({"description": ""}, "description: must be 1-2048 characters"),
        ({"tags": {"bad!": "x"}}, "tags: "),
        ({"client_request_token": "-x-"}, "client_request_token: "),
        ({"wait_timeout": 0}, "wait_timeout: "),
        ({"wait_report_interval": 61}, "wait_report_interval: "),
    ],
)
def test_bad_options_fail_naming_the_option_before_any_request(run_module, args, named):
    result = run_module(main, dict(ARGS, **args))
    assert result["failed"] is True and result["msg"].startswith(named)
    assert result["_clients_created"] == []


def test_model_is_required_with_present(run_module):
    result = run_module(main, {"name": "bot"})
    assert result["failed"] is True and "model" in result["msg"]


def test_a_model_not_active_is_refused_in_one_line(run_module, no_sleep):
    fake = FakeDeployments(models={model_arn(1): "Failed"})
    result = run_module(main, ARGS, fake)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"].startswith(f"model: {model_arn(1)} is Failed; ")
    assert "\n" not in result["msg"] and "create" not in fake.ops()


def test_a_failed_create_waited_for_fails_with_the_message_and_reports_the_change(run_module, no_sleep, fake_time):
    fake = FakeDeployments(script=[{}, {"status": "Failed", "failureMessage": "Insufficient capacity."}])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=1), fake)
    assert result["failed"] is True and result["changed"] is True
    assert result["msg"] == "custom model deployment bot Failed: Insufficient capacity."
    assert result["custom_model_deployment"]["status"] == "Failed"
    assert result["polls"] == 1 and result["timed_out"] is False


def test_delete_and_delete_again(run_module, no_sleep, fake_time):
    fake = FakeDeployments([deployment(1, "bot")])
    result = run_module(main, dict(name="bot", state="absent", wait=True, _ansible_diff=True), fake)
    assert result["changed"] is True and result["custom_model_deployment"] == {}
    assert result["diff"]["after"] == {} and result["diff"]["before"]["model"] == model_arn(1)
    again = run_module(main, dict(name="bot", state="absent"), fake)
    assert again["changed"] is False and again["custom_model_deployment"] == {}


def test_an_error_is_one_aws_error_without_a_traceback(run_module, no_sleep):
    fake = FakeDeployments(faults=[client_error("AccessDeniedException", "GetCustomModelDeployment", 403)])
    result = run_module(main, ARGS, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to get custom model deployment")
    assert result["error"]["code"] == "AccessDeniedException"
