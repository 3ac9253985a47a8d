# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Option checks that run before any request, with the patterns Bedrock's API documents.

Each check raises InvalidOption with a one-line message that names the option, so a user's
mistake ends the task before anything is sent and without a traceback.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Callable

# Patterns from the Bedrock API reference (botocore's service model), anchored.
_PROVIDER_MODEL = r"[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}"
MODEL_ARN = re.compile(
    r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:"
    r"(([0-9]{12}:custom-model/((imported)|(" + _PROVIDER_MODEL + r"))(([:][a-z0-9-]{1,63}){0,2})?/[a-z0-9]{12})"
    r"|(:foundation-model/[a-z0-9-]{1,63}[.]{1}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2}))"
)
COPY_JOB_ARN = re.compile(r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:model-copy-job/[a-z0-9]{12}")
MODEL_NAME = re.compile(r"([0-9a-zA-Z][_-]?){1,63}")
ACCOUNT_ID = re.compile(r"[0-9]{12}")
NEXT_TOKEN = re.compile(r"\S{1,2048}")
KMS_KEY_ID = re.compile(
    r"(arn:aws(-[^:]+)?:kms:[a-zA-Z0-9-]*:[0-9]{12}:((key/[a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)))"
    r"|([a-zA-Z0-9-]{36})|(alias/[a-zA-Z0-9-_/]+)"
)
TAG_TEXT = re.compile(r"[a-zA-Z0-9\s._:/=+@-]*")
MAX_TAGS = 200


class InvalidOption(ValueError):
    def __init__(self, option: str, problem: str) -> None:
        super().__init__(f"{option}: {problem}")
        self.option = option


def _shown(value: Any, limit: int = 80) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def check_pattern(option: str, value: str, pattern: re.Pattern[str], expected: str, max_len: int | None = None) -> str:
    if not isinstance(value, str) or not pattern.fullmatch(value) or (max_len and len(value) > max_len):
        raise InvalidOption(option, f"expected {expected}, got {_shown(value)}")
    return value


def check_model_arn(option: str, value: str) -> str:
    return check_pattern(option, value, MODEL_ARN, "a Bedrock custom or foundation model ARN", 1011)


def check_job_arn(option: str, value: str) -> str:
    return check_pattern(
        option, value, COPY_JOB_ARN, "a model copy job ARN (arn:aws:bedrock:REGION:ACCOUNT:model-copy-job/ID)"
    )


def check_model_name(option: str, value: str) -> str:
    return check_pattern(option, value, MODEL_NAME, "1-63 letters, digits, and single '-' or '_' between them", 63)


def check_positive(option: str, value: int | float | None) -> None:
    if value is not None and value <= 0:
        raise InvalidOption(option, f"must be greater than 0, got {value}")


def parse_time(option: str, value: str | None) -> datetime.datetime | None:
    """ISO-8601 date or date-time; without a zone it is UTC."""
    if value is None:
        return None
    text = str(value).strip()
    if text.endswith(("Z", "z")):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.datetime.fromisoformat(text)
    except ValueError:
        raise InvalidOption(
            option, f"expected an ISO-8601 date or date-time such as 2024-05-01T12:00:00Z, got {_shown(value)}"
        ) from None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=datetime.timezone.utc)
    return parsed.astimezone(datetime.timezone.utc)


def check_tags(option: str, tags: dict[str, Any] | None) -> None:
    if not tags:
        return
    if len(tags) > MAX_TAGS:
        raise InvalidOption(option, f"at most {MAX_TAGS} tags are allowed, got {len(tags)}")
    for key, value in tags.items():
        if not 1 <= len(key) <= 128 or not TAG_TEXT.fullmatch(key):
            raise InvalidOption(option, f"tag key {_shown(key)} must be 1-128 letters, digits, spaces or ._:/=+@-")
        text = str(value)
        if len(text) > 256 or not TAG_TEXT.fullmatch(text):
            raise InvalidOption(option, f"value of tag {_shown(key)} must be 0-256 letters, digits, spaces or ._:/=+@-")


