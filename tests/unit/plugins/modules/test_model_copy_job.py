from __future__ import annotations

import datetime
from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import find_newest_copy_job
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import CLIENT_REQUEST_TOKEN
from ansible_collections.amazon.bedrock.plugins.modules.model_copy_job import main
from ansible_collections.amazon.bedrock.tests.unit.fakes import (
    ACCOUNT,
    SOURCE_ARN,
    FakeBedrock,
    client_error,
    job_arn,
    summary,
)

NAME = "support-bot-v3"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
KEY_ARN = f"arn:aws:kms:us-west-2:{ACCOUNT}:key/{KEY_ID}"
ARGS = {"source_model_arn": SOURCE_ARN, "target_model_name": NAME}


def job(n: int, status: str, name: str = NAME, **extra: Any) -> dict[str, Any]:
    """Job n, created n minutes into 2026 (higher n = newer), copying SOURCE_ARN to ``name``."""
    return summary(n, status=status, targetModelName=name, **extra)


class CopyBedrock(FakeBedrock):
    """Like the service: listing filters and newest-first sort, tokens make CreateModelCopyJob idempotent.

    ``statuses`` scripts the status GetModelCopyJob reports, one entry per call (then it stays);
    ``hidden`` holds job ARNs that Get (not found) and List (left out) do not show yet; with
    ``hide_new_for_gets=k`` a created job is hidden until k GetModelCopyJob calls have been made.
    """

    def __init__(self, jobs=(), faults=None, statuses=(), hide_new_for_gets=None):
        super().__init__(list(jobs), faults)
        self.tokens: dict[str, tuple[dict[str, Any], str]] = {}
        self.statuses = list(statuses)
        self.failure_message = "copy failed: KMS key not usable"
        self.hidden: set[str] = set()
        self.hide_new_for_gets = hide_new_for_gets
        self.next_n = 100

    def visible(self) -> list[dict[str, Any]]:
        return [j for j in self.jobs if j["jobArn"] not in self.hidden]

    def list_model_copy_jobs(self, **params: Any) -> dict[str, Any]:
        self.list_calls.append(params)
        self._maybe_fail()
        jobs = [
            j
            for j in self.visible()
            if j["sourceModelArn"] == params.get("sourceModelArnEquals", j["sourceModelArn"])
            and params.get("targetModelNameContains", "") in j["targetModelName"]
        ]
        jobs.sort(key=lambda j: j["creationTime"], reverse=params.get("sortOrder", "Descending") == "Descending")
        start = int(params.get("nextToken", "tok-0").split("-")[1])
        end = start + params["maxResults"]
        page: dict[str, Any] = {"modelCopyJobSummaries": jobs[start:end]}
        if end < len(jobs):
            page["nextToken"] = f"tok-{end}"
        return page

    def get_model_copy_job(self, jobArn: str) -> dict[str, Any]:
        if self.hide_new_for_gets is not None and len(self.get_calls) >= self.hide_new_for_gets:
            self.hidden.clear()
        if jobArn in self.hidden:
            self.get_calls.append(jobArn)
            self._maybe_fail()
            raise client_error("ResourceNotFoundException", "GetModelCopyJob", 404)
        for j in self.jobs:
            if j["jobArn"] == jobArn and self.statuses:
                j["status"] = self.statuses.pop(0)
                if j["status"] == "Failed":
                    j["failureMessage"] = self.failure_message
        return super().get_model_copy_job(jobArn)

    def create_model_copy_job(self, **params: Any) -> dict[str, Any]:
        self.create_calls.append(params)
        self._maybe_fail()
        token = params["clientRequestToken"]
        request = {k: v for k, v in params.items() if k != "clientRequestToken"}
        if token in self.tokens:
            if self.tokens[token][0] != request:
                raise client_error("ValidationException", "CreateModelCopyJob")
            return {"jobArn": self.tokens[token][1]}
        self.next_n += 1
        new = job(
            self.next_n, "InProgress", params["targetModelName"], targetModelTags=params.get("targetModelTags", [])
        )
        if "modelKmsKeyId" in params:
            new["targetModelKmsKeyArn"] = KEY_ARN
        self.jobs.append(new)
        if self.hide_new_for_gets is not None:
            self.hidden.add(new["jobArn"])
        self.tokens[token] = (request, new["jobArn"])
        return {"jobArn": new["jobArn"]}


@pytest.fixture(autouse=True)
def fresh_warnings(monkeypatch):
    """Ansible keeps a module's warnings in a process-wide dict; each run here starts with none."""
    from ansible.module_utils.common import warnings

    monkeypatch.setattr(warnings, "_global_warnings", {})


