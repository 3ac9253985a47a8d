from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.modules.model_copy_job_info import main
from ansible_collections.amazon.bedrock.tests.unit.fakes import FakeBedrock, client_error, job_arn, summary


def test_lists_every_job_as_facts(run_module, no_sleep):
    fake = FakeBedrock([summary(n, status="Completed" if n % 3 else "InProgress") for n in range(1, 1201)])
    result = run_module(main, {}, fake)
    assert result["changed"] is False
    assert len(result["model_copy_jobs"]) == 1200
    assert result["model_copy_jobs"][0]["job_arn"] == job_arn(1)
    assert result["model_copy_jobs"][0]["target_model_tags"] == {"Team": "search"}
    assert result["status_counts"] == {"InProgress": 400, "Completed": 800, "Failed": 0}
    assert "next_token" not in result


def test_filters_are_sent_under_their_api_names(run_module, no_sleep):
    fake = FakeBedrock([])
    run_module(
        main,
        {
            "status": "Failed",
            "creation_time_after": "2026-01-01",
            "source_account_id": "123456789012",
            "target_model_name_contains": "bot",
            "sort_by": "CreationTime",
            "sort_order": "Ascending",
        },
        fake,
    )
    sent = fake.list_calls[0]
    assert sent["statusEquals"] == "Failed"
    assert sent["creationTimeAfter"].isoformat() == "2026-01-01T00:00:00+00:00"
    assert sent["sourceAccountEquals"] == "123456789012"
    assert sent["targetModelNameContains"] == "bot"
    assert sent["sortBy"] == "CreationTime"
    assert sent["sortOrder"] == "Ascending"
    assert sent["maxResults"] == 1000


def test_max_results_caps_and_returns_next_token(run_module, no_sleep):
    fake = FakeBedrock([summary(n) for n in range(30)])
    first = run_module(main, {"max_results": 20}, fake)
    assert len(first["model_copy_jobs"]) == 20
    assert first["next_token"] == "tok-20"
    rest = run_module(main, {"max_results": 20, "next_token": first["next_token"]}, fake)
    assert [j["job_arn"] for j in rest["model_copy_jobs"]] == [job_arn(n) for n in range(20, 30)]
    assert "next_token" not in rest


def test_job_arns_get_each_job_and_report_the_missing_one(run_module, no_sleep):
    fake = FakeBedrock([summary(1), summary(2, status="Failed", failureMessage="boom")])
    result = run_module(main, {"job_arns": [job_arn(2), job_arn(9), job_arn(2)]}, fake)
    assert [j["job_arn"] for j in result["model_copy_jobs"]] == [job_arn(2)]
    assert result["missing_job_arns"] == [job_arn(9)]
    assert result["status_counts"]["Failed"] == 1
    assert fake.get_calls == [job_arn(2), job_arn(9)]
    assert fake.list_calls == []


def test_check_mode_still_reads(run_module, no_sleep):
    fake = FakeBedrock([summary(1)])
    result = run_module(main, {"_ansible_check_mode": True}, fake)
    assert result["changed"] is False
    assert len(result["model_copy_jobs"]) == 1


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"status": "Done"}, "value of status must be one of: InProgress, Completed, Failed, got: Done"),
        ({"sort_order": "up"}, "value of sort_order must be one of"),
        ({"max_results": "many"}, "max_results"),
        ({"max_results": 0}, "max_results: must be greater than 0, got 0"),
        ({"source_account_id": "42"}, "source_account_id: expected a 12-digit AWS account id, got '42'"),
        ({"creation_time_before": "soon"}, "creation_time_before: expected an ISO-8601"),
        ({"job_arns": [job_arn(1)], "status": "Completed"}, "parameters are mutually exclusive: job_arns|status"),
        ({"job_arns": ["not-an-arn"]}, "job_arns[0]: expected a model copy job ARN"),
        ({"job_arns": []}, "job_arns: is empty; give at least one model copy job ARN"),
        ({"unknown_option": 1}, "Unsupported parameters"),
    ],
)
def test_bad_input_fails_before_any_client_is_made(run_module, args, message):
    result = run_module(main, args, None)
    assert result["failed"] is True
    assert message in result["msg"]
    assert "exception" not in result
    assert result["_clients_created"] == []


