from __future__ import annotations

from ansible_collections.amazon.bedrock.plugins.modules.provisioned_model_throughput_info import main
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error
from ansible_collections.amazon.bedrock.tests.unit.provisioned_fakes import (
    FakeProvisioned,
    model_arn,
    pt_arn,
    throughput,
)


def test_by_name_returns_it_with_tags(run_module, no_sleep):
    fake = FakeProvisioned([throughput(1, "bot")])
    fake.tags[pt_arn(1)] = {"Team": "a"}
    result = run_module(main, {"name": "bot"}, fake)
    assert result["changed"] is False
    [facts] = result["provisioned_model_throughputs"]
    assert facts["provisioned_model_arn"] == pt_arn(1) and facts["tags"] == {"Team": "a"}
    assert fake.ops() == ["get", "list_tags"]


def test_an_unknown_name_is_an_empty_list(run_module, no_sleep):
    result = run_module(main, {"name": pt_arn(9)}, FakeProvisioned())
    assert result["provisioned_model_throughputs"] == [] and "failed" not in result


def test_lists_every_page_with_filters(run_module, no_sleep):
    fake = FakeProvisioned([throughput(n, status="Failed" if n % 2 else "InService") for n in range(2400)])
    result = run_module(
        main,
        {"status": "InService", "model_arn": model_arn(1), "name_contains": "pt", "creation_time_before": "2027-01-01"},
        fake,
    )
    assert len(result["provisioned_model_throughputs"]) == 1200
    assert all(item["tags"] is None for item in result["provisioned_model_throughputs"])
    first = fake.calls[0][1]
    assert first["statusEquals"] == "InService" and first["modelArnEquals"] == model_arn(1)
    assert first["nameContains"] == "pt" and first["creationTimeBefore"].year == 2027
    assert fake.ops() == ["list", "list"]
    assert "next_token" not in result


def test_max_results_caps_and_next_token_continues(run_module, no_sleep):
    fake = FakeProvisioned([throughput(n) for n in range(30)])
    first = run_module(main, {"max_results": 25}, fake)
    assert len(first["provisioned_model_throughputs"]) == 25 and first["next_token"] == "tok-25"
    rest = run_module(main, {"max_results": 25, "next_token": "tok-25"}, fake)
    assert [i["provisioned_model_arn"] for i in rest["provisioned_model_throughputs"]] == [
        pt_arn(n) for n in range(25, 30)
    ]


def test_a_refused_next_token_names_the_option(run_module, no_sleep):
    fake = FakeProvisioned(faults=[client_error("ValidationException", "ListProvisionedModelThroughputs")])
    result = run_module(main, {"next_token": "stale"}, fake)
    assert result["failed"] is True and result["msg"].startswith("next_token: Bedrock refused it")


def test_name_and_filters_are_mutually_exclusive(run_module):
    result = run_module(main, {"name": "bot", "status": "InService"})
    assert result["failed"] is True and "mutually exclusive" in result["msg"]


def test_bad_filter_fails_before_any_request(run_module):
    result = run_module(main, {"model_arn": "nope"})
    assert result["failed"] is True and result["msg"].startswith("model_arn: expected")


def test_a_region_bedrock_is_not_listed_in_is_named_in_a_warning(run_module, no_sleep, monkeypatch):
    from ansible.module_utils.common import warnings

    monkeypatch.setattr(warnings, "_global_warnings", {})  # process-wide: start with none
    result = run_module(main, {"region": "us-west"}, FakeProvisioned([throughput(1)]))
    [warning] = [w["event"]["msg"] if isinstance(w, dict) else w for w in result["warnings"]]
    assert warning.startswith("region 'us-west' (did you mean us-west-1 or us-west-2?): botocore ")
    assert len(result["provisioned_model_throughputs"]) == 1  # a warning only: botocore may be older than AWS