def warnings_of(result: dict[str, Any]) -> list[str]:
    """The warning texts (ansible-core 2.19 returns each as a WarningSummary dict, older ones as text)."""
    return [w["event"]["msg"] if isinstance(w, dict) else w for w in result.get("warnings", [])]


# --- create and idempotency ---------------------------------------------------------------------


def test_creates_a_copy_and_returns_its_facts(run_module, no_sleep):
    other_source = SOURCE_ARN.replace("abcdefghij12", "zzzzzzzzzz99")
    fake = CopyBedrock([job(1, "Completed", NAME + "-canary"), job(2, "Completed", sourceModelArn=other_source)])
    args = dict(ARGS, model_kms_key_id=KEY_ID, tags={"Team": "search", "cost-center": 42})
    result = run_module(main, args, fake)

    assert result["changed"] is True
    assert result["_clients_created"] == ["bedrock"]
    assert fake.list_calls == [
        {
            "sourceModelArnEquals": SOURCE_ARN,
            "targetModelNameContains": NAME,
            "sortBy": "CreationTime",
            "sortOrder": "Descending",
            "maxResults": 1000,
        }
    ]
    [sent] = fake.create_calls
    assert sent == {
        "sourceModelArn": SOURCE_ARN,
        "targetModelName": NAME,
        "modelKmsKeyId": KEY_ID,
        "targetModelTags": [{"key": "Team", "value": "search"}, {"key": "cost-center", "value": "42"}],
        "clientRequestToken": result["client_request_token"],
    }
    facts = result["model_copy_job"]
    assert fake.get_calls == [facts["job_arn"]] == [job_arn(101)]
    assert facts["status"] == "InProgress"
    assert facts["target_model_name"] == NAME
    assert facts["target_model_tags"] == {"Team": "search", "cost-center": "42"}
    assert facts["target_model_kms_key_arn"] == KEY_ARN
    assert facts["creation_time"].endswith("+00:00")
    assert "diff" not in result
    assert "polls" not in result


@pytest.mark.parametrize("status", ["InProgress", "Completed"])
def test_an_existing_copy_is_returned_unchanged(run_module, no_sleep, status):
    fake = CopyBedrock([job(1, "Failed"), job(2, status)])
    result = run_module(main, dict(ARGS, tags={"Team": "search"}), fake)
    assert result["changed"] is False
    assert result["model_copy_job"]["job_arn"] == job_arn(2)
    assert result["model_copy_job"]["status"] == status
    assert fake.create_calls == []
    assert fake.get_calls == []
    assert len(fake.list_calls) == 1
    assert "warnings" not in result
    assert "client_request_token" not in result


def test_a_second_run_changes_nothing(run_module, no_sleep):
    fake = CopyBedrock()
    first = run_module(main, ARGS, fake)
    second = run_module(main, ARGS, fake)
    assert (first["changed"], second["changed"]) == (True, False)
    assert second["model_copy_job"] == first["model_copy_job"]
    assert len(fake.create_calls) == 1


def test_a_longer_name_is_not_the_same_copy(run_module, no_sleep):
    fake = CopyBedrock([job(5, "InProgress", NAME + "x"), job(1, "Completed", "x" + NAME)])
    result = run_module(main, ARGS, fake)
    assert result["changed"] is True
    assert len(fake.create_calls) == 1


def test_after_a_failed_copy_a_new_job_is_started_with_a_new_token(run_module, no_sleep):
    # The newest copy failed; an older one for the same name completed once (its model since deleted).
    fake = CopyBedrock([job(1, "Completed"), job(2, "Failed", failureMessage="boom")])
    retried = run_module(main, ARGS, fake)
    fresh = run_module(main, ARGS, CopyBedrock())

    assert retried["changed"] is True
    assert retried["model_copy_job"]["job_arn"] == job_arn(101)
    assert retried["client_request_token"] != fresh["client_request_token"]
    again = run_module(main, ARGS, fake)
    assert again["changed"] is False
    assert again["model_copy_job"]["job_arn"] == job_arn(101)
    assert len(fake.create_calls) == 1


def test_each_failure_gets_its_own_token(run_module, no_sleep):
    fake = CopyBedrock([job(1, "Failed")])
    first = run_module(main, ARGS, fake)
    fake.jobs[-1]["status"] = "Failed"
    second = run_module(main, ARGS, fake)
    assert second["changed"] is True
    assert first["client_request_token"] != second["client_request_token"]
    assert [j["jobArn"] for j in fake.jobs] == [job_arn(1), job_arn(101), job_arn(102)]