@pytest.mark.parametrize(("args", "names_token"), [({"next_token": "tok-2"}, True), ({}, False)])
def test_a_refused_next_token_is_named_with_what_to_do(run_module, no_sleep, args, names_token):
    fake = FakeBedrock([summary(n) for n in range(1, 4)], faults=[client_error("ValidationException")])
    result = run_module(main, args, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("next_token: Bedrock refused it") is names_token
    assert "list again without next_token" in result["msg"] if names_token else "next_token" not in result["msg"]
    assert "ValidationException happened" in result["msg"]
    assert len(fake.list_calls) == 1


def test_twenty_throttles_in_a_row_are_ridden_out(run_module, no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("ThrottlingException", status=429)] * 20)
    result = run_module(main, {}, fake)
    assert "failed" not in result and len(result["model_copy_jobs"]) == 1
    assert len(fake.list_calls) == 21 and len(no_sleep) == 20


def test_throttled_until_the_budget_is_spent_says_so(run_module, no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("ThrottlingException", status=429)] * 500)
    result = run_module(main, {}, fake)
    assert result["failed"] is True
    attempts = len(fake.list_calls)
    # The pauses add up to the budget (the last is cut to end there); floats may miss it by an ulp.
    assert sum(no_sleep) == pytest.approx(300) and attempts == len(no_sleep) + 1
    assert (
        f"Failed to list model copy jobs (page 1): throttled (ThrottlingException) on all {attempts} attempts"
        in (result["msg"])
    )
    assert "over 300 s" in result["msg"]


def test_max_attempts_from_the_environment_bound_the_attempts(run_module, no_sleep, monkeypatch):
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "3")
    fake = FakeBedrock([summary(1)], faults=[client_error("ThrottlingException", status=429)] * 20)
    result = run_module(main, {}, fake)
    assert "throttled (ThrottlingException) on all 3 attempts" in result["msg"]
    assert len(fake.list_calls) == 3


def test_access_denied_is_a_clear_failure(run_module, no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("AccessDeniedException", status=403)])
    result = run_module(main, {}, fake)
    assert result["failed"] is True
    assert result["msg"].startswith("Failed to list model copy jobs: ")
    assert "AccessDeniedException" in result["msg"]
    assert result["error"]["code"] == "AccessDeniedException"
    assert len(fake.list_calls) == 1


class Progressing(FakeBedrock):
    """Jobs change status as polls go by: ``timeline[k]`` is applied before the k-th request (0-based)."""

    def __init__(self, jobs, timeline):
        super().__init__(jobs)
        self.timeline = timeline
        self.requests = 0

    def _tick(self):
        for n, status, *message in self.timeline.get(self.requests, []):
            for job in self.jobs:
                if job["jobArn"] == job_arn(n):
                    job["status"] = status
                    if message:
                        job["failureMessage"] = message[0]
            if status == "New":
                self.jobs.append(summary(n, status="InProgress"))
        self.requests += 1

    def list_model_copy_jobs(self, **params):
        self._tick()
        return super().list_model_copy_jobs(**params)

    def get_model_copy_job(self, jobArn):
        self._tick()
        return super().get_model_copy_job(jobArn)


def test_wait_polls_until_every_job_completed(run_module, no_sleep, fake_time):
    fake = Progressing(
        [summary(1, status="InProgress"), summary(2, status="InProgress")],
        {2: [(1, "Completed")], 3: [(2, "Completed")]},
    )
    result = run_module(main, {"wait": True, "wait_sleep": 10}, fake)
    assert "failed" not in result
    assert result["polls"] == 4
    assert result["elapsed"] == 30
    assert fake_time == [10, 10, 10]
    assert result["status_counts"] == {"InProgress": 0, "Completed": 2, "Failed": 0}
    assert len(fake.list_calls) == 4  # one listing pass per poll, not one get per job


