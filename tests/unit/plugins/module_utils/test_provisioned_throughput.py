from __future__ import annotations

import datetime

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils import _provisioned_throughput as pt
from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    AnsibleBedrockError,
    PagedListing,
    RetriesExhausted,
    RetryPolicy,
    error_code,
    list_tags,
    tag_resource,
    untag_resource,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import (
    PROVISIONED_FACT_KEYS,
    provisioned_wait_problem,
    to_provisioned_facts,
)
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import (
    FOUNDATION_ARN,
    FakeProvisioned,
    model_arn,
    pt_arn,
    throughput,
)

FAST = RetryPolicy(attempts=4, delay=0.01, max_delay=0.01)


def test_the_listing_is_the_generic_paged_listing(no_sleep):
    fake = FakeProvisioned([throughput(n) for n in range(2500)])
    listing = pt.ProvisionedThroughputListing(fake, {}, retry=FAST)
    assert isinstance(listing, PagedListing)
    arns = [item["provisionedModelArn"] for item in listing]
    assert arns == [pt_arn(n) for n in range(2500)]
    assert [params["maxResults"] for _op, params in fake.calls] == [1000, 1000, 1000]
    assert listing.pages == 3


def test_a_throttled_page_is_retried_from_its_own_token(no_sleep):
    throttle = client_error("ThrottlingException", "ListProvisionedModelThroughputs", 429)
    fake = FakeProvisioned([throughput(n) for n in range(1500)], faults=[None, throttle, throttle])
    assert len(list(pt.ProvisionedThroughputListing(fake, {}, retry=FAST))) == 1500
    assert [params.get("nextToken") for _op, params in fake.calls] == [None, "tok-1000", "tok-1000", "tok-1000"]
    assert len(no_sleep) == 2


def test_a_limit_returns_the_token_to_continue(no_sleep):
    fake = FakeProvisioned([throughput(n) for n in range(30)])
    listing = pt.ProvisionedThroughputListing(fake, {}, limit=20, retry=FAST)
    assert len(list(listing)) == 20
    assert listing.next_token == "tok-20"
    assert fake.calls[0][1]["maxResults"] == 20


def test_filters_get_their_api_names():
    options = {"status": "InService", "model_arn": model_arn(1), "name_contains": "bot", "sort_order": "Ascending"}
    assert pt.build_list_filters(dict(options, creation_time_after=None)) == {
        "statusEquals": "InService",
        "modelArnEquals": model_arn(1),
        "nameContains": "bot",
        "sortOrder": "Ascending",
    }


def test_get_of_an_unknown_throughput_is_none(no_sleep):
    fake = FakeProvisioned([])
    assert pt.get_provisioned_throughput(fake, "nope", retry=FAST) is None


def test_get_is_retried_and_drops_response_metadata(no_sleep):
    error500 = client_error("InternalServerException", "GetProvisionedModelThroughput", 500)
    fake = FakeProvisioned([throughput(1, "bot")], faults=[error500])
    found = pt.get_provisioned_throughput(fake, "bot", retry=FAST)
    assert found["provisionedModelArn"] == pt_arn(1)
    assert "ResponseMetadata" not in found
    assert fake.ops() == ["get", "get"]


def test_retries_run_out_with_a_message_naming_the_request(no_sleep):
    throttle = client_error("ThrottlingException", "CreateProvisionedModelThroughput", 429)
    fake = FakeProvisioned([], faults=[throttle] * 4)
    with pytest.raises(RetriesExhausted) as info:
        pt.create_provisioned_throughput(fake, {"provisionedModelName": "x"}, retry=FAST)
    assert "create provisioned model throughput" in info.value.message
    assert "4 attempts" in info.value.message


def test_delete_of_a_gone_throughput_is_false_and_a_conflict_keeps_its_code(no_sleep):
    assert pt.delete_provisioned_throughput(FakeProvisioned([]), pt_arn(1), retry=FAST) is False
    fake = FakeProvisioned([throughput(1)], conflict="commitment ends 2027-01-01")
    with pytest.raises(AnsibleBedrockError) as info:
        pt.delete_provisioned_throughput(fake, pt_arn(1), retry=FAST)
    assert error_code(info.value) == "ConflictException"
    assert fake.ops() == ["delete"]  # a conflict is not retried


def test_tags_round_trip(no_sleep):
    fake = FakeProvisioned([throughput(1)])
    tag_resource(fake, pt_arn(1), {"Team": "search", "env": "prod"}, retry=FAST)
    untag_resource(fake, pt_arn(1), ["env"], retry=FAST)
    assert list_tags(fake, pt_arn(1), retry=FAST) == {"Team": "search"}
    assert fake.calls[0][1]["tags"] == [{"key": "Team", "value": "search"}, {"key": "env", "value": "prod"}]


def test_update_sends_only_the_desired_model(no_sleep):
    fake = FakeProvisioned([throughput(1)])
    pt.update_provisioned_model(fake, pt_arn(1), model_arn(2), retry=FAST)
    assert fake.calls == [("update", {"provisionedModelId": pt_arn(1), "desiredModelId": model_arn(2)})]