def test_the_derived_token_is_stable_and_depends_on_every_input(run_module, no_sleep):
    def token(**args):
        return run_module(main, dict(ARGS, **args), CopyBedrock())["client_request_token"]

    base = token(tags={"a": "1", "b": "2"}, model_kms_key_id=KEY_ID)
    assert CLIENT_REQUEST_TOKEN.fullmatch(base)
    assert base.startswith("ansible-")
    assert token(tags={"b": "2", "a": 1}, model_kms_key_id=KEY_ID) == base
    others = {
        token(tags={"a": "1"}, model_kms_key_id=KEY_ID),
        token(tags={"a": "1", "b": "2"}),
        token(tags={"a": "1", "b": "2"}, model_kms_key_id="alias/other"),
        token(tags={"a": "1", "b": "2"}, model_kms_key_id=KEY_ID, target_model_name=NAME + "-2"),
    }
    assert len(others) == 4
    assert base not in others


def test_a_copy_not_listed_yet_is_not_started_twice(run_module, no_sleep):
    """Listing lags behind creation: the re-run sends the same token and gets the same job back."""
    fake = CopyBedrock()
    first = run_module(main, ARGS, fake)
    fake.hidden.add(first["model_copy_job"]["job_arn"])
    second = run_module(main, ARGS, fake)
    assert [c["clientRequestToken"] for c in fake.create_calls] == [first["client_request_token"]] * 2
    assert len(fake.jobs) == 1
    # Not visible to Get either: the facts are those of the request, with the ARN Bedrock returned.
    facts = second["model_copy_job"]
    assert (facts["job_arn"], facts["status"], facts["target_model_name"]) == (job_arn(101), "InProgress", NAME)
    assert facts["creation_time"] is None


def test_an_explicit_token_is_sent_as_given(run_module, no_sleep):
    fake = CopyBedrock()
    result = run_module(main, dict(ARGS, client_request_token="deploy-2026-11-28"), fake)
    assert fake.create_calls[0]["clientRequestToken"] == "deploy-2026-11-28"
    assert result["client_request_token"] == "deploy-2026-11-28"


def test_an_explicit_token_used_by_the_failed_job_fails_the_task(run_module, no_sleep):
    fake = CopyBedrock()
    run_module(main, dict(ARGS, client_request_token="t1"), fake)
    fake.jobs[0]["status"] = "Failed"
    result = run_module(main, dict(ARGS, client_request_token="t1"), fake)
    assert result["failed"] is True
    assert result["changed"] is False
    assert result["msg"] == (
        f"client_request_token: 't1' was already used for the model copy job {job_arn(101)}, and it failed; "
        "give a new token, or none to derive one"
    )
    assert len(fake.jobs) == 1


def test_a_completed_copy_whose_model_was_deleted_is_copied_again_with_a_new_token(run_module, no_sleep, fake_time):
    fake = CopyBedrock([job(1, "Completed")])
    unchanged = run_module(main, ARGS, fake)
    assert unchanged["changed"] is False
    assert fake.model_calls == [("get", {"modelIdentifier": summary(1)["targetModelArn"]})]

    fake.deleted_models.add(summary(1)["targetModelArn"])
    recopied = run_module(main, ARGS, fake)
    assert recopied["changed"] is True
    # Not found on five reads over 10 s (a lagging read would have been given that long): deleted.
    assert [kind for kind, _params in fake.model_calls] == ["get"] * 6
    assert fake_time == [1.0, 2.0, 4.0, 3.0]
    assert recopied["model_copy_job"]["job_arn"] == job_arn(101)
    assert recopied["client_request_token"] != run_module(main, ARGS, CopyBedrock())["client_request_token"]
    # The new job is the newest now: a re-run while it copies changes nothing.
    again = run_module(main, ARGS, fake)
    assert (again["changed"], again["model_copy_job"]["job_arn"]) == (False, job_arn(101))
    assert len(fake.create_calls) == 1


def test_check_and_diff_mode_say_a_deleted_copy_would_be_copied_again(run_module, no_sleep, fake_time):
    fake = CopyBedrock([job(1, "Completed")])
    fake.deleted_models.add(summary(1)["targetModelArn"])
    result = run_module(main, dict(ARGS, _ansible_check_mode=True, _ansible_diff=True), fake)
    assert result["changed"] is True
    assert result["diff"]["before"] == {}
    assert result["diff"]["after"]["target_model_name"] == NAME
    assert result["model_copy_job"]["job_arn"] is None
    assert fake.create_calls == []