def check_list_options(params: dict[str, Any]) -> dict[str, Any]:
    """Validate ListModelCopyJobs-related options; returns them with times parsed."""
    checked = dict(params)
    for option in ("creation_time_after", "creation_time_before"):
        checked[option] = parse_time(option, params.get(option))
    after, before = checked["creation_time_after"], checked["creation_time_before"]
    if after and before and after >= before:
        raise InvalidOption("creation_time_after", f"must be earlier than creation_time_before ({before.isoformat()})")
    if params.get("source_account_id") is not None:
        check_pattern("source_account_id", params["source_account_id"], ACCOUNT_ID, "a 12-digit AWS account id")
    if params.get("source_model_arn") is not None:
        check_model_arn("source_model_arn", params["source_model_arn"])
    if params.get("target_model_name_contains") is not None:
        check_model_name("target_model_name_contains", params["target_model_name_contains"])
    if params.get("next_token") is not None:
        check_pattern("next_token", params["next_token"], NEXT_TOKEN, "a token from an earlier result's next_token")
    check_positive("max_results", params.get("max_results"))
    if params.get("job_arns") is not None and not params["job_arns"]:
        # An empty list must not fall back to listing every job: a lookup that found nothing would select all.
        raise InvalidOption("job_arns", "is empty; give at least one model copy job ARN, or leave job_arns out to list")
    for index, arn in enumerate(params.get("job_arns") or []):
        check_job_arn(f"job_arns[{index}]", arn)
    return checked


COPY_KEYS = ("source_model_arn", "target_model_name", "region")
# The account a copy lives in (plugins/module_utils/_accounts.py): a role assumed with the task's credentials, or a
# profile. Patterns from STS AssumeRole's (RoleSessionName, ExternalId) and IAM's role ARN.
ACCOUNT_COPY_KEYS = ("assume_role_arn", "role_session_name", "external_id", "profile")
ROLE_ARN = re.compile(r"arn:aws(-[a-z]+)*:iam::[0-9]{12}:role/[\w+=,.@/-]{1,512}")
ROLE_SESSION_NAME = re.compile(r"[\w+=,.@-]{2,64}")
EXTERNAL_ID = re.compile(r"[\w+=,.@:/-]{2,1224}")


def check_copy_account(where: str, copy: dict[str, Any]) -> dict[str, str]:
    """A copy's account keys, checked: a role ARN (with an optional session name and external id) or a profile."""
    role, profile = copy.get("assume_role_arn"), copy.get("profile")
    if role is not None and profile is not None:
        raise InvalidOption(f"{where}.profile", "give assume_role_arn or profile, not both")
    if role is None:
        for key in ("role_session_name", "external_id"):
            if copy.get(key) is not None:
                raise InvalidOption(f"{where}.{key}", "is only used with assume_role_arn")
    checked: dict[str, str] = {}
    if role is not None:
        checked["assume_role_arn"] = check_pattern(
            f"{where}.assume_role_arn", role, ROLE_ARN, "an IAM role ARN (arn:aws:iam::ACCOUNT:role/NAME)", 2048
        )
        if copy.get("role_session_name") is not None:
            checked["role_session_name"] = check_pattern(
                f"{where}.role_session_name",
                copy["role_session_name"],
                ROLE_SESSION_NAME,
                "2-64 letters, digits or +=,.@_-",
            )
        if copy.get("external_id") is not None:
            # Not a secret, but not echoed either: the message names the option only.
            value = copy["external_id"]
            if not isinstance(value, str) or not EXTERNAL_ID.fullmatch(value):
                raise InvalidOption(f"{where}.external_id", "expected 2-1224 letters, digits or +=,.@:/_-")
            checked["external_id"] = value
    if profile is not None:
        if not isinstance(profile, str) or not profile.strip():
            raise InvalidOption(f"{where}.profile", f"expected the name of a profile, got {_shown(profile)}")
        checked["profile"] = profile
    return checked


def check_copies(copies: list[dict[str, Any]], default_region: str | None) -> list[dict[str, str]]:
    """Validate model_copy_info's copies (dicts, keys unchecked by Ansible); returns them with every region set,
    and the account keys given.

    The module declares ``copies`` without suboptions on purpose: ansible-core collects the no_log values of
    all options in one pass that gives up at the first list element that is not a dict, and a validation
    error would then print the credentials given. So the keys are checked here.
    """
    if not copies:
        raise InvalidOption("copies", "is empty; list at least one copy")
    checked = []
    for index, copy in enumerate(copies):
        where = f"copies[{index}]"
        unknown = sorted(set(copy) - set(COPY_KEYS + ACCOUNT_COPY_KEYS))
        if unknown:
            known = ", ".join(COPY_KEYS + ACCOUNT_COPY_KEYS)
            raise InvalidOption(f"{where}.{unknown[0]}", f"is not a key of a copy; its keys are {known}")
        for key in COPY_KEYS[:2]:
            if copy.get(key) is None:
                raise InvalidOption(f"{where}.{key}", "is required")
        region = copy.get("region")
        if region is None:
            region = default_region
            if not region:
                raise InvalidOption(f"{where}.region", "give the region the model is copied to, or the task's region")
        elif not isinstance(region, str) or not region.strip():
            raise InvalidOption(f"{where}.region", f"expected a region name such as us-west-2, got {_shown(region)}")
        checked.append(
            {
                "source_model_arn": check_model_arn(f"{where}.source_model_arn", copy["source_model_arn"]),
                "target_model_name": check_model_name(f"{where}.target_model_name", copy["target_model_name"]),
                "region": region,
                **check_copy_account(where, copy),
            }
        )
    return checked


