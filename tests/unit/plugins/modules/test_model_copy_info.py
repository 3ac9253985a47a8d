from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.modules.model_copy_info import main
from ansible_collections.amazon.bedrock.tests.unit.fakes import SOURCE_ARN, FakeBedrock, client_error, job_arn, summary


def copy(name: str, region: str | None = None) -> dict:
    return {"source_model_arn": SOURCE_ARN, "target_model_name": name, "region": region}


def counts(**found: int) -> dict[str, int]:
    statuses = ("InProgress", "Completed", "Failed", "ModelCreating", "ModelFailed", "Deleted", "Missing")
    return {status: found.get(status, 0) for status in statuses}


def regions(**jobs_by_region: list[dict]) -> dict[str, FakeBedrock]:
    return {region.replace("_", "-"): FakeBedrock(jobs) for region, jobs in jobs_by_region.items()}


def test_each_copy_gets_its_newest_job_with_one_request_per_region(run_module, no_sleep):
    fakes = regions(
        us_west_2=[summary(3, targetModelName="bot", status="InProgress"), summary(1, targetModelName="bot")],
        eu_west_1=[summary(2, region="eu-west-1", targetModelName="bot-eu", status="Failed", failureMessage="kms")],
    )
    result = run_module(main, {"copies": [copy("bot"), copy("bot-eu", "eu-west-1"), copy("gone", "eu-west-1")]}, fakes)
    assert result["changed"] is False
    assert [c["status"] for c in result["copies"]] == ["InProgress", "Failed", "Missing"]
    assert [c["region"] for c in result["copies"]] == ["us-west-2", "eu-west-1", "eu-west-1"]
    assert result["copies"][0]["job_arn"] == job_arn(3)
    assert result["copies"][0]["target_model_arn"] is None  # still copying
    assert result["copies"][1]["failure_message"] == "kms"
    assert result["copies"][2]["job_arn"] is None
    assert [j["job_arn"] for j in result["model_copy_jobs"]] == [job_arn(3), job_arn(2, "eu-west-1")]
    assert result["status_counts"] == counts(InProgress=1, Failed=1, Missing=1)
    assert len(fakes["us-west-2"].list_calls) == 1
    assert len(fakes["eu-west-1"].list_calls) == 1
    assert sorted(result["_clients_created"]) == ["bedrock", "bedrock"]


def scripted(fake: FakeBedrock, script: dict[int, Any]) -> None:
    """Before its Nth ListModelCopyJobs call, ``fake`` runs ``script[N]`` (regions are read concurrently)."""
    real_list = fake.list_model_copy_jobs

    def list_and_advance(**params: Any) -> dict:
        action = script.get(len(fake.list_calls) + 1)
        if action:
            action()
        return real_list(**params)

    fake.list_model_copy_jobs = list_and_advance  # type: ignore[method-assign]


def test_wait_polls_every_region_until_every_copy_has_settled(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[], eu_west_1=[])
    west, eu = fakes["us-west-2"], fakes["eu-west-1"]
    scripted(
        west,
        {
            2: lambda: west.jobs.append(summary(1, targetModelName="bot", status="InProgress")),
            4: lambda: west.jobs.__setitem__(0, summary(1, targetModelName="bot")),
        },
    )
    scripted(eu, {3: lambda: eu.jobs.append(summary(2, region="eu-west-1", targetModelName="bot"))})
    result = run_module(
        main, {"copies": [copy("bot"), copy("bot", "eu-west-1")], "wait": True, "wait_sleep": 10}, fakes
    )
    assert "failed" not in result, result.get("msg")
    assert [c["status"] for c in result["copies"]] == ["Completed", "Completed"]
    assert result["copies"][0]["target_model_arn"] == summary(1)["targetModelArn"]
    assert result["polls"] == 4
    assert len(west.list_calls) == len(eu.list_calls) == 4  # one request per region per poll
    assert fake_time == [10, 10, 10]


def test_copies_keep_their_order_across_regions(run_module, no_sleep):
    fakes = regions(
        us_west_2=[summary(1, targetModelName="a"), summary(2, targetModelName="b")],
        eu_west_1=[summary(3, region="eu-west-1", targetModelName="c")],
    )
    asked = [copy("b"), copy("c", "eu-west-1"), copy("a"), copy("c", "eu-west-1")]
    result = run_module(main, {"copies": asked}, fakes)
    assert [c["job_arn"] for c in result["copies"]] == [
        job_arn(2),
        job_arn(3, "eu-west-1"),
        job_arn(1),
        job_arn(3, "eu-west-1"),
    ]
    assert [j["job_arn"] for j in result["model_copy_jobs"]] == [job_arn(2), job_arn(3, "eu-west-1"), job_arn(1)]