def test_an_explicit_token_used_by_the_job_whose_model_was_deleted_fails_the_task(run_module, no_sleep, fake_time):
    fake = CopyBedrock()
    first = run_module(main, dict(ARGS, client_request_token="t1"), fake)
    fake.jobs[0]["status"] = "Completed"
    fake.deleted_models.add(fake.jobs[0]["targetModelArn"])
    result = run_module(main, dict(ARGS, client_request_token="t1"), fake)
    assert result["failed"] is True
    assert result["msg"].startswith(
        f"client_request_token: 't1' was already used for the model copy job {first['model_copy_job']['job_arn']}, "
        "and its model was deleted after it completed"
    )
    assert len(fake.jobs) == 1


def lagging(reads: int) -> list[BaseException | None]:
    """Faults for one run: the listing answers, then GetCustomModel says not found ``reads`` times."""
    return [None] + [client_error("ResourceNotFoundException", "GetCustomModel", 404)] * reads


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_model_read_that_lags_the_completed_job_is_read_again_not_copied_again(
    run_module, no_sleep, fake_time, check_mode
):
    fake = CopyBedrock([job(1, "Completed")], faults=lagging(2))
    result = run_module(main, dict(ARGS, _ansible_check_mode=check_mode), fake)
    assert result["changed"] is False
    assert result["model_copy_job"]["job_arn"] == job_arn(1)
    assert "client_request_token" not in result
    assert fake.create_calls == []
    # Two misses, then found on the third read, 1 s and 2 s later.
    assert fake.model_calls == [("get", {"modelIdentifier": summary(1)["targetModelArn"]})] * 3
    assert fake_time == [1.0, 2.0]
    assert warnings_of(result) == []


def test_a_model_still_missing_after_the_rereads_is_copied_again(run_module, no_sleep, fake_time):
    fake = CopyBedrock([job(1, "Completed")], faults=lagging(5))
    result = run_module(main, ARGS, fake)
    assert result["changed"] is True
    assert len(fake.create_calls) == 1
    # The token is derived from the replaced job: not the token of a first copy.
    assert result["client_request_token"] != run_module(main, ARGS, CopyBedrock())["client_request_token"]
    assert fake_time == [1.0, 2.0, 4.0, 3.0]


@pytest.mark.parametrize("check_mode", [False, True])
def test_a_job_created_minutes_ago_is_never_copied_again_on_a_missing_model(
    run_module, no_sleep, fake_time, check_mode
):
    just_now = datetime.datetime.now(datetime.timezone.utc) - datetime.timedelta(minutes=2)
    fake = CopyBedrock([job(1, "Completed", creationTime=just_now)])
    fake.deleted_models.add(summary(1)["targetModelArn"])
    result = run_module(main, dict(ARGS, _ansible_check_mode=check_mode), fake)
    assert result["changed"] is False
    assert result["model_copy_job"]["job_arn"] == job_arn(1)
    assert fake.create_calls == []
    assert len(fake.model_calls) == 5
    assert warnings_of(result) == [
        f"Model copy job {job_arn(1)} completed only minutes ago and Bedrock does not show its model "
        f"{summary(1)['targetModelArn']} yet: it is returned unchanged, not copied again."
    ]


def test_a_denied_model_lookup_fails_before_anything_is_created(run_module, no_sleep):
    fake = CopyBedrock(
        [job(1, "Completed")], faults=[None, client_error("AccessDeniedException", "GetCustomModel", 403)]
    )
    result = run_module(main, ARGS, fake)
    assert result["failed"] is True
    assert "get custom model" in result["msg"]
    assert fake.create_calls == []


# --- immutable jobs -------------------------------------------------------------------------------


def test_other_tags_on_the_existing_job_give_a_warning_not_a_change(run_module, no_sleep):
    fake = CopyBedrock([job(1, "Completed")])  # tagged Team=search
    result = run_module(main, dict(ARGS, tags={"Team": "ads"}), fake)
    assert result["changed"] is False
    assert fake.create_calls == []
    [warning] = warnings_of(result)
    assert warning == (
        f"Model copy job {job_arn(1)} already copies this model to {NAME} with tags {{'Team': 'search'}} "
        "(requested {'Team': 'ads'}). Copy jobs cannot be changed: it is returned unchanged."
    )


@pytest.mark.parametrize(
    ("requested", "warned"),
    [
        (KEY_ID, False),
        (KEY_ARN, False),
        ("alias/bedrock-models", False),  # aliases are not resolved
        ("ffffffff-12ab-34cd-56ef-1234567890ab", True),
    ],
)
def test_the_kms_key_of_the_existing_job_is_compared(run_module, no_sleep, requested, warned):
    fake = CopyBedrock([job(1, "InProgress", targetModelKmsKeyArn=KEY_ARN)])
    result = run_module(main, dict(ARGS, model_kms_key_id=requested, tags={"Team": "search"}), fake)
    assert result["changed"] is False
    assert bool(warnings_of(result)) is warned
    if warned:
        assert f"KMS key {KEY_ARN} (requested {requested})" in warnings_of(result)[0]


