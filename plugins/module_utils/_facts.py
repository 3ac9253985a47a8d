# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""Bedrock shapes -> the facts the modules return.

Every key is always present (None when AWS omits it), so ``when:`` and ``assert`` expressions in
playbooks never trip over a missing attribute.
"""

from __future__ import annotations

import datetime
import functools
from typing import Any, Iterable

try:
    from botocore.utils import parse_timestamp
except ImportError:
    pass  # AnsibleAWSModule reports a missing botocore to the user.

from ansible.module_utils.common.dict_transformations import camel_dict_to_snake_dict
from ansible_collections.amazon.aws.plugins.module_utils.tagging import boto3_tag_list_to_ansible_dict

from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import timed_out_message

STATUSES = ("InProgress", "Completed", "Failed")
# A copy (source model, target name, region) has the status of its newest job, or Missing when it has none. A job
# that completed leaves the copy Completed only while the custom model it made exists and is Active (a model read
# without modelStatus counts as Active): the copy is ModelCreating while the model is still Creating, ModelFailed
# when the model Failed, and Deleted when it no longer exists.
MISSING = "Missing"
DELETED = "Deleted"
MODEL_CREATING = "ModelCreating"
MODEL_FAILED = "ModelFailed"
COPY_STATUSES = (*STATUSES, MODEL_CREATING, MODEL_FAILED, DELETED, MISSING)
# What a wait on copies waits for (the pipeline may be starting, copying again, or Bedrock still creating the
# model); every other status is final. The action plugin's progress lines read this too.
PENDING_COPY_STATUSES = ("InProgress", MISSING, DELETED, MODEL_CREATING)
# A found model's (modelStatus, failureMessage); ``copy_state`` takes None for a model not found.
ACTIVE_MODEL = ("Active", None)

JOB_FACT_KEYS = (
    "job_arn",
    "status",
    "creation_time",
    "target_model_arn",
    "target_model_name",
    "source_account_id",
    "source_model_arn",
    "source_model_name",
    "target_model_kms_key_arn",
    "target_model_tags",
    "failure_message",
)


def iso_utc(value: datetime.datetime | str | None) -> str | None:
    """A timestamp as ISO-8601 in UTC; ``value`` is a datetime or the text Bedrock sent (naive = UTC)."""
    if value is None:
        return None
    if not isinstance(value, datetime.datetime):
        value = parse_time(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.timezone.utc)
    return value.astimezone(datetime.timezone.utc).isoformat()


def parse_time(text: str) -> datetime.datetime:
    """An ISO-8601 timestamp (a fact, or what Bedrock sent) as a datetime."""
    # fromisoformat takes Bedrock's "2026-01-01T00:07:00.123Z" in microseconds (with "Z" spelled out before
    # Python 3.11); anything else goes to botocore's own parser.
    try:
        return datetime.datetime.fromisoformat(text[:-1] + "+00:00" if text.endswith("Z") else text)
    except (AttributeError, TypeError, ValueError):  # not text, or not ISO-8601
        return parse_timestamp(text)


@functools.lru_cache(maxsize=256)
def _snake_key(name: str) -> str:
    # Converting a key costs several regex passes; a listing converts the same dozen keys 10,000s of times.
    return next(iter(camel_dict_to_snake_dict({name: None})))


def to_job_facts(job: dict[str, Any]) -> dict[str, Any]:
    """One GetModelCopyJob response or ListModelCopyJobs summary as snake_case facts."""
    facts = dict.fromkeys(JOB_FACT_KEYS)
    for key, value in job.items():
        if key in ("targetModelTags", "creationTime", "ResponseMetadata"):
            continue
        if isinstance(value, (dict, list)):
            facts.update(camel_dict_to_snake_dict({key: value}))
        else:
            facts[_snake_key(key)] = value
    facts["creation_time"] = iso_utc(job.get("creationTime"))
    # Tag keys keep their case: they are data, not field names.
    facts["target_model_tags"] = boto3_tag_list_to_ansible_dict(job.get("targetModelTags") or [], "key", "value")
    return facts


def status_counts(jobs: Iterable[dict[str, Any]], statuses: tuple[str, ...] = STATUSES) -> dict[str, int]:
    """Jobs (or copies) per status, every status present, for ``when: result.status_counts.Failed == 0``."""
    counts = dict.fromkeys(statuses, 0)
    for job in jobs:
        counts[job["status"]] = counts.get(job["status"], 0) + 1
    return counts


def copy_state(
    copy: dict[str, str], job: dict[str, Any] | None, model: tuple[str, str | None] | None = ACTIVE_MODEL
) -> dict[str, Any]:
    """One copy (region, source_model_arn, target_model_name) with the state of its newest job (None: no job yet).

    ``model`` is the (modelStatus, failureMessage) of a Completed job's model, None when it was not found. A copy
    whose model was deleted since (Deleted), is still Creating (ModelCreating) or Failed (ModelFailed, with the
    model's failureMessage) does not give out its model's ARN: a deployment must never pick it up.
    """
    if job is None:
        return dict(copy, status=MISSING, job_arn=None, target_model_arn=None, failure_message=None)
    if job["status"] == "Completed" and (model is None or model[0] != "Active"):
        if model is None:
            status, failure = DELETED, None
        elif model[0] == "Failed":
            status, failure = MODEL_FAILED, model[1]
        else:  # Creating, or a status Bedrock may add some day: not Active, so pending
            status, failure = MODEL_CREATING, None
        return dict(copy, status=status, job_arn=job["job_arn"], target_model_arn=None, failure_message=failure)
    return dict(
        copy,
        status=job["status"],
        job_arn=job["job_arn"],
        # Only a completed copy's model exists: a deploy step must not pick up the ARN of one still copying.
        target_model_arn=job["target_model_arn"] if job["status"] == "Completed" else None,
        failure_message=job["failure_message"],
    )


def copy_label(copy: dict[str, str]) -> str:
    return f"copy of {copy['source_model_arn']} to {copy['target_model_name']!r} in {copy['region']}"


def settled(jobs: list[dict[str, Any]], missing: list[str]) -> bool:
    """What a wait waits for: some job matched, none is still InProgress, no named job is missing."""
    return bool(jobs) and not missing and all(job["status"] != "InProgress" for job in jobs)


def _job_label(job: dict[str, Any]) -> str:
    return f"{job['job_arn']} (target model {job['target_model_name']})"


def wait_problem(
    jobs: list[dict[str, Any]],
    missing: list[str],
    timed_out: bool,
    elapsed: float,
    deleted: tuple[str, ...] = (),
    creating: tuple[str, ...] = (),
    model_failed: tuple[str, ...] = (),
) -> str | None:
    """One line saying why a wait did not end in success, or None when it did.

    ``missing``, ``deleted`` and ``creating`` name what is still awaited: copies (or jobs) not found, copies whose
    model was deleted after their job completed, and copies whose model is not Active yet. ``model_failed`` says
    of each copy whose job completed but whose model Failed, "label: why".
    """
    failed = [job for job in jobs if job["status"] == "Failed"]
    if failed or model_failed:
        details = "; ".join(f"{_job_label(job)}: {job['failure_message'] or 'no failure message'}" for job in failed)
        lines = [f"{len(failed)} model copy job(s) failed: {details}"] if failed else []
        if model_failed:
            lines.append(f"{len(model_failed)} copied model(s) failed: " + "; ".join(model_failed))
        return "; ".join(lines)
    if not timed_out:
        return None
    waiting = [
        f"{job['job_arn']} (target model {job['target_model_name']}, still InProgress)"
        for job in jobs
        if job["status"] == "InProgress"
    ]
    waiting += [f"{arn} (not found yet)" for arn in missing]
    waiting += [f"{label} (its model was deleted after the copy completed)" for label in deleted]
    waiting += [f"{label} (its model is still being created, not Active)" for label in creating]
    if not waiting:
        return timed_out_message(elapsed, ": no model copy job matched the selection")
    return timed_out_message(elapsed, f" waiting for {len(waiting)} model copy job(s): " + ", ".join(waiting))


PROVISIONED_FACT_KEYS = (
    "provisioned_model_arn",
    "provisioned_model_name",
    "model_arn",
    "desired_model_arn",
    "foundation_model_arn",
    "model_units",
    "desired_model_units",
    "status",
    "commitment_duration",
    "commitment_expiration_time",
    "creation_time",
    "last_modified_time",
    "failure_message",
    "tags",
)
_PROVISIONED_TIMES = ("creationTime", "lastModifiedTime", "commitmentExpirationTime")


def to_provisioned_facts(throughput: dict[str, Any], tags: dict[str, str] | None = None) -> dict[str, Any]:
    """One GetProvisionedModelThroughput response or list summary (and its tags) as snake_case facts.

    ``tags`` None means they were not read (a listing reads no tags): the key is then null, never missing.
    """
    facts = dict.fromkeys(PROVISIONED_FACT_KEYS)
    for key, value in throughput.items():
        if key == "ResponseMetadata" or key in _PROVISIONED_TIMES:
            continue
        facts[_snake_key(key)] = value
    for key in _PROVISIONED_TIMES:
        facts[_snake_key(key)] = iso_utc(throughput.get(key))
    facts["tags"] = dict(tags) if tags is not None else None
    return facts


def provisioned_label(facts: dict[str, Any]) -> str:
    return f"provisioned model throughput {facts['provisioned_model_name'] or facts['provisioned_model_arn']}"


def provisioned_wait_problem(facts: dict[str, Any] | None, timed_out: bool, elapsed: float, gone: bool) -> str | None:
    """One line saying why a wait for InService (``gone`` False) or for deletion (True) did not succeed."""
    if gone:
        if facts is None or not timed_out:
            return None
        return timed_out_message(elapsed, f" waiting for {provisioned_label(facts)} to be deleted ({facts['status']})")
    if facts is None:
        return "The provisioned model throughput disappeared while waiting for it to be InService"
    if facts["status"] == "Failed":
        return f"{provisioned_label(facts)} Failed: {facts['failure_message'] or 'no failure message'}"
    if timed_out:
        return timed_out_message(
            elapsed, f" waiting for {provisioned_label(facts)} to be InService; it is still {facts['status']}"
        )
    return None


def wait_figures(outcome: Any) -> dict[str, Any]:
    """What a task's result says of its wait (a ``_waiting.WaitOutcome``)."""
    return dict(
        polls=outcome.polls,
        elapsed=round(outcome.elapsed, 1),
        timed_out=outcome.timed_out,
        unreachable_polls=outcome.failed_polls,
    )


DEPLOYMENT_FACT_KEYS = (
    "custom_model_deployment_arn",
    "name",
    "model_arn",
    "status",
    "description",
    "failure_message",
    "update_details",
    "creation_time",
    "last_updated_time",
    "tags",
)


def to_deployment_facts(
    deployment: dict[str, Any], tags: dict[str, str] | None = None, summary: bool = False
) -> dict[str, Any]:
    """One GetCustomModelDeployment response (or, ``summary``, a ListCustomModelDeployments summary) as facts.

    A summary has no description, update details or tags: those keys are then null, never missing. From a Get,
    ``update_details`` is ``{}`` when the deployment was never updated.
    """
    details = deployment.get("updateDetails")
    facts = dict.fromkeys(DEPLOYMENT_FACT_KEYS)
    facts.update(
        custom_model_deployment_arn=deployment.get("customModelDeploymentArn"),
        name=deployment.get("modelDeploymentName") or deployment.get("customModelDeploymentName"),
        model_arn=deployment.get("modelArn"),
        status=deployment.get("status"),
        failure_message=deployment.get("failureMessage"),
        creation_time=iso_utc(deployment.get("createdAt")),
        last_updated_time=iso_utc(deployment.get("lastUpdatedAt")),
    )
    if not summary:
        facts["description"] = deployment.get("description")
        facts["update_details"] = (
            dict(model_arn=details.get("modelArn"), update_status=details.get("updateStatus")) if details else {}
        )
        facts["tags"] = dict(tags) if tags is not None else None
    return facts


def deployment_label(facts: dict[str, Any]) -> str:
    return f"custom model deployment {facts['name'] or facts['custom_model_deployment_arn']}"