def test_a_failed_copy_fails_the_wait_with_the_facts(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot", status="Failed", failureMessage="kms denied")])
    result = run_module(main, {"copies": [copy("bot")], "wait": True}, fakes)
    assert result["failed"] is True
    assert "1 model copy job(s) failed" in result["msg"]
    assert "kms denied" in result["msg"]
    assert result["copies"][0]["status"] == "Failed"


def test_timeout_names_the_missing_copy(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    result = run_module(
        main, {"copies": [copy("bot"), copy("other")], "wait": True, "wait_timeout": 20, "wait_sleep": 10}, fakes
    )
    assert result["failed"] is True
    assert result["msg"].startswith("Timed out after 20s waiting for 1 model copy job(s): copy of ")
    assert "'other' in us-west-2 (not found yet)" in result["msg"]
    assert [c["status"] for c in result["copies"]] == ["Completed", "Missing"]


def test_an_error_names_the_region(run_module, no_sleep):
    fakes = regions(us_west_2=[], eu_west_1=[])
    fakes["eu-west-1"].faults = [client_error("AccessDeniedException", status=403)]
    result = run_module(main, {"copies": [copy("bot"), copy("bot", "eu-west-1")]}, fakes)
    assert result["failed"] is True
    assert result["msg"].startswith("eu-west-1: Failed to list model copy jobs")
    assert "AccessDeniedException" in result["msg"] or "Access" in result["msg"]
    assert "copies" not in result


def test_bad_copies_fail_before_any_client_is_made(run_module):
    result = run_module(main, {"copies": [copy("bot"), {"source_model_arn": "x", "target_model_name": "bot"}]})
    assert result["failed"] is True
    assert result["msg"].startswith("copies[1].source_model_arn: expected a Bedrock custom or foundation model ARN")
    assert result["_clients_created"] == []


def test_a_string_instead_of_a_copy_names_copies_and_shows_no_credential(run_module):
    secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    result = run_module(main, {"copies": ["us-west-2"], "access_key": "AKIAIOSFODNN7EXAMPLE", "secret_key": secret})
    assert result["failed"] is True
    assert "copies" in result["msg"]
    assert secret not in str(result)
    assert "AKIAIOSFODNN7EXAMPLE" not in str(result)


def test_a_copy_needs_a_region_from_somewhere(run_module):
    result = run_module(main, {"region": None, "copies": [copy("bot")]})
    assert result["failed"] is True
    assert result["msg"].startswith("copies[0].region: ")


def test_check_mode_reads_as_usual(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    result = run_module(main, {"copies": [copy("bot")], "_ansible_check_mode": True}, fakes)
    assert result["copies"][0]["status"] == "Completed"


def test_a_completed_copy_whose_model_was_deleted_is_deleted_and_its_arn_is_never_given(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    gone = summary(1)["targetModelArn"]
    fakes["us-west-2"].deleted_models.add(gone)
    result = run_module(main, {"copies": [copy("bot")]}, fakes)
    assert result["copies"][0]["status"] == "Deleted"
    assert result["copies"][0]["job_arn"] == job_arn(1)
    assert result["status_counts"] == counts(Deleted=1)
    assert gone not in str({k: v for k, v in result.items() if k != "invocation"})
    # One job listing and one model lookup (GetCustomModel by ARN) for the region.
    assert len(fakes["us-west-2"].list_calls) == 1
    assert fakes["us-west-2"].model_calls == [("get", {"modelIdentifier": gone})]


def test_several_completed_copies_in_a_region_cost_one_model_listing(run_module, no_sleep):
    jobs = [summary(3, targetModelName="bot-b"), summary(2, targetModelName="bot-a"), summary(1, targetModelName="x")]
    fakes = regions(us_west_2=jobs)
    fakes["us-west-2"].deleted_models.add(summary(2)["targetModelArn"])
    result = run_module(main, {"copies": [copy("bot-a"), copy("bot-b"), copy("x")]}, fakes)
    assert [c["status"] for c in result["copies"]] == ["Deleted", "Completed", "Completed"]
    assert [c["target_model_arn"] for c in result["copies"]] == [
        None,
        summary(3)["targetModelArn"],
        summary(1)["targetModelArn"],
    ]
    calls = fakes["us-west-2"].model_calls
    assert [kind for kind, _params in calls] == ["list"]
    assert calls[0][1]["sortOrder"] == "Descending"
    assert summary(2)["targetModelArn"] not in str(result["model_copy_jobs"])


def test_no_model_request_in_a_region_where_no_copy_completed(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot", status="InProgress")], eu_west_1=[])
    run_module(main, {"copies": [copy("bot"), copy("bot", "eu-west-1")]}, fakes)
    assert fakes["us-west-2"].model_calls == fakes["eu-west-1"].model_calls == []


def test_a_deleted_copy_is_waited_for_like_a_missing_one(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    west = fakes["us-west-2"]
    west.deleted_models.add(summary(1)["targetModelArn"])
    # The pipeline copies again: a newer job to the same name completes on the third read.
    scripted(west, {3: lambda: west.jobs.insert(0, summary(2, targetModelName="bot"))})
    result = run_module(main, {"copies": [copy("bot")], "wait": True, "wait_sleep": 10}, fakes)
    assert "failed" not in result, result.get("msg")
    assert result["copies"][0]["status"] == "Completed"
    assert result["copies"][0]["target_model_arn"] == summary(2)["targetModelArn"]
    assert result["polls"] == 3


def test_a_wait_that_times_out_on_a_deleted_copy_says_so(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    fakes["us-west-2"].deleted_models.add(summary(1)["targetModelArn"])
    result = run_module(main, {"copies": [copy("bot")], "wait": True, "wait_timeout": 20, "wait_sleep": 10}, fakes)
    assert result["failed"] is True
    assert "'bot' in us-west-2 (its model was deleted after the copy completed)" in result["msg"]
    assert result["copies"][0]["status"] == "Deleted"
    assert summary(1)["targetModelArn"] not in result["msg"]


def test_a_throttled_model_lookup_is_retried(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    west = fakes["us-west-2"]
    west.faults = [None, client_error("ThrottlingException", "GetCustomModel")]
    result = run_module(main, {"copies": [copy("bot")]}, fakes)
    assert result["copies"][0]["status"] == "Completed"
    assert len(west.model_calls) == 2


def test_a_denied_model_lookup_fails_naming_the_region(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    fakes["us-west-2"].faults = [None, client_error("AccessDeniedException", "GetCustomModel", 403)]
    result = run_module(main, {"copies": [copy("bot")]}, fakes)
    assert result["failed"] is True
    assert result["msg"].startswith("us-west-2: Failed to get custom model")
    assert "copies" not in result


def test_a_completed_job_without_a_model_arn_never_opens_anything(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot", targetModelArn=None)])
    result = run_module(main, {"copies": [copy("bot")]}, fakes)
    assert result["copies"][0]["status"] == "Deleted"
    assert result["copies"][0]["target_model_arn"] is None


def refused() -> Exception:
    import botocore.exceptions

    return botocore.exceptions.EndpointConnectionError(
        endpoint_url="http://bedrock.internal.example:4000/model-copy-jobs",
        error="Failed to establish a new connection: [Errno 111] Connection refused",
    )


def test_a_gate_s_wait_rides_out_an_outage_and_opens_only_on_a_fresh_read(run_module, no_sleep, fake_time):
    fake = FakeBedrock([summary(1, targetModelName="bot", status="InProgress")], faults=[None, refused(), refused()])
    # Completed while the endpoint was unreachable: only the read after the outage may say so.
    scripted(fake, {2: lambda: fake.jobs.__setitem__(0, summary(1, targetModelName="bot"))})
    result = run_module(main, {"copies": [copy("bot")], "wait": True, "wait_sleep": 10}, fake)
    assert "failed" not in result, result
    assert result["copies"][0]["status"] == "Completed"
    assert (result["polls"], result["unreachable_polls"]) == (2, 2)
    assert fake_time == [10, 1, 2]


def test_a_gate_s_wait_still_unreachable_at_the_deadline_stays_shut(run_module, no_sleep, fake_time):
    fake = FakeBedrock([summary(1, targetModelName="bot", status="InProgress")], faults=[None] + [refused()] * 50)
    scripted(fake, {2: lambda: fake.jobs.__setitem__(0, summary(1, targetModelName="bot"))})
    result = run_module(main, {"copies": [copy("bot")], "wait": True, "wait_sleep": 10, "wait_timeout": 30}, fake)
    assert result["failed"] is True and result["timed_out"] is True
    assert result["msg"].startswith(
        "Cannot connect to the endpoint http://bedrock.internal.example:4000/model-copy-jobs since "
    )
    assert result["copies"][0]["status"] == "InProgress"  # the last good read, not the Completed it never saw
    assert result["status_counts"]["Completed"] == 0


# --- a completed copy counts only while its model is Active ---------------------------------------


def test_a_copy_whose_model_is_still_creating_is_pending_and_gives_out_no_arn(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    creating = summary(1)["targetModelArn"]
    fakes["us-west-2"].model_status[creating] = {"modelStatus": "Creating"}
    result = run_module(main, {"copies": [copy("bot")]}, fakes)
    assert result["copies"][0]["status"] == "ModelCreating"
    assert result["copies"][0]["job_arn"] == job_arn(1)
    assert result["status_counts"] == counts(ModelCreating=1)
    assert result["model_copy_jobs"][0]["status"] == "Completed"
    assert creating not in str({k: v for k, v in result.items() if k != "invocation"})
    assert result["gate"]["open"] is False
    assert result["gate"]["blocking"] == [
        f"us-west-2 bot: ModelCreating - its model is still being created (not Active) (job {job_arn(1)})"
    ]


def test_the_model_status_costs_no_request_beyond_the_deletion_check(run_module, no_sleep):
    """One model listing for the region, whether the models are Active, Creating or without a modelStatus."""
    jobs = [
        summary(3, targetModelName="bot-c"),
        summary(2, targetModelName="bot-b"),
        summary(1, targetModelName="bot-a"),
    ]
    fakes = regions(us_west_2=jobs)
    fakes["us-west-2"].model_status[summary(1)["targetModelArn"]] = {"modelStatus": "Active"}
    fakes["us-west-2"].model_status[summary(2)["targetModelArn"]] = {"modelStatus": "Creating"}
    result = run_module(main, {"copies": [copy("bot-a"), copy("bot-b"), copy("bot-c")]}, fakes)
    assert [c["status"] for c in result["copies"]] == ["Completed", "ModelCreating", "Completed"]
    assert len(fakes["us-west-2"].list_calls) == 1
    assert [kind for kind, _params in fakes["us-west-2"].model_calls] == ["list"]


def test_a_wait_goes_on_while_the_model_is_creating_and_opens_once_it_is_active(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    west, arn = fakes["us-west-2"], summary(1)["targetModelArn"]
    west.model_status[arn] = {"modelStatus": "Creating"}
    scripted(west, {3: lambda: west.model_status.__setitem__(arn, {"modelStatus": "Active"})})
    result = run_module(main, {"copies": [copy("bot")], "wait": True, "wait_sleep": 10}, fakes)
    assert "failed" not in result, result.get("msg")
    assert result["copies"][0]["status"] == "Completed"
    assert result["copies"][0]["target_model_arn"] == arn
    assert result["polls"] == 3
    assert result["gate"] == dict(
        open=True,
        summary="Model copy gate open: 1 of 1 copies completed",
        lines=[f"us-west-2 bot: Completed - {arn}"],
        blocking=[],
    )


def test_a_wait_that_times_out_on_a_creating_model_says_so(run_module, no_sleep, fake_time):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    fakes["us-west-2"].model_status[summary(1)["targetModelArn"]] = {"modelStatus": "Creating"}
    result = run_module(main, {"copies": [copy("bot")], "wait": True, "wait_timeout": 20, "wait_sleep": 10}, fakes)
    assert result["failed"] is True
    assert "'bot' in us-west-2 (its model is still being created, not Active)" in result["msg"]
    assert "still being created (not Active) when the 20s timeout passed" in result["gate"]["blocking"][0]
    assert summary(1)["targetModelArn"] not in result["msg"] + str(result["gate"])


def test_a_failed_model_ends_the_wait_at_once_with_its_message(run_module, no_sleep, fake_time):
    jobs = [summary(2, targetModelName="bot-b", status="InProgress"), summary(1, targetModelName="bot-a")]
    fakes = regions(us_west_2=jobs)
    failed = summary(1)["targetModelArn"]
    fakes["us-west-2"].model_status[failed] = {"modelStatus": "Failed", "failureMessage": "KMS key disabled"}
    # bot-b completes on the second read: the wait ends then, and does not wait for the failed model.
    west = fakes["us-west-2"]
    scripted(west, {2: lambda: west.jobs.__setitem__(0, summary(2, targetModelName="bot-b"))})
    result = run_module(main, {"copies": [copy("bot-a"), copy("bot-b")], "wait": True, "wait_sleep": 10}, fakes)
    assert result["failed"] is True
    assert result["polls"] == 2
    assert result["copies"][0]["status"] == "ModelFailed"
    assert result["copies"][0]["failure_message"] == "KMS key disabled"
    assert result["msg"] == (
        f"1 copied model(s) failed: copy of {SOURCE_ARN} to 'bot-a' in us-west-2 (job {job_arn(1)}): KMS key disabled"
    )
    assert result["gate"]["blocking"] == [
        f"us-west-2 bot-a: ModelFailed - its model failed: KMS key disabled (job {job_arn(1)})"
    ]
    assert failed not in str({k: v for k, v in result.items() if k != "invocation"})
    assert result["status_counts"] == counts(Completed=1, ModelFailed=1)


def test_a_failed_model_without_a_message_says_bedrock_gave_none(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")])
    fakes["us-west-2"].model_status[summary(1)["targetModelArn"]] = {"modelStatus": "Failed"}
    result = run_module(main, {"copies": [copy("bot")]}, fakes)
    assert result["copies"][0]["failure_message"] is None
    assert "its model failed, and Bedrock gave no failure message" in result["gate"]["blocking"][0]


ROLE_A = "arn:aws:iam::111111111111:role/gate"
ROLE_B = "arn:aws:iam::222222222222:role/gate"


def test_copies_in_two_accounts_are_listed_once_per_account_and_region(run_module, no_sleep, monkeypatch):
    import botocore.credentials

    from ansible_collections.amazon.bedrock.plugins.module_utils import _accounts

    assumed: list[str] = []

    def assume(base, source, *args, **kwargs):
        assumed.append(source.role_arn)
        return botocore.credentials.Credentials("ASIAROLEKEY00000", "role-secret-key", "token")

    monkeypatch.setattr(_accounts, "assumed_role_credentials", assume)
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")], eu_west_1=[])
    copies = [
        dict(copy("bot"), assume_role_arn=ROLE_A),
        dict(copy("bot", "eu-west-1"), assume_role_arn=ROLE_A),
        dict(copy("bot"), assume_role_arn=ROLE_B, external_id="ext-42"),
        dict(copy("bot"), assume_role_arn=ROLE_B, external_id="ext-42"),
    ]
    result = run_module(main, {"copies": copies}, fakes)
    assert "failed" not in result, result.get("msg")
    assert assumed == [ROLE_A, ROLE_B]  # once per role, not per copy
    assert len(fakes["us-west-2"].list_calls) == 2  # one per account
    assert len(fakes["eu-west-1"].list_calls) == 1
    assert [c["account_id"] for c in result["copies"]] == ["111111111111"] * 2 + ["222222222222"] * 2
    assert result["_caller_identity_calls"] == 0  # the roles' ARNs say the accounts
    assert result["gate"]["lines"][1].startswith("111111111111 eu-west-1 bot: Missing")
    assert all(
        set(c) >= {"account_id"} and "assume_role_arn" not in c and "external_id" not in c for c in result["copies"]
    )
    assert "role-secret-key" not in str(result)


def test_task_credentials_take_the_account_from_a_job_arn_or_ask_once(run_module, no_sleep):
    fakes = regions(us_west_2=[summary(1, targetModelName="bot")], eu_west_1=[])
    result = run_module(main, {"copies": [copy("bot"), copy("bot", "eu-west-1")]}, fakes)
    assert [c["account_id"] for c in result["copies"]] == ["123456789012", "123456789012"]
    assert result["_caller_identity_calls"] == 0
    assert result["gate"]["lines"][0].startswith("us-west-2 bot: Completed")  # one account: not named
    result = run_module(main, {"copies": [copy("new"), copy("new", "eu-west-1")]}, regions(us_west_2=[], eu_west_1=[]))
    assert result["_caller_identity_calls"] == 1


def test_a_refused_role_fails_before_any_listing(run_module, no_sleep, monkeypatch):
    from ansible_collections.amazon.bedrock.plugins.module_utils import _accounts
    from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error

    def refuse(*args, **kwargs):
        raise client_error("AccessDenied", "AssumeRole", 403)

    monkeypatch.setattr(_accounts, "assumed_role_credentials", refuse)
    fakes = regions(us_west_2=[])
    result = run_module(main, {"copies": [copy("bot"), dict(copy("bot"), assume_role_arn=ROLE_B)]}, fakes)
    assert result["failed"] is True
    assert result["msg"] == f"copies[1]: could not assume role {ROLE_B}: AccessDenied: AccessDenied happened"
    assert fakes["us-west-2"].list_calls == []
