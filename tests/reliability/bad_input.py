"""The bad-input matrix of the reliability suite (part 1): the cases, how they run, and what each must do.

Every case is a real task run (ansible-playbook, one inventory host per case, all cases in one process) of
model_copy_job_info, model_copy_job, model_copy_info, the model_copy_gate role, provisioned_model_throughput,
provisioned_model_throughput_info, custom_model_deployment or custom_model_deployment_info. Each must fail with a
message of the expected number of lines that names the option, without a traceback, and without a single request
reaching the endpoint. test_bad_input.py runs the matrix once, at -vvv (parts 1 and 4), on an endpoint of its own
started with the session (conftest.py). A gap the collection has not closed yet is a
case marked ``xfail``, with the reason: strict, so the suite notices when it is closed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from harness import Endpoint, Playbook, PlaybookRun, failure_message, start_cases, workdir

MODEL = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-express-v1:0:8k/abcdefghij12"
JOB = "arn:aws:bedrock:us-west-2:123456789012:model-copy-job/abcdefghij12"
KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab"
COPY = {"region": "us-west-2", "source_model_arn": MODEL, "target_model_name": "support-bot"}
# ansible-core's role argument validation puts this header on a line of its own before the detail.
CORE_HEADER = "Validation of arguments failed:"
TRACEBACK_UNAVAILABLE = "(traceback unavailable)"
# A gate whose copy reaches the module: short timings, so a case that wrongly waited would not wait long.
QUICK = {"model_copy_gate_timeout": 5, "model_copy_gate_poll_interval": 1}
# Where the role stops when model_copy_info rejects a copy (the module's message, renamed to the role's field).
GATE_READ_FAILED = "Stop when the copies could not be read"


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    # info (model_copy_job_info), job (model_copy_job), copies (model_copy_info), gate (the model_copy_gate role),
    # pt (provisioned_model_throughput), pt_info (provisioned_model_throughput_info),
    # cmd (custom_model_deployment) or cmd_info (custom_model_deployment_info)
    target: str
    args: dict[str, Any]  # module options; for the role, its variables
    option: str  # what the message must name
    lines: int = 1  # lines in the message (more only where ansible-core adds its own)
    task: str = ""  # for the role: the task that must fail (its name begins with this)
    omit: tuple[str, ...] = ()  # module_defaults left out for this case (region: no region anywhere)
    xfail: str = ""  # why the case does not fail yet (a known gap, reported, not hidden)

    def host(self) -> dict[str, Any]:
        variables: dict[str, Any] = {"case_target": self.target}
        if self.omit:
            variables["case_omit"] = list(self.omit)
        if self.target == "gate":
            return {**variables, **self.args}
        variables["case_args"] = dict(self.args)
        if "region" in self.args:  # region travels through module_defaults like the credentials
            variables["case_region"] = variables["case_args"].pop("region")
        return variables


def job(**args: Any) -> dict[str, Any]:
    return {"source_model_arn": MODEL, "target_model_name": "support-bot", **args}


def copies(*changed: dict[str, Any], **args: Any) -> dict[str, Any]:
    """model_copy_info options: a good copy first, then COPY with each of ``changed`` applied (if any)."""
    return {"copies": [COPY, *(dict(COPY, **change) for change in changed)], **args}


def without_region(copy: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in copy.items() if key != "region"}


CASES = [
    # model_copy_job_info
    Case("info-status-choice", "info", {"status": "Done"}, "status"),
    Case("info-sort-order-choice", "info", {"sort_order": "sideways"}, "sort_order"),
    Case("info-sort-by-choice", "info", {"sort_by": "Name"}, "sort_by"),
    Case("info-max-results-type", "info", {"max_results": "lots"}, "max_results"),
    Case("info-max-results-zero", "info", {"max_results": 0}, "max_results"),
    Case("info-max-results-negative", "info", {"max_results": -3}, "max_results"),
    Case("info-wait-type", "info", {"wait": "maybe"}, "wait"),
    Case("info-wait-timeout-zero", "info", {"wait": True, "wait_timeout": 0}, "wait_timeout"),
    Case("info-wait-timeout-negative", "info", {"wait_timeout": -5}, "wait_timeout"),
    Case("info-wait-sleep-zero", "info", {"wait": True, "wait_sleep": 0}, "wait_sleep"),
    Case("info-account-short", "info", {"source_account_id": "12345"}, "source_account_id"),
    Case("info-account-letters", "info", {"source_account_id": "12345678901a"}, "source_account_id"),
    Case("info-model-arn-s3", "info", {"source_model_arn": "arn:aws:s3:::bucket"}, "source_model_arn"),
    Case(
        "info-model-arn-account",
        "info",
        {"source_model_arn": MODEL.replace("123456789012", "1234")},
        "source_model_arn",
    ),
    Case("info-name-space", "info", {"target_model_name_contains": "two words"}, "target_model_name_contains"),
    Case("info-name-too-long", "info", {"target_model_name_contains": "a" * 64}, "target_model_name_contains"),
    Case("info-after-words", "info", {"creation_time_after": "last tuesday"}, "creation_time_after"),
    Case("info-before-no-such-day", "info", {"creation_time_before": "2026-02-30"}, "creation_time_before"),
    Case(
        "info-dates-reversed",
        "info",
        {"creation_time_after": "2026-02-01", "creation_time_before": "2026-01-01"},
        "creation_time_after",
    ),
    Case(
        "info-dates-equal",
        "info",
        {"creation_time_after": "2026-01-01T00:00:00Z", "creation_time_before": "2026-01-01"},
        "creation_time_after",
    ),
    Case("info-job-arn-malformed", "info", {"job_arns": ["not-an-arn"]}, "job_arns[0]"),
    Case("info-job-arn-model", "info", {"job_arns": [JOB, MODEL]}, "job_arns[1]"),
    Case("info-job-arns-type", "info", {"job_arns": {"arn": JOB}}, "job_arns"),
    Case("info-job-arns-empty", "info", {"job_arns": []}, "job_arns"),
    Case("info-job-arns-with-status", "info", {"job_arns": [JOB], "status": "Completed"}, "job_arns|status"),
    Case(
        "info-job-arns-with-after",
        "info",
        {"job_arns": [JOB], "creation_time_after": "2026-01-01"},
        "job_arns|creation_time_after",
    ),
    Case("info-job-arns-with-token", "info", {"job_arns": [JOB], "next_token": "abc"}, "job_arns|next_token"),
    Case("info-next-token-space", "info", {"next_token": "two words"}, "next_token"),
    Case("info-unknown-option", "info", {"stauts": "Completed"}, "stauts"),
    Case("info-region-malformed", "info", {"region": "us west 2"}, "region"),
    # model_copy_job
    Case("job-missing-name", "job", {"source_model_arn": MODEL}, "target_model_name"),
    Case("job-model-arn-s3", "job", job(source_model_arn="arn:aws:s3:::not-a-model"), "source_model_arn"),
    Case("job-model-arn-job", "job", job(source_model_arn=JOB), "source_model_arn"),
    Case("job-name-space", "job", job(target_model_name="two words"), "target_model_name"),
    Case("job-name-double-dash", "job", job(target_model_name="support--bot"), "target_model_name"),
    Case("job-name-too-long", "job", job(target_model_name="b" * 64), "target_model_name"),
    Case("job-kms-words", "job", job(model_kms_key_id="not a key"), "model_kms_key_id"),
    Case(
        "job-kms-arn-account",
        "job",
        job(model_kms_key_id=f"arn:aws:kms:us-west-2:12345678901:key/{KEY_ID}"),
        "model_kms_key_id",
    ),
    Case("job-kms-too-long", "job", job(model_kms_key_id="alias/" + "k" * 2048), "model_kms_key_id"),
    Case("job-tags-list", "job", job(tags=["Team", "search"]), "tags"),
    Case("job-tag-key-char", "job", job(tags={"bad*key": "x"}), "tags"),
    Case("job-tag-key-long", "job", job(tags={"k" * 129: "x"}), "tags"),
    Case("job-tag-value-long", "job", job(tags={"Team": "v" * 257}), "tags"),
    Case("job-tags-too-many", "job", job(tags={f"tag{i}": str(i) for i in range(201)}), "tags"),
    Case("job-token-dash", "job", job(client_request_token="-dash-first"), "client_request_token"),
    Case("job-token-long", "job", job(client_request_token="t" * 257), "client_request_token"),
    Case("job-wait-timeout-negative", "job", job(wait=True, wait_timeout=-1), "wait_timeout"),
    Case("job-wait-sleep-type", "job", job(wait_sleep="soon"), "wait_sleep"),
    # model_copy_info
    Case("copies-missing", "copies", {}, "copies"),
    Case(
        "copies-elements-strings",
        "copies",
        {"copies": ["us-west-2"]},
        "copies",
    ),
    Case("copies-empty", "copies", {"copies": []}, "copies: is empty"),
    Case(
        "copies-no-source",
        "copies",
        {"copies": [{"target_model_name": "support-bot", "region": "us-west-2"}]},
        "copies[0].source_model_arn: is required",
    ),
    Case("copies-unknown-key", "copies", {"copies": [dict(COPY, name="support-bot")]}, "copies[0].name"),
    Case(
        "copies-model-arn-s3",
        "copies",
        copies({"source_model_arn": "arn:aws:s3:::bucket"}),
        "copies[1].source_model_arn",
    ),
    Case("copies-model-arn-job", "copies", copies({"source_model_arn": JOB}), "copies[1].source_model_arn"),
    Case(
        "copies-role-arn-user",
        "copies",
        copies({"assume_role_arn": "arn:aws:iam::111111111111:user/gate"}),
        "copies[1].assume_role_arn: expected an IAM role ARN",
    ),
    Case(
        "copies-role-and-profile",
        "copies",
        copies({"assume_role_arn": "arn:aws:iam::111111111111:role/gate", "profile": "prod"}),
        "copies[1].profile: give assume_role_arn or profile, not both",
    ),
    Case("copies-name-space", "copies", copies({"target_model_name": "two words"}), "copies[1].target_model_name"),
    Case(
        "copies-name-double-dash",
        "copies",
        copies({"target_model_name": "support--bot"}),
        "copies[1].target_model_name",
    ),
    Case("copies-name-too-long", "copies", copies({"target_model_name": "c" * 64}), "copies[1].target_model_name"),
    Case(
        "copies-no-region",  # the second copy has no region, and the task has none either
        "copies",
        {"copies": [COPY, without_region(COPY)]},
        "copies[1].region",
        omit=("region",),
    ),
    Case("copies-region-malformed", "copies", {"copies": [dict(COPY, region="us west 2")]}, "region"),
    Case("copies-wait-type", "copies", copies(wait="maybe"), "wait"),
    Case("copies-wait-timeout-zero", "copies", copies(wait=True, wait_timeout=0), "wait_timeout"),
    Case("copies-wait-sleep-negative", "copies", copies(wait_sleep=-1), "wait_sleep"),
    Case("copies-unknown-option", "copies", copies(wiat=True), "wiat"),
    # the model_copy_gate role
    Case("gate-copies-missing", "gate", {}, "model_copy_gate_copies", lines=2, task="Validating arguments"),
    Case(
        "gate-copies-string",
        "gate",
        {"model_copy_gate_copies": "us-west-2"},
        "model_copy_gate_copies",
        lines=3,
        task="Validating arguments",
    ),
    Case(
        "gate-copies-elements",
        "gate",
        {"model_copy_gate_copies": ["us-west-2"]},
        "model_copy_gate_copies",
        lines=3,  # ansible-core reports the element conversion twice
        task="Validating arguments",
    ),
    Case(
        "gate-copies-empty",
        "gate",
        {"model_copy_gate_copies": []},
        "model_copy_gate_copies",
        task="Check that there is something to wait for",
    ),
    Case(
        "gate-copy-no-region",
        "gate",
        {"model_copy_gate_copies": [without_region(COPY)]},
        "region",
        lines=2,
        task="Validating arguments",
    ),
    Case(
        "gate-copy-unknown-key",
        "gate",
        {"model_copy_gate_copies": [dict(COPY, name="support-bot")]},
        "model_copy_gate_copies.name",
        lines=2,
        task="Validating arguments",
    ),
    # Copies the role passes on to model_copy_info, which rejects them before any request; the role reports the
    # module's message under its own field name, with the index of the copy.
    Case(
        "gate-copy-model-arn",
        "gate",
        {"model_copy_gate_copies": [dict(COPY, source_model_arn="arn:aws:s3:::bucket")], **QUICK},
        "(model_copy_gate_copies[0].source_model_arn: expected a Bedrock custom or foundation model ARN",
        task=GATE_READ_FAILED,
    ),
    Case(
        "gate-copy-role-arn",
        "gate",
        {"model_copy_gate_copies": [COPY, dict(COPY, assume_role_arn="111111111111")], **QUICK},
        "(model_copy_gate_copies[1].assume_role_arn: expected an IAM role ARN",
        task=GATE_READ_FAILED,
    ),
    Case(
        "gate-copy-name-space",
        "gate",
        {"model_copy_gate_copies": [COPY, dict(COPY, target_model_name="two words")], **QUICK},
        "(model_copy_gate_copies[1].target_model_name: expected 1-63 letters",
        task=GATE_READ_FAILED,
    ),
    Case(
        "gate-timeout-type",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_timeout": "soon"},
        "model_copy_gate_timeout",
        lines=2,
        task="Validating arguments",
    ),
    # The timing check names every timing input with its value: the case's value must be the one shown.
    # A misspelled input would be ignored by Ansible (and the gate would fail, or not, against the caller's wish).
    Case(
        "gate-input-misspelled",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_fial": False},
        "model_copy_gate_fial (did you mean model_copy_gate_fail?)",
        task="Check that every model_copy_gate_* variable is an input",
    ),
    Case(
        "gate-timeout-zero",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_timeout": 0},
        "model_copy_gate_timeout (0)",
        task="Check the timing inputs",
    ),
    Case(
        "gate-timeout-negative",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_timeout": -60},
        "model_copy_gate_timeout (-60)",
        task="Check the timing inputs",
    ),
    Case(
        "gate-poll-negative",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_poll_interval": -1},
        "model_copy_gate_poll_interval (-1)",
        task="Check the timing inputs",
    ),
    Case(
        "gate-poll-over-a-minute",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_poll_interval": 61},
        "model_copy_gate_poll_interval (61)",
        task="Check the timing inputs",
    ),
    Case(
        "gate-report-type",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_report_interval": "often"},
        "model_copy_gate_report_interval",
        lines=2,
        task="Validating arguments",
    ),
    Case(
        "gate-report-zero",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_report_interval": 0},
        "model_copy_gate_report_interval (0)",
        task="Check the timing inputs",
    ),
    Case(
        "gate-report-over-a-minute",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_report_interval": 61},
        "model_copy_gate_report_interval (61)",
        task="Check the timing inputs",
    ),
    Case(
        "gate-fail-type",
        "gate",
        {"model_copy_gate_copies": [COPY], "model_copy_gate_fail": "maybe"},
        "model_copy_gate_fail",
        lines=2,
        task="Validating arguments",
    ),
]


def start(endpoint: Endpoint, verbosity: int = 0) -> Playbook:
    """Reset the endpoint (statistics included: with-endpoint's health probe counted as Other) and start the run."""
    endpoint.reset()
    hosts = {case.id: case.host() for case in CASES}
    return start_cases(endpoint, hosts, workdir(f"bad-input-v{verbosity}"), verbosity=verbosity, forks=6)


def check_case(case: Case, run: PlaybookRun) -> None:
    outcome = run.outcomes.get(case.id)
    assert outcome is not None, f"{case.id}: no outcome recorded (ansible-playbook exit {run.rc})"
    msg = failure_message(outcome)
    assert msg is not None, f"{case.id} did not fail: {outcome}"
    lines = msg.splitlines()
    if case.target == "gate" and case.lines > 1:
        assert lines[0] == CORE_HEADER, msg
    assert len(lines) == case.lines, f"{case.id}: expected {case.lines} line(s): {msg!r}"
    assert case.option in lines[-1], f"{case.id}: {case.option!r} is not named in {msg!r}"
    if case.task:
        failed_task = str(outcome.get("failed_task"))
        assert failed_task.startswith(case.task), f"{case.id}: failed in {failed_task!r}, not in {case.task!r}"
    if case.target == "gate":  # a gate that could not check its inputs has no verdict
        assert outcome["gate_open"] is not True and not outcome["gate_results"], f"{case.id}: {outcome}"
    # ansible-core 2.19 puts a placeholder in "exception" when tracebacks are not captured (the default).
    traceback = str(outcome["failure"].get("exception", TRACEBACK_UNAVAILABLE))
    assert traceback == TRACEBACK_UNAVAILABLE, f"{case.id}: a traceback came back: {traceback}"
    assert "Traceback" not in msg


# provisioned_model_throughput (pt) and provisioned_model_throughput_info (pt_info)
FOUNDATION = "amazon.titan-text-express-v1:0:8k"


def pt(**args: Any) -> dict[str, Any]:
    return {"name": "support-bot", "model": MODEL, "model_units": 1, **args}


CASES += [
    Case("pt-name-space", "pt", pt(name="two words"), "name"),
    Case("pt-name-too-long", "pt", pt(name="a" * 64), "name"),
    Case("pt-model-custom-name", "pt", pt(model="my-custom-model"), "model"),
    Case("pt-model-s3-arn", "pt", pt(model="arn:aws:s3:::bucket"), "model"),
    Case("pt-model-missing", "pt", {"name": "support-bot", "model_units": 1}, "model"),
    Case("pt-units-zero", "pt", pt(model_units=0), "model_units"),
    Case("pt-units-type", "pt", pt(model_units="lots"), "model_units"),
    Case("pt-commitment-choice", "pt", pt(commitment_duration="OneYear"), "commitment_duration"),
    Case("pt-state-choice", "pt", pt(state="gone"), "state"),
    Case("pt-token-dash", "pt", pt(client_request_token="-leading-dash"), "client_request_token"),
    Case("pt-tags-key", "pt", pt(tags={"bad{key}": "x"}), "tags"),
    Case("pt-wait-timeout-zero", "pt", pt(wait=True, wait_timeout=0), "wait_timeout"),
    Case("pt-wait-sleep-negative", "pt", pt(model=FOUNDATION, wait_sleep=-1), "wait_sleep"),
    Case("pt-info-status-choice", "pt_info", {"status": "Running"}, "status"),
    Case("pt-info-name-space", "pt_info", {"name": "two words"}, "name"),
    Case("pt-info-model-arn", "pt_info", {"model_arn": FOUNDATION}, "model_arn"),
    Case("pt-info-name-contains", "pt_info", {"name_contains": "a--b"}, "name_contains"),
    Case("pt-info-max-results-zero", "pt_info", {"max_results": 0}, "max_results"),
    Case(
        "pt-info-dates-reversed",
        "pt_info",
        {"creation_time_after": "2026-02-01", "creation_time_before": "2026-01-01"},
        "creation_time_after",
    ),
    Case("pt-info-name-with-status", "pt_info", {"name": "support-bot", "status": "Failed"}, "name|status"),
]


# custom_model_deployment (cmd) and custom_model_deployment_info (cmd_info)
DEPLOYMENT = "arn:aws:bedrock:us-west-2:123456789012:custom-model-deployment/abcdefghij12"


def cmd(**args: Any) -> dict[str, Any]:
    return {"name": "support-bot", "model": MODEL, **args}


CASES += [
    Case("cmd-name-space", "cmd", cmd(name="two words"), "name"),
    Case("cmd-name-too-long", "cmd", cmd(name="a" * 64), "name"),
    Case("cmd-name-deployment-arn", "cmd", cmd(name=DEPLOYMENT), "name"),
    Case("cmd-model-foundation", "cmd", cmd(model=FOUNDATION), "model"),
    Case("cmd-model-s3-arn", "cmd", cmd(model="arn:aws:s3:::bucket"), "model"),
    Case("cmd-model-missing", "cmd", {"name": "support-bot"}, "model"),
    Case("cmd-description-empty", "cmd", cmd(description=""), "description"),
    Case("cmd-description-too-long", "cmd", cmd(description="d" * 2049), "description"),
    Case("cmd-state-choice", "cmd", cmd(state="gone"), "state"),
    Case("cmd-token-dash", "cmd", cmd(client_request_token="-leading-dash"), "client_request_token"),
    Case("cmd-tags-key", "cmd", cmd(tags={"bad{key}": "x"}), "tags"),
    Case("cmd-tags-type", "cmd", cmd(tags=["Team"]), "tags"),
    Case("cmd-purge-tags-type", "cmd", cmd(purge_tags="maybe"), "purge_tags"),
    Case("cmd-retry-failed-update-type", "cmd", cmd(retry_failed_update="maybe"), "retry_failed_update"),
    Case("cmd-wait-timeout-zero", "cmd", cmd(wait=True, wait_timeout=0), "wait_timeout"),
    Case("cmd-wait-sleep-negative", "cmd", cmd(wait=True, wait_sleep=-1), "wait_sleep"),
    Case("cmd-wait-report-interval-long", "cmd", cmd(wait=True, wait_report_interval=61), "wait_report_interval"),
    Case(
        "cmd-absent-wait-timeout-zero",
        "cmd",
        {"name": "support-bot", "state": "absent", "wait_timeout": 0},
        "wait_timeout",
    ),
    Case("cmd-info-status-choice", "cmd_info", {"status": "InService"}, "status"),
    Case("cmd-info-name-space", "cmd_info", {"name": "two words"}, "name"),
    Case("cmd-info-name-other-arn", "cmd_info", {"name": MODEL}, "name"),
    Case("cmd-info-model-arn-foundation", "cmd_info", {"model_arn": FOUNDATION}, "model_arn"),
    Case("cmd-info-name-contains", "cmd_info", {"name_contains": "a--b"}, "name_contains"),
    Case("cmd-info-max-results-zero", "cmd_info", {"max_results": 0}, "max_results"),
    Case("cmd-info-sort-by-choice", "cmd_info", {"sort_by": "Name"}, "sort_by"),
    Case(
        "cmd-info-dates-reversed",
        "cmd_info",
        {"creation_time_after": "2026-02-01", "creation_time_before": "2026-01-01"},
        "creation_time_after",
    ),
    Case("cmd-info-name-with-status", "cmd_info", {"name": "support-bot", "status": "Failed"}, "name|status"),
]