def wait_argument_spec(progress: bool = False) -> dict[str, Any]:
    """The wait options every waiting module takes (documented by the amazon.bedrock.wait doc fragment).

    ``progress``: the module has an action plugin that waits in rounds and prints progress lines
    (plugins/plugin_utils/_wait_action.py), so it takes ``wait_report_interval`` too.
    """
    spec: dict[str, Any] = dict(
        wait=dict(type="bool", default=False),
        wait_timeout=dict(type="int", default=1800),
        wait_sleep=dict(type="int", default=30),
    )
    if progress:
        spec["wait_report_interval"] = dict(type="int", default=30)
    return spec


def resource_argument_spec(**own: Any) -> dict[str, Any]:
    """The options of a module over a named resource (provisioned_model_throughput, custom_model_deployment):
    ``own`` and what they share (the amazon.bedrock.resource doc fragment documents state, tags and purge_tags,
    amazon.bedrock.wait the wait options; each module its name, model and token). The wait options are
    ``_task.waiting_module``'s."""
    return dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        model=dict(type="str"),
        tags=dict(type="dict", aliases=["resource_tags"]),
        purge_tags=dict(type="bool", default=True),
        client_request_token=dict(type="str", no_log=False),
        **own,
    )


# A long wait prints a progress line at least once a minute.
MAX_REPORT_INTERVAL = 60


def check_wait_options(params: dict[str, Any]) -> None:
    for option in ("wait_timeout", "wait_sleep", "wait_report_interval"):
        check_positive(option, params.get(option))
    report = params.get("wait_report_interval")
    if report is not None and report > MAX_REPORT_INTERVAL:
        raise InvalidOption("wait_report_interval", f"must be at most {MAX_REPORT_INTERVAL}, got {report}")


CLIENT_REQUEST_TOKEN = re.compile(r"[a-zA-Z0-9]([-a-zA-Z0-9]{0,254}[a-zA-Z0-9])?")


def check_client_request_token(params: dict[str, Any]) -> None:
    if params.get("client_request_token") is not None:
        expected = "at most 256 letters, digits and inner '-'"
        check_pattern("client_request_token", params["client_request_token"], CLIENT_REQUEST_TOKEN, expected)


def hide_access_key(argument_spec: dict[str, Any]) -> dict[str, Any]:
    """amazon.aws logs access_key (no_log=False); hide it too, so no credential shows in any output."""
    from ansible_collections.amazon.aws.plugins.module_utils.modules import aws_argument_spec

    return dict(argument_spec, access_key=dict(aws_argument_spec()["access_key"], no_log=True))


REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-[0-9]{1,2}")
EVENT_SOURCE_ARGS = (
    "regions",
    "targets",
    "source_model_arn",
    "target_model_name_contains",
    "delay_seconds",
    "emit_existing",
    "endpoint_url",
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
    "profile",
)