def test_a_key_on_the_job_but_none_requested_is_not_compared(run_module, no_sleep):
    fake = CopyBedrock([job(1, "Completed", targetModelKmsKeyArn=KEY_ARN)])
    result = run_module(main, ARGS, fake)
    assert "warnings" not in result


def test_a_requested_key_the_job_does_not_have_is_warned_about(run_module, no_sleep):
    fake = CopyBedrock([job(1, "Completed")])
    result = run_module(main, dict(ARGS, model_kms_key_id=KEY_ID), fake)
    assert f"KMS key None (requested {KEY_ID})" in warnings_of(result)[0]


# --- check and diff mode ----------------------------------------------------------------------------


def test_check_mode_sends_no_create_and_returns_the_planned_job(run_module, no_sleep):
    fake = CopyBedrock()
    args = dict(ARGS, tags={"Team": "search"}, model_kms_key_id="alias/bedrock-models", wait=True)
    checked = run_module(main, dict(args, _ansible_check_mode=True), fake)
    assert checked["changed"] is True
    assert fake.create_calls == []
    assert fake.get_calls == []
    assert checked["model_copy_job"] == {
        "job_arn": None,
        "status": None,
        "creation_time": None,
        "target_model_arn": None,
        "target_model_name": NAME,
        "source_account_id": None,
        "source_model_arn": SOURCE_ARN,
        "source_model_name": None,
        "target_model_kms_key_arn": "alias/bedrock-models",
        "target_model_tags": {"Team": "search"},
        "failure_message": None,
    }
    assert "polls" not in checked  # nothing to wait for
    real = run_module(main, dict(args, wait=False), fake)
    assert real["client_request_token"] == checked["client_request_token"]


@pytest.mark.parametrize("newest", ["InProgress", "Completed", "Failed"])
def test_check_mode_with_an_existing_job(run_module, no_sleep, newest):
    fake = CopyBedrock([job(1, newest)])
    result = run_module(main, dict(ARGS, _ansible_check_mode=True), fake)
    assert result["changed"] is (newest == "Failed")
    assert fake.create_calls == []


def test_diff_shows_the_job_that_would_be_started(run_module, no_sleep):
    fake = CopyBedrock()
    args = dict(ARGS, tags={"Team": "search"}, _ansible_diff=True)
    checked = run_module(main, dict(args, _ansible_check_mode=True), fake)
    expected = {"source_model_arn": SOURCE_ARN, "target_model_name": NAME, "target_model_tags": {"Team": "search"}}
    assert checked["diff"] == {"before": {}, "after": expected}
    real = run_module(main, args, fake)
    assert real["diff"] == checked["diff"]
    unchanged = run_module(main, args, fake)
    assert "diff" not in unchanged


# --- validation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"target_model_name": None}, "missing required arguments: target_model_name"),
        ({"source_model_arn": None}, "missing required arguments: source_model_arn"),
        (
            {"source_model_arn": "arn:aws:s3:::bucket"},
            "source_model_arn: expected a Bedrock custom or foundation model ARN, got 'arn:aws:s3:::bucket'",
        ),
        ({"target_model_name": "bad name"}, "target_model_name: expected 1-63 letters, digits"),
        ({"target_model_name": "a" * 64}, "target_model_name: expected 1-63 letters"),
        ({"target_model_name": "a--b"}, "target_model_name: expected"),
        ({"model_kms_key_id": "my key"}, "model_kms_key_id: expected a KMS key ID, ARN or alias"),
        ({"model_kms_key_id": "alias/" + "k" * 2043}, "model_kms_key_id: expected a KMS key ID"),
        ({"tags": {f"k{i}": "v" for i in range(201)}}, "tags: at most 200 tags are allowed, got 201"),
        ({"tags": {"bad*key": "v"}}, "tags: tag key 'bad*key' must be 1-128"),
        ({"tags": {"k" * 129: "v"}}, "tags: tag key"),
        ({"tags": {"Team": "a|b"}}, "tags: value of tag 'Team' must be 0-256"),
        ({"client_request_token": "-starts-with-dash"}, "client_request_token: expected at most 256 letters"),
        ({"client_request_token": "under_score"}, "client_request_token: expected"),
        ({"client_request_token": "a" * 257}, "client_request_token: expected"),
        ({"wait_timeout": 0}, "wait_timeout: must be greater than 0, got 0"),
        ({"wait_sleep": -5}, "wait_sleep: must be greater than 0, got -5"),
        ({"wait": "perhaps"}, "wait"),
        ({"tags": ["Team"]}, "tags"),
        ({"unknown_option": 1}, "Unsupported parameters"),
    ],
)
def test_bad_input_fails_before_any_client_is_made(run_module, args, message):
    merged = {k: v for k, v in {**ARGS, **args}.items() if v is not None}
    result = run_module(main, merged, None)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "exception" not in result
    assert "\n" not in result["msg"]
    assert result["_clients_created"] == []


