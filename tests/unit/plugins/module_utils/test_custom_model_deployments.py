"""_custom_model_deployments: each call, the create request and its token, and the facts of a Get and a summary."""

from __future__ import annotations

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deployments as cmd
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    RetriesExhausted,
    RetryPolicy,
    error_code,
    select_named,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import DEPLOYMENT_FACT_KEYS, to_deployment_facts
from ansible_collections.amazon.bedrock.tests.unit.deployment_fakes import FakeDeployments, deployment, deployment_arn
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import model_arn

FAST = RetryPolicy(attempts=3, delay=0.01, max_delay=0.01)
P = dict(name="bot", model=model_arn(1), description=None, tags=None)


def test_get_by_name_or_arn_and_none_when_unknown(no_sleep):
    fake = FakeDeployments([deployment(1, "bot")])
    assert cmd.get_deployment(fake, "bot", retry=FAST)["customModelDeploymentArn"] == deployment_arn(1)
    assert cmd.get_deployment(fake, deployment_arn(1), retry=FAST)["modelDeploymentName"] == "bot"
    assert "ResponseMetadata" not in cmd.get_deployment(fake, "bot", retry=FAST)
    assert cmd.get_deployment(fake, "other", retry=FAST) is None


def test_delete_is_false_when_already_gone(no_sleep):
    fake = FakeDeployments([deployment(1, "bot")])
    assert cmd.delete_deployment(fake, "bot", retry=FAST) is True
    assert cmd.delete_deployment(fake, "bot", retry=FAST) is False


def test_a_create_is_retried_with_its_token_and_gives_up_naming_the_code(no_sleep):
    throttled = client_error("ThrottlingException", "CreateCustomModelDeployment")
    fake = FakeDeployments(faults=[throttled] * 3)
    request = cmd.create_request(dict(P, description="d"), "ansible-1")
    with pytest.raises(RetriesExhausted, match=r"throttled \(ThrottlingException\) on all 3 attempts"):
        cmd.create_deployment(fake, request, retry=FAST)
    assert [params for _op, params in fake.calls] == [request] * 3


def test_the_create_request_carries_only_what_is_set():
    assert cmd.create_request(P, "t") == dict(modelDeploymentName="bot", modelArn=model_arn(1), clientRequestToken="t")
    full = cmd.create_request(dict(P, description="d", tags={"n": 1}), "t")
    assert full["description"] == "d" and full["tags"] == [{"key": "n", "value": "1"}]


def test_the_token_follows_the_request():
    token = cmd.derive_token(P)
    assert token == cmd.derive_token(dict(P, tags={}))
    assert token != cmd.derive_token(dict(P, model=model_arn(2)))
    assert token != cmd.derive_token(dict(P, description="d"))
    assert token != cmd.derive_token(P, stale_arn=deployment_arn(1))


def test_facts_of_a_get_and_of_a_summary_have_every_key():
    update = {"modelArn": model_arn(2), "updateStatus": "Updating"}
    got = to_deployment_facts(deployment(1, "bot", description="d", updateDetails=update), {"Team": "a"})
    assert set(got) == set(DEPLOYMENT_FACT_KEYS)
    assert got["update_details"] == {"model_arn": model_arn(2), "update_status": "Updating"}
    assert got["last_updated_time"] == "2026-12-01T00:01:00+00:00" and got["tags"] == {"Team": "a"}
    summary = dict(deployment(2), customModelDeploymentName="dep-2")
    del summary["modelDeploymentName"]
    listed = to_deployment_facts(summary, summary=True)
    assert set(listed) == set(DEPLOYMENT_FACT_KEYS) and listed["name"] == "dep-2"
    assert listed["update_details"] is None and listed["tags"] is None and listed["description"] is None


def test_the_declaration_lists_with_the_module_filters(no_sleep):
    fake = FakeDeployments([deployment(n, status="Failed" if n % 2 else "Active") for n in range(1, 6)])
    options = dict(status="Failed", model_arn=None, name_contains=None, max_results=2)
    result = select_named(fake, cmd.DEPLOYMENTS, options)
    assert [d["name"] for d in result["custom_model_deployments"]] == ["dep-1", "dep-3"]
    assert result["next_token"] and fake.calls[0][1] == {"statusEquals": "Failed", "maxResults": 2}


class LostAnswer(FakeDeployments):
    """The first update is made, then its answer is lost: the connection closes before the response arrives."""

    lost = False

    def update_custom_model_deployment(self, **params):
        answer = super().update_custom_model_deployment(**params)
        if not self.lost:
            self.lost = True
            raise botocore.exceptions.ConnectionClosedError(endpoint_url="https://bedrock.us-east-1.amazonaws.com")
        return answer


def test_an_update_whose_answer_was_lost_is_not_failed_by_the_refusal_of_its_retry(no_sleep):
    fake = LostAnswer([deployment(1)])
    cmd.update_deployment(fake, deployment_arn(1), model_arn(2), retry=FAST)
    assert fake.ops() == ["update", "update", "get"]


def test_a_refused_update_to_a_model_not_under_way_still_fails(no_sleep):
    fake = FakeDeployments([deployment(1, status="Creating")])
    with pytest.raises(AnsibleBedrockError) as info:
        cmd.update_deployment(fake, deployment_arn(1), model_arn(2), retry=FAST)
    assert error_code(info.value) == "ValidationException" and fake.ops() == ["update", "get"]