def test_wait_fails_naming_the_failed_job_and_keeps_the_facts(run_module, no_sleep, fake_time):
    fake = Progressing(
        [summary(1, status="InProgress"), summary(2, status="InProgress")],
        {1: [(1, "Completed"), (2, "Failed", "KMS key not usable in eu-west-1")]},
    )
    result = run_module(main, {"wait": True, "wait_sleep": 5}, fake)
    assert result["failed"] is True
    assert result["msg"] == (
        f"1 model copy job(s) failed: {job_arn(2)} (target model copy-2): KMS key not usable in eu-west-1"
    )
    assert [j["status"] for j in result["model_copy_jobs"]] == ["Completed", "Failed"]
    assert result["polls"] == 2


def test_wait_times_out_naming_what_is_still_in_progress(run_module, no_sleep, fake_time):
    fake = Progressing([summary(1, status="InProgress"), summary(2)], {})
    result = run_module(main, {"wait": True, "wait_timeout": 60, "wait_sleep": 25}, fake)
    assert result["failed"] is True
    assert result["msg"] == (
        f"Timed out after 60s waiting for 1 model copy job(s): {job_arn(1)} (target model copy-1, still InProgress)"
    )
    assert fake_time == [25, 25, 10]
    assert result["elapsed"] == 60
    assert result["wait_round"] == dict(
        polls=result["polls"],
        elapsed=60,
        timed_out=True,
        unreachable_polls=0,
        timed_out_rest=result["msg"][len("Timed out after 60s") :],
    )


def test_wait_for_a_job_arn_that_is_not_visible_yet(run_module, no_sleep, fake_time):
    fake = Progressing([], {2: [(5, "New")], 3: [(5, "Completed")]})
    result = run_module(main, {"job_arns": [job_arn(5)], "wait": True, "wait_sleep": 1}, fake)
    assert "failed" not in result
    assert result["missing_job_arns"] == []
    assert result["model_copy_jobs"][0]["status"] == "Completed"
    assert result["polls"] == 4


def test_wait_for_a_selection_that_matches_nothing_yet(run_module, no_sleep, fake_time):
    fake = Progressing([], {1: [(3, "New")], 2: [(3, "Completed")]})
    result = run_module(main, {"wait": True, "wait_sleep": 1}, fake)
    assert "failed" not in result
    assert result["polls"] == 3


def test_a_throttle_during_a_wait_is_retried_not_taken_as_success(run_module, no_sleep, fake_time):
    throttle = client_error("ThrottlingException", status=429)
    fake = Progressing([summary(1, status="InProgress")], {3: [(1, "Completed")]})
    fake.faults = [None, throttle, throttle]
    result = run_module(main, {"wait": True, "wait_sleep": 1}, fake)
    assert "failed" not in result
    assert result["model_copy_jobs"][0]["status"] == "Completed"
    assert result["polls"] == 2
    assert len(no_sleep) == 2  # the retry's backoff, separate from the wait's own sleeps


def test_a_throttle_that_outlasts_the_wait_ends_it_timed_out_with_the_last_facts(run_module, no_sleep, fake_time):
    throttle = client_error("ThrottlingException", status=429)
    fake = Progressing([summary(1, status="InProgress")], {})
    fake.faults = [None] + [throttle] * 1000
    result = run_module(main, {"wait": True, "wait_timeout": 10, "wait_sleep": 1}, fake)
    assert result["failed"] is True and result["timed_out"] is True
    assert result["msg"].startswith("Timed out after ")
    assert f"{job_arn(1)} (target model copy-1, still InProgress)" in result["msg"]
    assert result["model_copy_jobs"][0]["status"] == "InProgress" and result["polls"] == 1
    assert sum(no_sleep) == pytest.approx(10)  # the request retried for the time the wait had left, no longer


def test_a_wait_whose_first_poll_is_throttled_until_the_deadline_times_out(run_module, no_sleep, fake_time):
    fake = Progressing([summary(1, status="InProgress")], {})
    fake.faults = [client_error("ThrottlingException", status=429)] * 1000
    result = run_module(main, {"wait": True, "wait_timeout": 10, "wait_sleep": 1}, fake)
    assert result["failed"] is True and result["timed_out"] is True and result["polls"] == 0
    assert result["msg"].startswith(
        "Timed out after 10s before the jobs could be read: Failed to list model copy jobs (page 1): throttled"
        " (ThrottlingException) on "
    )
    assert result["msg"].endswith("over 10 s until wait_timeout")
    assert "model_copy_jobs" not in result and sum(no_sleep) == pytest.approx(10)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"wait": True, "wait_timeout": 0}, "wait_timeout: must be greater than 0, got 0"),
        ({"wait": True, "wait_sleep": -1}, "wait_sleep: must be greater than 0, got -1"),
        ({"wait": "perhaps"}, "wait"),
    ],
)
def test_bad_wait_options(run_module, args, message):
    result = run_module(main, args, None)
    assert result["failed"] is True
    assert message in result["msg"]
    assert result["_clients_created"] == []