def check_event_source_args(args: dict[str, Any]) -> dict[str, Any]:
    """The model_copy_jobs event source's arguments, checked and with defaults; ``regions`` None = not given.

    Keys ansible-rulebook adds itself start with ``eda_`` and are left out.
    """
    unknown = sorted(key for key in args if key not in EVENT_SOURCE_ARGS and not key.startswith("eda_"))
    if unknown:
        raise InvalidOption(unknown[0], f"is not an argument of this source (known: {', '.join(EVENT_SOURCE_ARGS)})")
    checked: dict[str, Any] = {key: args.get(key) for key in EVENT_SOURCE_ARGS}
    regions = checked["regions"]
    if isinstance(regions, str):
        regions = [regions]
    if regions is not None:
        if not isinstance(regions, list) or not regions:
            raise InvalidOption("regions", f"expected a non-empty list of regions, got {_shown(regions)}")
        for index, region in enumerate(regions):
            check_pattern(f"regions[{index}]", region, REGION, "an AWS region name such as us-east-1")
        regions = list(dict.fromkeys(regions))
    checked["regions"] = regions
    checked["targets"] = check_event_source_targets(checked["targets"], regions)
    if checked["source_model_arn"] is not None:
        check_model_arn("source_model_arn", checked["source_model_arn"])
    if checked["target_model_name_contains"] is not None:
        check_model_name("target_model_name_contains", checked["target_model_name_contains"])
    delay = 30 if checked["delay_seconds"] is None else checked["delay_seconds"]
    if isinstance(delay, bool) or not isinstance(delay, (int, float)):
        raise InvalidOption("delay_seconds", f"expected a number of seconds, got {_shown(delay)}")
    check_positive("delay_seconds", delay)
    checked["delay_seconds"] = delay
    emit = checked["emit_existing"]
    if isinstance(emit, str) and emit.lower() in ("true", "false", "yes", "no"):
        emit = emit.lower() in ("true", "yes")
    if not isinstance(emit, bool) and emit is not None:
        raise InvalidOption("emit_existing", f"expected true or false, got {_shown(emit)}")
    checked["emit_existing"] = bool(emit)
    for key in ("endpoint_url", "aws_access_key_id", "aws_secret_access_key", "aws_session_token", "profile"):
        if checked[key] is not None and (not isinstance(checked[key], str) or not checked[key]):
            # The value itself is never shown: it may be a secret.
            raise InvalidOption(key, "expected a non-empty string")
    return checked


def check_event_source_targets(targets: Any, regions: list[str] | None) -> list[dict[str, str]] | None:
    """The event source's ``targets`` (a region, with the account keys of a copy), each once; None = not given."""
    if targets is None:
        return None
    if regions is not None:
        raise InvalidOption("targets", "give regions or targets, not both (a target without an account is a region)")
    if not isinstance(targets, list) or not targets:
        raise InvalidOption(
            "targets",
            f"expected a non-empty list of {{region, assume_role_arn}} or {{region, profile}}, got {_shown(targets)}",
        )
    checked = []
    for index, target in enumerate(targets):
        where = f"targets[{index}]"
        if not isinstance(target, dict):
            raise InvalidOption(
                where, f"expected a dict with region and assume_role_arn or profile, got {_shown(target)}"
            )
        unknown = sorted(set(target) - {"region", *ACCOUNT_COPY_KEYS})
        if unknown:
            known = ", ".join(("region", *ACCOUNT_COPY_KEYS))
            raise InvalidOption(f"{where}.{unknown[0]}", f"is not a key of a target; its keys are {known}")
        region = check_pattern(
            f"{where}.region", target.get("region", ""), REGION, "an AWS region name such as us-east-1"
        )
        checked.append({"region": region, **check_copy_account(where, target)})
    unique = {tuple(sorted(target.items())): target for target in checked}
    return list(unique.values())


# Provisioned Throughput (patterns from botocore's service model).
PROVISIONED_MODEL_ARN = re.compile(r"arn:aws(-[^:]+)?:bedrock:[a-z0-9-]{1,20}:[0-9]{12}:provisioned-model/[a-z0-9]{12}")
# ModelIdentifier without its custom-model-name branch: a name cannot be compared with the ARN a throughput serves.
FOUNDATION_MODEL_ID = re.compile(r"[a-z0-9-]{1,63}[.]{1}[a-z0-9-]{1,63}([.]?[a-z0-9-]{1,63})([:][a-z0-9-]{1,63}){0,2}")
COMMITMENT_DURATIONS = ("OneMonth", "SixMonths")
PROVISIONED_STATUSES = ("Creating", "InService", "Updating", "Failed")


def check_serving_model(option: str, value: Any) -> str:
    """A custom or foundation model ARN, or a foundation model ID, that a provisioned throughput can serve."""
    if isinstance(value, str) and (FOUNDATION_MODEL_ID.fullmatch(value) and len(value) <= 2048):
        return value
    if isinstance(value, str) and value.startswith("arn:"):
        return check_model_arn(option, value)
    raise InvalidOption(
        option,
        "expected a custom model ARN, a foundation model ARN or a foundation model ID such as amazon.titan-text-"
        f"express-v1:0:8k (a custom model's name cannot be compared; give its ARN), got {_shown(value)}",
    )