def test_the_largest_valid_input_is_accepted(run_module, no_sleep):
    fake = CopyBedrock()
    args = dict(
        ARGS,
        target_model_name="a" * 63,
        tags={f"k{i}": "v" * 256 for i in range(200)},
        client_request_token="a" * 256,
        model_kms_key_id=f"arn:aws:kms:us-west-2:{ACCOUNT}:alias/bedrock-models",
    )
    result = run_module(main, args, fake)
    assert result["changed"] is True
    assert len(fake.create_calls[0]["targetModelTags"]) == 200


# --- AWS errors -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("AccessDeniedException", 403),
        ("ResourceNotFoundException", 404),
        ("TooManyTagsException", 400),
        ("ValidationException", 400),
    ],
)
def test_a_rejected_create_is_a_clear_failure(run_module, no_sleep, code, status):
    fake = CopyBedrock(faults=[None, client_error(code, "CreateModelCopyJob", status)])
    result = run_module(main, ARGS, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to create model copy job: ")
    assert code in result["msg"]
    assert result["error"]["code"] == code
    assert len(fake.create_calls) == 1
    assert fake.jobs == []


def test_a_denied_listing_fails_before_anything_is_created(run_module, no_sleep):
    fake = CopyBedrock(faults=[client_error("AccessDeniedException", status=403)])
    result = run_module(main, ARGS, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to list model copy jobs: ")
    assert fake.create_calls == []


def test_a_throttled_create_is_retried_with_the_same_token(run_module, no_sleep):
    throttle = client_error("ThrottlingException", "CreateModelCopyJob", 429)
    fake = CopyBedrock(faults=[None, throttle, throttle])
    result = run_module(main, ARGS, fake)
    assert result["changed"] is True
    assert len({c["clientRequestToken"] for c in fake.create_calls}) == 1
    assert len(fake.create_calls) == 3
    assert len(fake.jobs) == 1


# --- waiting --------------------------------------------------------------------------------------


def test_wait_polls_the_new_job_until_it_completes(run_module, no_sleep, fake_time):
    # Get #1 follows the create; the wait's polls are #2 to #4.
    fake = CopyBedrock(statuses=["InProgress", "InProgress", "InProgress", "Completed"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10), fake)
    assert "failed" not in result
    assert result["changed"] is True
    assert result["model_copy_job"]["status"] == "Completed"
    assert result["polls"] == 3
    assert result["elapsed"] == 20
    assert fake_time == [10, 10]
    assert fake.get_calls == [job_arn(101)] * 4
    assert len(fake.list_calls) == 1


def test_wait_fails_when_the_copy_fails_and_keeps_the_facts(run_module, no_sleep, fake_time):
    fake = CopyBedrock(statuses=["InProgress", "InProgress", "Failed"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=5), fake)
    assert result["failed"] is True
    assert result["changed"] is True
    assert result["msg"] == (
        f"1 model copy job(s) failed: {job_arn(101)} (target model {NAME}): copy failed: KMS key not usable"
    )
    assert result["model_copy_job"]["status"] == "Failed"
    assert result["model_copy_job"]["failure_message"] == "copy failed: KMS key not usable"
    assert result["polls"] == 2


def test_wait_times_out_naming_the_job(run_module, no_sleep, fake_time):
    fake = CopyBedrock()
    result = run_module(main, dict(ARGS, wait=True, wait_timeout=60, wait_sleep=25), fake)
    assert result["failed"] is True
    assert result["msg"] == (
        f"Timed out after 60s waiting for 1 model copy job(s): {job_arn(101)} (target model {NAME}, still InProgress)"
    )
    assert fake_time == [25, 25, 10]
    assert result["model_copy_job"]["status"] == "InProgress"


def test_wait_on_an_existing_copy_changes_nothing(run_module, no_sleep, fake_time):
    fake = CopyBedrock([job(1, "InProgress")], statuses=["InProgress", "Completed"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=1), fake)
    assert "failed" not in result
    assert result["changed"] is False
    assert result["model_copy_job"]["status"] == "Completed"
    assert result["polls"] == 2
    assert fake.create_calls == []


def test_wait_for_a_new_job_that_is_not_visible_yet(run_module, no_sleep, fake_time):
    fake = CopyBedrock(statuses=["Completed"], hide_new_for_gets=3)
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=2), fake)
    assert "failed" not in result
    assert result["model_copy_job"]["status"] == "Completed"
    assert result["model_copy_job"]["creation_time"] is not None
    assert result["polls"] == 3  # two polls that did not find it yet, then Completed
    assert len(fake.get_calls) == 4  # with the one right after the create