def test_no_credential_appears_in_the_result(run_module, no_sleep):
    fake = FakeBedrock([summary(1)], faults=[client_error("AccessDeniedException", status=403)])
    result = run_module(
        main,
        {"access_key": "AKIDRECOGNISABLE0001", "secret_key": "SECRETRECOGNISABLE0002", "session_token": "TOKEN0003"},
        fake,
    )
    text = str(result)
    assert result["failed"] is True
    for secret in ("AKIDRECOGNISABLE0001", "SECRETRECOGNISABLE0002", "TOKEN0003"):
        assert secret not in text


# --- an endpoint that stops answering during a wait ------------------------------------------------

ENDPOINT = "http://bedrock.internal.example:4000"


def refused() -> Exception:
    import botocore.exceptions

    return botocore.exceptions.EndpointConnectionError(
        endpoint_url=f"{ENDPOINT}/model-copy-jobs/x",
        error="Failed to establish a new connection: [Errno 111] Connection refused",
    )


class CompletesAt(FakeBedrock):
    """Job 1 reads InProgress until GetModelCopyJob's ``n``-th call (failed calls count), then Completed."""

    def __init__(self, n: int, faults) -> None:
        super().__init__([summary(1, status="InProgress")], faults)
        self.n = n

    def get_model_copy_job(self, jobArn: str):
        if len(self.get_calls) + 1 >= self.n:
            self.jobs[0]["status"] = "Completed"
        return super().get_model_copy_job(jobArn)


def test_wait_rides_out_an_outage_after_a_good_poll(run_module, no_sleep, fake_time):
    fake = CompletesAt(3, [None, refused(), refused(), None])
    result = run_module(main, {"job_arns": [job_arn(1)], "wait": True, "wait_sleep": 10}, fake)
    assert "failed" not in result, result
    assert result["model_copy_jobs"][0]["status"] == "Completed"
    assert (result["polls"], result["unreachable_polls"]) == (2, 2)
    # Retried 1 and 2 s after each failure, not a whole wait_sleep.
    assert fake_time == [10, 1, 2]


def test_wait_that_stays_unreachable_fails_naming_the_url_and_since_when(run_module, no_sleep, fake_time):
    fake = CompletesAt(1000, [None] + [refused()] * 100)
    result = run_module(main, {"job_arns": [job_arn(1)], "wait": True, "wait_sleep": 10, "wait_timeout": 60}, fake)
    assert result["failed"] is True and result["timed_out"] is True
    assert "\n" not in result["msg"]
    assert result["msg"].startswith(f"Cannot connect to the endpoint {ENDPOINT}/model-copy-jobs/x since 20")
    assert f"{result['unreachable_polls']} poll(s) failed to connect" in result["msg"]
    assert result["endpoint_unreachable"] == f"{ENDPOINT}/model-copy-jobs/x"
    assert result["unreachable_since"] in result["msg"]
    # What is returned is what the last good poll read: still InProgress, never taken for settled.
    assert result["model_copy_jobs"][0]["status"] == "InProgress"
    assert result["polls"] == 1 and result["unreachable_polls"] == len(fake.get_calls) - 1


def test_an_endpoint_unreachable_at_the_first_request_fails_at_once(run_module, no_sleep, fake_time):
    fake = CompletesAt(2, [refused()])
    result = run_module(main, {"job_arns": [job_arn(1)], "wait": True, "wait_sleep": 10}, fake)
    assert result["failed"] is True
    assert f"cannot connect to {ENDPOINT} (" in result["msg"] and "not retried" in result["msg"]
    assert result["endpoint_unreachable"] == f"{ENDPOINT}/model-copy-jobs/x"
    assert len(fake.get_calls) == 1 and fake_time == []
