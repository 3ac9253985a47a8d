# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What model_copy_job decides: the request its options make, whether a copy exists, and the token of a new one;
and how it starts one (``start_copy_job``).

Functions here take a boto3 ``bedrock`` client and the module's (already parsed) options, never an Ansible module.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from ansible.module_utils.common.warnings import warn

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    DEFAULT_RETRY,
    AnsibleBedrockError,
    is_unreachable,
    request_token,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._copy_jobs import (
    create_model_copy_job,
    find_newest_copy_job,
    get_model_copy_job,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._custom_models import (
    CREATING,
    DELETED,
    FAILED,
    NOT_READABLE_YET,
    copied_model_state,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._facts import settled, to_job_facts, wait_problem
from ansible_collections.amazon.bedrock.plugins.module_utils._validation import (
    KMS_KEY_ID,
    check_client_request_token,
    check_model_arn,
    check_model_name,
    check_pattern,
    check_tags,
    check_wait_options,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._waiting import WaitOutcome, wait_until


def build_request(params: dict[str, Any]) -> dict[str, Any]:
    """CreateModelCopyJob parameters (without the token) from the options; raises InvalidOption."""
    request: dict[str, Any] = {
        "sourceModelArn": check_model_arn("source_model_arn", params["source_model_arn"]),
        "targetModelName": check_model_name("target_model_name", params["target_model_name"]),
    }
    if params.get("model_kms_key_id") is not None:
        expected = "a KMS key ID, ARN or alias of at most 2048 characters"
        kms = check_pattern("model_kms_key_id", params["model_kms_key_id"], KMS_KEY_ID, expected, 2048)
        request["modelKmsKeyId"] = kms
    check_tags("tags", params.get("tags"))
    if params.get("tags"):
        request["targetModelTags"] = [{"key": k, "value": str(v)} for k, v in params["tags"].items()]
    check_client_request_token(params)
    check_wait_options(params)
    return request


def derive_token(request: dict[str, Any], replaced_job_arn: str | None) -> str:
    """Same inputs, same token; a new token once the newest job for this copy failed or its model was deleted."""
    tags = sorted((t["key"], t["value"]) for t in request.get("targetModelTags", []))
    basis = [request["sourceModelArn"], request["targetModelName"], request.get("modelKmsKeyId"), tags]
    basis.append(replaced_job_arn or "none")
    return request_token(basis)


def differences(job: dict[str, Any], params: dict[str, Any]) -> list[str]:
    """What the request asks for that the (immutable) existing job does not have."""
    found = []
    tags = params.get("tags")
    if tags is not None and job["target_model_tags"] != {k: str(v) for k, v in tags.items()}:
        found.append(f"tags {job['target_model_tags']} (requested {tags})")
    kms, actual = params.get("model_kms_key_id"), job["target_model_kms_key_arn"]
    if kms and "alias/" not in kms and not (actual == kms or (actual or "").endswith(f":key/{kms}")):
        found.append(f"KMS key {actual} (requested {kms})")
    return found


def planned_facts(request: dict[str, Any]) -> dict[str, Any]:
    """The job a request would start, as facts; what Bedrock decides is null."""
    keep = ("sourceModelArn", "targetModelName", "targetModelTags")
    facts = to_job_facts({k: v for k, v in request.items() if k in keep})
    facts["target_model_kms_key_arn"] = request.get("modelKmsKeyId")
    return facts


@dataclasses.dataclass(frozen=True)
class CopyDecision:
    """Return ``keep`` (the existing job, as facts) unchanged, or start a copy replacing ``replaced_arn`` (if any).

    ``refused``: the copy cannot be made, nor kept (its model Failed); the task fails with this line and ``keep``.
    ``final``: ``keep`` is a job that ended Failed and is left alone (retry_failed=false): nothing to wait for.
    """

    keep: dict[str, Any] | None = None
    warnings: tuple[str, ...] = ()
    replaced_arn: str | None = None
    replaced: str = ""  # why the replaced job no longer counts
    refused: str | None = None
    final: bool = False


def decide_copy(client: Any, request: dict[str, Any], params: dict[str, Any]) -> CopyDecision:
    """Whether the copy ``request`` asks for exists: its newest job is InProgress, or Completed with its model.

    A Completed job's model that is not found is read again for a while (``copied_model_state``): a lagging read
    must not start a second copy, and the job of a copy created minutes ago is kept with a warning. A model Bedrock
    still creates is kept too (a second copy would only race it). A model that Failed is refused: its name is taken
    until it is deleted, and then the next run copies it anew. A Failed job is copied again, unless
    ``params["retry_failed"]`` is false: then it is kept, final, with a warning.
    """
    newest = find_newest_copy_job(client, request["sourceModelArn"], request["targetModelName"])
    if newest is None:
        return CopyDecision()
    model, message = copied_model_state(client, newest) if newest["status"] == "Completed" else (None, None)
    if model == DELETED:
        return CopyDecision(replaced_arn=newest["jobArn"], replaced="its model was deleted after it completed")
    job = to_job_facts(newest)
    if newest["status"] == "Failed":
        if params.get("retry_failed", True):
            return CopyDecision(replaced_arn=newest["jobArn"], replaced="it failed")
        why = job["failure_message"] or "no failure message"
        warning = (
            f"Model copy job {job['job_arn']} failed ({why}); with retry_failed=false it is returned unchanged, "
            "not copied again, and a deployment gate stays shut on this copy."
        )
        return CopyDecision(keep=job, warnings=(warning,), final=True)
    if model == FAILED:
        refused = (
            f"Model copy job {job['job_arn']} completed, but its model {job['target_model_arn']} failed: "
            f"{message or 'Bedrock gave no failure message'}. A new copy cannot take its name while it exists: "
            "delete that model (DeleteCustomModel), and the next run copies it anew; or copy to another "
            "target_model_name."
        )
        return CopyDecision(keep=job, refused=refused)
    warnings = []
    if model == CREATING:
        warnings.append(
            f"Model copy job {job['job_arn']} completed, but Bedrock is still creating its model "
            f"{job['target_model_arn']} (not Active yet): it is returned unchanged, not copied again. Do not deploy "
            "it before amazon.bedrock.model_copy_info calls the copy Completed."
        )
    if model == NOT_READABLE_YET:
        warnings.append(
            f"Model copy job {job['job_arn']} completed only minutes ago and Bedrock does not show its model "
            f"{job['target_model_arn']} yet: it is returned unchanged, not copied again."
        )
    problems = differences(job, params)
    if problems:
        warnings.append(
            f"Model copy job {job['job_arn']} already copies this model to {job['target_model_name']} with "
            f"{'; '.join(problems)}. Copy jobs cannot be changed: it is returned unchanged."
        )
    return CopyDecision(keep=job, warnings=tuple(warnings))


def start_copy_job(client: Any, request: dict[str, Any], token: str, replaced_arn: str | None) -> dict[str, Any] | None:
    """Send CreateModelCopyJob with ``token``: the new job's facts, or None when Bedrock answered with the job this
    copy replaces (``token`` was used for it, so no new job was started).

    Just created, the job may not be visible yet, and then it is what the request asked for. A read that fails now
    does not undo the create: the new job is reported with its ARN (a re-run finds it) and a warning."""
    arn = create_model_copy_job(client, dict(request, clientRequestToken=token))
    if arn == replaced_arn:
        return None
    try:
        job = get_model_copy_job(client, arn)
    except AnsibleBedrockError as e:
        warn(f"Started the model copy job {arn}, but could not read it back: {e.message}")
        job = None
    return to_job_facts(job) if job else dict(planned_facts(request), job_arn=arn, status="InProgress")


def wait_for_copy_job(
    client: Any, job: dict[str, Any], timeout: float, interval: float
) -> tuple[dict[str, Any], WaitOutcome[Any], str | None]:
    """Poll ``job`` (facts) until it leaves InProgress: its newest facts, the wait, and why it failed (or None)."""
    arn = job["job_arn"]
    retry = DEFAULT_RETRY.until(timeout)  # a request retries only for the time the wait has left

    def poll() -> tuple[list[dict[str, Any]], list[str]]:
        found = get_model_copy_job(client, arn, retry)
        return ([to_job_facts(found)], []) if found else ([], [arn])

    # The endpoint has answered this task (the job was found or created): an outage from now on is passing.
    answered: tuple[list[dict[str, Any]], list[str]] = ([job], [])
    outcome = wait_until(
        poll, lambda found: settled(*found), timeout, interval, transient=is_unreachable, answered=(answered,)
    )
    jobs, missing = outcome.value
    return (jobs[0] if jobs else job), outcome, wait_problem(jobs, missing, outcome.timed_out, outcome.elapsed)