def test_wait_times_out_on_a_job_that_never_shows_up(run_module, no_sleep, fake_time):
    fake = CopyBedrock(hide_new_for_gets=1000)
    result = run_module(main, dict(ARGS, wait=True, wait_timeout=10, wait_sleep=5), fake)
    assert result["failed"] is True
    assert result["msg"] == (f"Timed out after 10s waiting for 1 model copy job(s): {job_arn(101)} (not found yet)")
    assert result["model_copy_job"]["job_arn"] == job_arn(101)


# --- find_newest_copy_job -------------------------------------------------------------------------


def test_the_lookup_stops_at_the_first_exact_match():
    jobs = [job(n, "Completed", f"{NAME}-{n}") for n in range(1, 1500)] + [job(2000, "Completed")]
    fake = CopyBedrock(jobs)
    assert find_newest_copy_job(fake, SOURCE_ARN, NAME)["jobArn"] == job_arn(2000)
    assert len(fake.list_calls) == 1


def test_the_lookup_reads_on_until_an_exact_match():
    jobs = [job(n, "Completed", f"{NAME}-{n}") for n in range(10, 1500)] + [job(1, "Failed"), job(2, "Completed")]
    fake = CopyBedrock(jobs)
    found = find_newest_copy_job(fake, SOURCE_ARN, NAME)
    assert found["jobArn"] == job_arn(2)
    assert [c.get("nextToken") for c in fake.list_calls] == [None, "tok-1000"]
    assert find_newest_copy_job(CopyBedrock(jobs[:-2]), SOURCE_ARN, NAME) is None


def test_creation_time_orders_the_jobs():
    early = job(1, "Completed", creationTime=datetime.datetime(2027, 1, 1, tzinfo=datetime.timezone.utc))
    fake = CopyBedrock([early, job(2, "Failed")])
    assert find_newest_copy_job(fake, SOURCE_ARN, NAME)["jobArn"] == job_arn(1)


def refused() -> Exception:
    import botocore.exceptions

    return botocore.exceptions.EndpointConnectionError(
        endpoint_url="http://127.0.0.1:9/model-copy-jobs/x", error="Connection refused"
    )


def test_wait_rides_out_an_outage_right_after_the_copy_was_started(run_module, no_sleep, fake_time):
    # List, create and the read of the new job answer; the wait's first poll cannot connect, its next one can.
    fake = CopyBedrock(faults=[None, None, None, refused()], statuses=["InProgress", "InProgress", "Completed"])
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10), fake)
    assert "failed" not in result, result
    assert result["changed"] is True and result["model_copy_job"]["status"] == "Completed"
    assert (result["polls"], result["unreachable_polls"]) == (1, 1)
    assert fake_time == [1]
    assert len(fake.create_calls) == 1


def test_wait_still_unreachable_at_the_deadline_keeps_the_started_job(run_module, no_sleep, fake_time):
    fake = CopyBedrock(faults=[None, None, None] + [refused()] * 50)
    result = run_module(main, dict(ARGS, wait=True, wait_sleep=10, wait_timeout=30), fake)
    assert result["failed"] is True and result["timed_out"] is True
    assert result["msg"].startswith("Cannot connect to the endpoint http://127.0.0.1:9/model-copy-jobs/x since ")
    # The job it started is in the result (a re-run finds it), as the last read saw it.
    assert result["model_copy_job"]["job_arn"] == job_arn(101)
    assert result["model_copy_job"]["status"] == "InProgress"
    assert result["client_request_token"].startswith("ansible-")
    assert result["polls"] == 0 and result["unreachable_polls"] == len(fake.get_calls) - 1


@pytest.mark.parametrize("wait", [False, True])
def test_a_read_that_fails_right_after_the_create_still_returns_the_new_job(run_module, no_sleep, fake_time, wait):
    # List and create answer; the read of the new job cannot connect. The job exists: the task reports it.
    fake = CopyBedrock(faults=[None, None, refused()], statuses=["Completed"])
    result = run_module(main, dict(ARGS, wait=wait, wait_sleep=10), fake)
    assert "failed" not in result, result
    assert result["changed"] is True and len(fake.create_calls) == 1
    assert result["model_copy_job"]["job_arn"] == job_arn(101)
    [warning] = warnings_of(result)
    assert warning.startswith(f"Started the model copy job {job_arn(101)}, but could not read it back: Failed to ")
    assert "cannot connect to http://127.0.0.1:9 (" in warning
    if wait:  # the wait's first poll reads it
        assert result["model_copy_job"]["status"] == "Completed" and result["polls"] == 1
    else:  # as the request asked for it
        assert result["model_copy_job"]["status"] == "InProgress"
        assert result["model_copy_job"]["target_model_name"] == NAME


