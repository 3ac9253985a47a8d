"""The AWS-error cases of the reliability suite (part 3) and how they are started (test_aws_errors.py checks them).

Each case is a real task run against a local endpoint of its own; the errors the endpoint does not produce by
itself (AccessDeniedException, throttling that never stops) come from fault rules that only apply to the
case's own region (for model_copy_info and the role, to one of the regions their copies are in), so all cases
run at once in one ansible-playbook process (strategy free: the slow ones, which retry until their attempts
run out, do not hold the others up). The same cases run a second time at
-vvv, concurrently. conftest.py starts both when the session starts, because they spend most of their time
sleeping between retries.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from harness import Endpoint, Playbook, closed_port, start_cases, workdir

SOURCE_REGION = "us-east-1"
DENIED = "User: arn:aws:iam::123456789012:user/ci-deployer is not authorized to perform: bedrock:{action}"
UNKNOWN_JOB = "arn:aws:bedrock:us-west-2:123456789012:model-copy-job/zzzzzzzzzzzz"
# Where the role stops when model_copy_info could not read the copies; it must not count that as a verdict.
GATE_READ_FAILED = "Stop when the copies could not be read"
# The runs give each request 9 attempts (AWS_MAX_ATTEMPTS, which replaces the collection's 5-minute budget) and
# the test-only fast backoff, so endless throttling fails in a second instead of minutes.
RUN_ENV = {"AWS_MAX_ATTEMPTS": "9", "AMAZON_BEDROCK_TEST_BACKOFF": "0.01,0.1"}
THROTTLED = (
    "ap-south-1: Failed to list model copy jobs (page 1): throttled (ThrottlingException) on all 9 attempts over"
)
# Inside a wait a request is retried until the wait's deadline whatever AWS_MAX_ATTEMPTS says: the gate times out.
GATE_THROTTLED = "ap-south-1: Failed to list model copy jobs (page 1): throttled (ThrottlingException) on"


@dataclasses.dataclass(frozen=True)
class Case:
    id: str
    # info (model_copy_job_info), job (model_copy_job), copies (model_copy_info), gate (the role),
    # pt (provisioned_model_throughput), pt_info (provisioned_model_throughput_info),
    # cmd (custom_model_deployment) or cmd_info (custom_model_deployment_info)
    target: str
    args: dict[str, Any]
    expect: tuple[str, ...]  # each must be in the message (what went wrong, and what to fix)
    region: str | None = "us-west-2"  # the task's region; None: no region anywhere
    variables: tuple[tuple[str, Any], ...] = ()  # more host variables (case_omit, case_endpoint_url)
    slow: bool = False  # retries until its attempts run out
    absent: tuple[str, ...] = ()  # none of these may be in the message (a region that was read without error)
    task: str = ""  # the task that must fail (for the role)


def denied_rule(operation: str, region: str) -> dict[str, Any]:
    action = operation
    return {
        "operation": operation,
        "kind": "error",
        "error_code": "AccessDeniedException",
        "status": 403,
        "message": DENIED.format(action=action),
        "region": region,
    }


def prepare(endpoint: Endpoint) -> list[Case]:
    """Reset the endpoint, set up what each case needs, and return the cases."""
    endpoint.reset()
    source = endpoint.source_model(SOURCE_REGION, "errors-base")
    # A token from before a reset is expired for the endpoint (as a day-old one is for Bedrock).
    endpoint.seed("us-west-2", generate={"count": 3, "source_model_arn": source, "statuses": ["Completed"]})
    expired = endpoint.client("us-west-2").list_model_copy_jobs(maxResults=1)["nextToken"]
    endpoint.reset()
    source = endpoint.source_model(SOURCE_REGION, "errors-base")
    other = endpoint.source_model(SOURCE_REGION, "errors-other")
    for region in ("us-west-2", "eu-central-1"):
        endpoint.seed(
            region,
            generate={
                "count": 3,
                "source_model_arn": source,
                "statuses": ["Completed"],
                "target_model_name_prefix": "e-",
            },
        )
    # A token issued in another region (or for other filters) is foreign to this listing.
    foreign = endpoint.client("eu-central-1").list_model_copy_jobs(maxResults=1)["nextToken"]
    endpoint.faults(
        [
            denied_rule("ListModelCopyJobs", "eu-west-1"),
            denied_rule("CreateModelCopyJob", "eu-west-2"),
            denied_rule("GetModelCopyJob", "eu-west-3"),
            {"operation": "*", "kind": "throttle", "region": "ap-south-1"},
            *PT_FAULT_RULES,
            *CMD_FAULT_RULES,
        ]
    )
    copy_to = {"source_model_arn": source, "target_model_name": "denied-copy"}
    # A copy that can be read (us-west-2 holds e-000001) listed before one whose region refuses the listing.
    readable = {"region": "us-west-2", "source_model_arn": source, "target_model_name": "e-000001"}
    denied = {"region": "eu-west-1", "source_model_arn": source, "target_model_name": "gated"}
    throttled = dict(denied, region="ap-south-1")
    quick_gate = {"model_copy_gate_timeout": 5, "model_copy_gate_poll_interval": 1}
    return [
        Case("list-access-denied", "info", {}, ("AccessDeniedException", "bedrock:ListModelCopyJobs"), "eu-west-1"),
        Case(
            "create-access-denied", "job", copy_to, ("AccessDeniedException", "bedrock:CreateModelCopyJob"), "eu-west-2"
        ),
        Case(
            "get-access-denied",
            "info",
            {"job_arns": [UNKNOWN_JOB.replace("us-west-2", "eu-west-3")]},
            ("AccessDeniedException", "bedrock:GetModelCopyJob"),
            "eu-west-3",
        ),
        Case(
            "copies-access-denied",
            "copies",
            {"copies": [readable, denied]},
            ("eu-west-1: Failed to list model copy jobs", "AccessDeniedException", "bedrock:ListModelCopyJobs"),
            absent=("us-west-2",),
        ),
        Case(
            "gate-access-denied",
            "gate",
            {"model_copy_gate_copies": [readable, denied], **quick_gate},
            (
                "neither open nor shut: it could not read the copies",
                "eu-west-1: Failed to list model copy jobs",
                "AccessDeniedException",
                "bedrock:ListModelCopyJobs",
            ),
            absent=("us-west-2",),
            task=GATE_READ_FAILED,
        ),
        Case(
            "next-token-expired",
            "info",
            {"next_token": expired, "max_results": 1},
            ("next_token: Bedrock refused it", "list again without next_token"),
        ),
        Case(
            "next-token-foreign",
            "info",
            {"next_token": foreign, "max_results": 1},
            ("next_token: Bedrock refused it", "list again without next_token"),
        ),
        Case(
            "next-token-tampered",
            "info",
            {"next_token": foreign[:-4] + "AAAA"},
            ("next_token: Bedrock refused it", "list again without next_token"),
        ),
        Case(
            "create-name-taken",
            "job",
            {"source_model_arn": other, "target_model_name": "e-000000"},
            ("ValidationException", "e-000000"),
        ),
        Case(
            "create-source-not-found",
            "job",
            {"source_model_arn": source[:-12] + "zzzzzzzzzzzz", "target_model_name": "orphan"},
            ("ResourceNotFoundException",),
        ),
        Case(
            "wait-job-not-found",
            "info",
            {"job_arns": [UNKNOWN_JOB], "wait": True, "wait_timeout": 3, "wait_sleep": 1},
            ("Timed out", UNKNOWN_JOB, "not found"),
        ),
        Case(
            "copies-wait-never-appears",
            "copies",
            {
                "copies": [dict(readable, target_model_name="never-copied")],
                "wait": True,
                "wait_timeout": 3,
                "wait_sleep": 1,
            },
            ("Timed out after", f"copy of {source} to 'never-copied' in us-west-2 (not found yet)"),
        ),
        Case("no-region", "info", {}, ("region",), None, (("case_omit", ["region"]),)),
        Case(
            "copies-no-region",
            "copies",
            {"copies": [{"source_model_arn": source, "target_model_name": "e-000001"}]},
            ("copies[0].region", "give the region the model is copied to, or the task's region"),
            None,
            (("case_omit", ["region"]),),
        ),
        Case(
            "no-credentials",
            "info",
            {},
            ("no AWS credentials found", "access_key and secret_key"),
            variables=(("case_omit", ["access_key", "secret_key", "session_token"]),),
        ),
        Case(
            "copies-no-credentials",
            "copies",
            {"copies": [readable]},
            (
                "us-west-2: Failed to list model copy jobs (page 1): no AWS credentials found",
                "access_key and secret_key",
            ),
            variables=(("case_omit", ["access_key", "secret_key", "session_token"]),),
        ),
        Case(
            "partial-credentials",
            "job",
            copy_to,
            ("secret",),
            variables=(("case_omit", ["secret_key", "session_token"]),),
        ),
        Case(
            "endpoint-unreachable",
            "info",
            {},
            ("cannot connect to http://127.0.0.1:", "not retried"),
            variables=(("case_endpoint_url", f"http://127.0.0.1:{closed_port()}"),),
        ),
        Case(
            "throttled-throughout", "info", {}, ("ThrottlingException", "all 9 attempts over"), "ap-south-1", slow=True
        ),
        Case(
            "copies-throttled-throughout",
            "copies",
            {"copies": [readable, throttled]},
            (THROTTLED,),
            absent=("us-west-2",),
            slow=True,
        ),
        Case(
            "gate-throttled-throughout",  # retried until the gate's timeout, and not after it: still no verdict
            "gate",
            {"model_copy_gate_copies": [readable, throttled], **quick_gate},
            (
                "neither open nor shut: it could not read the copies (Timed out after",
                f"before the copies could be read: {GATE_THROTTLED}",
                "until wait_timeout",
            ),
            absent=("us-west-2",),
            task=GATE_READ_FAILED,
            slow=True,
        ),
        *pt_cases(),
        *cmd_cases(endpoint),
    ]


# Provisioned Throughput: each operation refused in a region of its own; ap-south-1 throttles everything.
PT_FAULT_RULES = [
    denied_rule("GetProvisionedModelThroughput", "eu-north-1"),
    denied_rule("CreateProvisionedModelThroughput", "ca-central-1"),
    denied_rule("ListProvisionedModelThroughputs", "sa-east-1"),
]
FOUNDATION_MODEL = "amazon.titan-text-express-v1:0:8k"


def pt_cases() -> list[Case]:
    create = {"name": "denied-pt", "model": FOUNDATION_MODEL, "model_units": 1}
    return [
        Case(
            "pt-get-access-denied",
            "pt",
            create,
            ("Failed to get provisioned model throughput", "AccessDeniedException", "GetProvisionedModelThroughput"),
            "eu-north-1",
        ),
        Case(
            "pt-create-access-denied",
            "pt",
            create,
            ("AccessDeniedException", "bedrock:CreateProvisionedModelThroughput"),
            "ca-central-1",
        ),
        Case(
            "pt-info-list-access-denied",
            "pt_info",
            {},
            (
                "Failed to list provisioned model throughputs",
                "AccessDeniedException",
                "bedrock:ListProvisionedModelThroughputs",
            ),
            "sa-east-1",
        ),
        Case(
            "pt-info-throttled-throughout",
            "pt_info",
            {},
            (
                "Failed to list provisioned model throughputs (page 1): throttled",
                "(ThrottlingException) on all 9 attempts over",
            ),
            "ap-south-1",
            slow=True,
        ),
    ]


# Custom model deployments: each operation refused (or failing) in a region of its own; ap-south-1 throttles
# everything. (A wait throttled until its timeout is in test_retry.py: both runs here share the endpoint, so a fault
# rule that lets a create through and then throttles its wait's reads would depend on how the two runs interleave.)
CMD_MODEL_REGIONS = ("ap-northeast-2", "ap-northeast-3", "us-west-2")
CMD_FAULT_RULES = [
    denied_rule("GetCustomModelDeployment", "ap-northeast-1"),
    denied_rule("CreateCustomModelDeployment", "ap-northeast-2"),
    {
        "operation": "CreateCustomModelDeployment",
        "kind": "error",
        "error_code": "ValidationException",
        "status": 400,
        "message": "The model can't be deployed on demand in this Region.",
        "region": "ap-northeast-3",
    },
    denied_rule("ListCustomModelDeployments", "ap-southeast-1"),
    {"operation": "ListCustomModelDeployments", "kind": "error500", "region": "ap-southeast-2"},
]


def cmd_cases(endpoint: Endpoint) -> list[Case]:
    """The custom model deployment cases; registers the (Active) custom model each one deploys in its region."""
    models = {region: endpoint.source_model(region, "errors-deployed") for region in CMD_MODEL_REGIONS}
    missing = models["us-west-2"][:-12] + "zzzzzzzzzzzz"
    return [
        Case(
            "cmd-get-access-denied",
            "cmd",
            {"name": "denied-cmd", "model": models["us-west-2"].replace("us-west-2", "ap-northeast-1")},
            (
                "Failed to get custom model deployment: ",
                "AccessDeniedException",
                "bedrock:GetCustomModelDeployment",
            ),
            "ap-northeast-1",
        ),
        Case(
            "cmd-create-access-denied",
            "cmd",
            {"name": "denied-cmd", "model": models["ap-northeast-2"]},
            ("Bedrock refused to create custom model deployment denied-cmd", "bedrock:CreateCustomModelDeployment"),
            "ap-northeast-2",
        ),
        Case(
            "cmd-create-validation",
            "cmd",
            {"name": "refused-cmd", "model": models["ap-northeast-3"]},
            (
                "Bedrock refused to create custom model deployment refused-cmd",
                "can't be deployed on demand in this Region",
            ),
            "ap-northeast-3",
        ),
        Case(
            "cmd-model-not-found",
            "cmd",
            {"name": "orphan-cmd", "model": missing},
            (f"model: {missing} was not found", "Nothing was changed"),
        ),
        Case(
            "cmd-throttled-throughout",
            "cmd",
            {"name": "throttled-cmd", "model": models["us-west-2"].replace("us-west-2", "ap-south-1")},
            (
                "Failed to get custom model deployment throttled-cmd: throttled",
                "(ThrottlingException) on all 9 attempts over",
            ),
            "ap-south-1",
            slow=True,
        ),
        Case(
            "cmd-endpoint-unreachable",
            "cmd",
            {"name": "unreachable-cmd", "model": models["us-west-2"]},
            ("cannot connect to http://127.0.0.1:", "not retried"),
            variables=(("case_endpoint_url", f"http://127.0.0.1:{closed_port()}"),),
        ),
        Case(
            "cmd-info-list-access-denied",
            "cmd_info",
            {},
            ("Failed to list custom model deployments", "AccessDeniedException", "bedrock:ListCustomModelDeployments"),
            "ap-southeast-1",
        ),
        Case(
            "cmd-info-server-error-throughout",
            "cmd_info",
            {},
            (
                "Failed to list custom model deployments (page 1)",
                "(InternalServerException) on all 9 attempts over",
            ),
            "ap-southeast-2",
            slow=True,
        ),
        Case(
            "cmd-info-throttled-throughout",
            "cmd_info",
            {},
            (
                "Failed to list custom model deployments (page 1): throttled",
                "(ThrottlingException) on all 9 attempts over",
            ),
            "ap-south-1",
            slow=True,
        ),
        Case(
            "cmd-info-get-access-denied",
            "cmd_info",
            {"name": "denied-cmd"},
            ("Failed to get custom model deployment: ", "AccessDeniedException", "bedrock:GetCustomModelDeployment"),
            "ap-northeast-1",
        ),
        Case("cmd-info-no-region", "cmd_info", {}, ("region",), None, (("case_omit", ["region"]),)),
        Case(
            "cmd-info-no-credentials",
            "cmd_info",
            {},
            ("no AWS credentials found", "access_key and secret_key"),
            variables=(("case_omit", ["access_key", "secret_key", "session_token"]),),
        ),
        Case(
            "cmd-info-endpoint-unreachable",
            "cmd_info",
            {},
            ("cannot connect to http://127.0.0.1:", "not retried"),
            variables=(("case_endpoint_url", f"http://127.0.0.1:{closed_port()}"),),
        ),
    ]


def host(case: Case) -> dict[str, Any]:
    variables: dict[str, Any] = {"case_target": case.target, **dict(case.variables)}
    if case.target == "gate":
        variables.update(case.args)
    else:
        variables["case_args"] = case.args
    if case.region:
        variables["case_region"] = case.region
    return variables


def start(endpoint: Endpoint) -> tuple[list[Case], Playbook, Playbook]:
    """Set the endpoint up and start both runs (default verbosity and -vvv); returns the cases and the runs."""
    cases = prepare(endpoint)
    hosts = {case.id: host(case) for case in cases}
    forks = len(cases)
    plain = start_cases(endpoint, hosts, workdir("errors-v0"), forks=forks, strategy="free", env=RUN_ENV)
    verbose = start_cases(endpoint, hosts, workdir("errors-v3"), verbosity=3, forks=forks, strategy="free", env=RUN_ENV)
    return cases, plain, verbose