def check_provisioned_throughput_options(params: dict[str, Any]) -> None:
    """provisioned_model_throughput's options; raises InvalidOption naming the first bad one."""
    check_pattern("name", params["name"], MODEL_NAME, "1-63 letters, digits, and single '-' or '_' between them", 63)
    if params.get("model") is not None:
        check_serving_model("model", params["model"])
    units = params.get("model_units")
    if units is not None and units < 1:
        raise InvalidOption("model_units", f"must be at least 1, got {units}")
    check_tags("tags", params.get("tags"))
    check_client_request_token(params)
    check_wait_options(params)


def listing_argument_spec() -> dict[str, Any]:
    """The listing options of an info module (documented by the amazon.bedrock.listing doc fragment)."""
    return dict(
        creation_time_after=dict(type="str"),
        creation_time_before=dict(type="str"),
        sort_by=dict(type="str", choices=["CreationTime"]),
        sort_order=dict(type="str", choices=["Ascending", "Descending"]),
        max_results=dict(type="int"),
        next_token=dict(type="str", no_log=False),
    )


def check_resource_list_options(
    params: dict[str, Any], arn: re.Pattern[str], expected: str, check_model: Callable[[str, Any], str]
) -> dict[str, Any]:
    """An info module's options for a named resource: ``name`` (a name or an ARN matching ``arn``; ``expected`` says
    what it should be), the listing filters and paging, ``model_arn`` checked by ``check_model``. Returns them with
    times parsed."""
    name = params.get("name")
    if name is not None and not (isinstance(name, str) and arn.fullmatch(name)):
        check_pattern("name", name, MODEL_NAME, expected, 63)
    checked = check_list_options(params)
    if params.get("model_arn") is not None:
        check_model("model_arn", params["model_arn"])
    if params.get("name_contains") is not None:
        check_model_name("name_contains", params["name_contains"])
    return checked


def check_provisioned_list_options(params: dict[str, Any]) -> dict[str, Any]:
    """provisioned_model_throughput_info's options; returns them with times parsed."""
    expected = "a provisioned model throughput name or ARN (arn:...:provisioned-model/ID)"
    return check_resource_list_options(params, PROVISIONED_MODEL_ARN, expected, check_model_arn)


# Custom model deployments (patterns from botocore's service model): they serve custom models only.
CUSTOM_MODEL_ARN = re.compile(
    r"arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model/(imported|[a-z0-9-]{1,63}[.]{1}"
    r"[a-z0-9-]{1,63}([a-z0-9-]{1,63}[.]){0,2}[a-z0-9-]{1,63}([:][a-z0-9-]{1,63}){0,2})/[a-z0-9]{12}"
)
DEPLOYMENT_ARN = re.compile(
    r"arn:aws(|-us-gov|-cn|-iso|-iso-b):bedrock:[a-z0-9-]{1,20}:[0-9]{12}:custom-model-deployment/[a-z0-9]{12}"
)
DEPLOYMENT_STATUSES = ("Creating", "Active", "Failed")
NAME_EXPECTED = "1-63 letters, digits, and single '-' or '_' between them"


def check_custom_model_arn(option: str, value: Any) -> str:
    expected = "a custom model ARN (arn:aws:bedrock:REGION:ACCOUNT:custom-model/...)"
    if isinstance(value, str) and len(value) < 20:
        raise InvalidOption(option, f"expected {expected}, got {_shown(value)}")
    return check_pattern(option, value, CUSTOM_MODEL_ARN, expected, 1011)


def check_custom_model_deployment_options(params: dict[str, Any]) -> None:
    """custom_model_deployment's options; raises InvalidOption naming the first bad one."""
    check_pattern("name", params["name"], MODEL_NAME, NAME_EXPECTED, 63)
    if params.get("model") is not None:
        check_custom_model_arn("model", params["model"])
    description = params.get("description")
    if description is not None and not 1 <= len(description) <= 2048:
        raise InvalidOption("description", f"must be 1-2048 characters, got {len(description)}")
    check_tags("tags", params.get("tags"))
    check_client_request_token(params)
    check_wait_options(params)


def check_deployment_list_options(params: dict[str, Any]) -> dict[str, Any]:
    """custom_model_deployment_info's options; returns them with times parsed."""
    expected = "a custom model deployment name or ARN (arn:...:custom-model-deployment/ID)"
    return check_resource_list_options(params, DEPLOYMENT_ARN, expected, check_custom_model_arn)