def test_a_throttled_read_after_the_create_is_retried_not_reported_as_unread(run_module, no_sleep):
    fake = CopyBedrock(faults=[None, None, client_error("ThrottlingException", "GetModelCopyJob", 429)])
    result = run_module(main, ARGS, fake)
    assert "failed" not in result and warnings_of(result) == []
    assert result["model_copy_job"]["creation_time"] is not None  # read back on the retry
    assert len(fake.get_calls) == 2 and len(fake.create_calls) == 1


# --- a completed job whose model is not Active; a failed job left alone -----------------------------


def test_a_copy_whose_model_is_still_creating_is_kept_not_copied_again(run_module, no_sleep, fake_time):
    fake = CopyBedrock([job(1, "Completed")])
    fake.model_status[summary(1)["targetModelArn"]] = {"modelStatus": "Creating"}
    result = run_module(main, dict(ARGS, wait=True), fake)
    assert "failed" not in result, result.get("msg")
    assert (result["changed"], result["model_copy_job"]["job_arn"]) == (False, job_arn(1))
    assert fake.create_calls == []
    [warning] = warnings_of(result)
    assert warning.startswith(f"Model copy job {job_arn(1)} completed, but Bedrock is still creating its model ")
    # The same one GetCustomModel as for an Active model told it.
    assert [kind for kind, _params in fake.model_calls] == ["get"]


@pytest.mark.parametrize(
    ("model", "why"),
    [
        ({"modelStatus": "Failed", "failureMessage": "KMS key disabled"}, "KMS key disabled"),
        ({"modelStatus": "Failed"}, "Bedrock gave no failure message"),
    ],
)
def test_a_copy_whose_model_failed_is_refused_with_its_message(run_module, no_sleep, model, why):
    fake = CopyBedrock([job(1, "Completed")])
    fake.model_status[summary(1)["targetModelArn"]] = model
    result = run_module(main, ARGS, fake)
    assert result["failed"] is True and result["changed"] is False
    assert result["msg"] == (
        f"Model copy job {job_arn(1)} completed, but its model {summary(1)['targetModelArn']} failed: {why}. "
        "A new copy cannot take its name while it exists: delete that model (DeleteCustomModel), and the next run "
        "copies it anew; or copy to another target_model_name."
    )
    assert result["model_copy_job"]["job_arn"] == job_arn(1)
    assert fake.create_calls == []


def test_once_the_failed_model_is_deleted_the_next_run_copies_it_anew(run_module, no_sleep, fake_time):
    fake = CopyBedrock([job(1, "Completed")])
    fake.model_status[summary(1)["targetModelArn"]] = {"modelStatus": "Failed"}
    assert run_module(main, ARGS, fake)["failed"] is True
    fake.deleted_models.add(summary(1)["targetModelArn"])
    result = run_module(main, ARGS, fake)
    assert (result["changed"], result["model_copy_job"]["job_arn"]) == (True, job_arn(101))


@pytest.mark.parametrize("wait", [False, True])
def test_with_retry_failed_false_a_failed_job_is_left_alone(run_module, no_sleep, fake_time, wait):
    fake = CopyBedrock([job(1, "Failed", failureMessage="boom")])
    result = run_module(main, dict(ARGS, retry_failed=False, wait=wait), fake)
    assert "failed" not in result, result.get("msg")
    assert result["changed"] is False
    assert (result["model_copy_job"]["job_arn"], result["model_copy_job"]["status"]) == (job_arn(1), "Failed")
    assert fake.create_calls == [] and fake.get_calls == []  # not waited for: it has ended
    [warning] = warnings_of(result)
    assert warning == (
        f"Model copy job {job_arn(1)} failed (boom); with retry_failed=false it is returned unchanged, not copied "
        "again, and a deployment gate stays shut on this copy."
    )
    # A play over a region that keeps failing reaches changed=false on its second run too.
    assert run_module(main, dict(ARGS, retry_failed=False), fake)["changed"] is False


def test_retry_failed_false_still_starts_a_copy_that_has_no_job(run_module, no_sleep):
    fake = CopyBedrock()
    result = run_module(main, dict(ARGS, retry_failed=False), fake)
    assert result["changed"] is True and len(fake.create_calls) == 1