class LostAnswer(FakeProvisioned):
    """The first update is made, then its answer is lost: the connection closes before the response arrives."""

    lost = False

    def update_provisioned_model_throughput(self, **params):
        answer = super().update_provisioned_model_throughput(**params)
        if not self.lost:
            self.lost = True
            raise botocore.exceptions.ConnectionClosedError(endpoint_url="https://bedrock.us-east-1.amazonaws.com")
        return answer


def test_an_update_whose_answer_was_lost_is_not_failed_by_the_refusal_of_its_retry(no_sleep):
    fake = LostAnswer([throughput(1)])
    pt.update_provisioned_model(fake, pt_arn(1), model_arn(2), retry=FAST)
    # The retry met the update under way ("Updating"): Bedrock refused it, and a read showed it was in effect.
    assert fake.ops() == ["update", "update", "get"]
    assert fake.items[pt_arn(1)]["desiredModelArn"] == model_arn(2)


def test_a_refused_update_to_a_model_not_under_way_still_fails(no_sleep):
    fake = FakeProvisioned([throughput(1, status="Updating")])
    with pytest.raises(AnsibleBedrockError) as info:
        pt.update_provisioned_model(fake, pt_arn(1), model_arn(2), retry=FAST)
    assert error_code(info.value) == "ValidationException"
    assert fake.ops() == ["update", "get"]


def test_facts_have_every_key_and_utc_times():
    facts = to_provisioned_facts(throughput(1, commitmentExpirationTime="2027-01-01T00:00:00Z"), {"a": "b"})
    assert set(facts) == set(PROVISIONED_FACT_KEYS)
    assert facts["creation_time"] == "2026-12-01T00:01:00+00:00"
    assert facts["commitment_expiration_time"] == "2027-01-01T00:00:00+00:00"
    assert facts["failure_message"] is None and facts["commitment_duration"] is None
    assert facts["tags"] == {"a": "b"}
    summary = to_provisioned_facts({"provisionedModelName": "x"})
    assert set(summary) == set(PROVISIONED_FACT_KEYS)
    assert summary["tags"] is None and summary["creation_time"] is None


def test_naive_times_are_utc():
    facts = to_provisioned_facts({"lastModifiedTime": datetime.datetime(2026, 1, 2, 3, 4, 5)})
    assert facts["last_modified_time"] == "2026-01-02T03:04:05+00:00"


def test_wait_problems_name_the_failure_or_the_stuck_status():
    failed = to_provisioned_facts(throughput(1, "bot", status="Failed", failureMessage="no capacity"))
    assert provisioned_wait_problem(failed, False, 3, gone=False) == (
        "provisioned model throughput bot Failed: no capacity"
    )
    creating = to_provisioned_facts(throughput(1, "bot", status="Creating"))
    message = provisioned_wait_problem(creating, True, 600, gone=False)
    assert message.startswith("Timed out after 600s") and message.endswith("it is still Creating")
    assert provisioned_wait_problem(creating, False, 3, gone=False) is None
    assert provisioned_wait_problem(None, False, 3, gone=True) is None
    assert "to be deleted (Creating)" in provisioned_wait_problem(creating, True, 9, gone=True)


def test_the_derived_token_depends_on_the_request_only():
    p = {"name": "bot", "model": model_arn(1), "model_units": 1, "commitment_duration": None, "tags": {"a": 1}}
    token = pt.derive_token(p)
    assert token == pt.derive_token(dict(p, tags={"a": "1"}))
    assert token != pt.derive_token(dict(p, model=model_arn(2)))
    assert token != pt.derive_token(p, stale_arn=pt_arn(1))
    assert len(token) <= 256 and token.startswith("ansible-")


def test_serves_compares_arns_and_foundation_model_ids():
    facts = to_provisioned_facts(throughput(1, model=FOUNDATION_ARN))
    assert pt.serves(facts, FOUNDATION_ARN)
    assert pt.serves(facts, "amazon.titan-text-express-v1:0:8k")
    assert not pt.serves(facts, "amazon.titan-text-express-v1")
    updating = to_provisioned_facts(throughput(2, desiredModelArn=model_arn(7), status="Updating"))
    assert pt.serves(updating, model_arn(7)) and not pt.serves(updating, model_arn(1))


def test_units_or_commitment_differing_is_one_line_naming_both():
    facts = to_provisioned_facts(throughput(1, "bot", commitmentDuration="OneMonth"))
    p = {"model_units": 2, "commitment_duration": "SixMonths"}
    problem = pt.immutable_problem(facts, p)
    assert "\n" not in problem
    assert problem.startswith("model_units: provisioned model throughput bot has 1 (requested 2)")
    assert "commitment_duration: it has OneMonth (requested SixMonths)" in problem
    assert "cannot change model units or the commitment in place" in problem
    assert pt.immutable_problem(facts, {"model_units": None, "commitment_duration": "OneMonth"}) is None
    assert "requested none" in pt.immutable_problem(facts, {"model_units": 1, "commitment_duration": None})
