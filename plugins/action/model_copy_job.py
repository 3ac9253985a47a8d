# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs amazon.bedrock.model_copy_job; with wait, the first round starts (or finds) the copy and waits, the
later rounds only wait for that job with amazon.bedrock.model_copy_job_info, so that a job failing between
two rounds is reported, never copied again."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.action.model_copy_job_info import job_pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitAction

# What only model_copy_job takes; the other options (AWS connection, wait) go to the later rounds too.
COPY_OPTIONS = (
    "source_model_arn",
    "target_model_name",
    "model_kms_key_id",
    "tags",
    "resource_tags",
    "client_request_token",
)
INFO_MODULE = "amazon.bedrock.model_copy_job_info"


def as_jobs(result: dict[str, Any]) -> dict[str, Any]:
    """A round's result in model_copy_job_info's shape."""
    if "model_copy_jobs" in result:
        return result
    job = result.get("model_copy_job")
    return dict(result, model_copy_jobs=[job] if job else [])


class ActionModule(WaitAction):
    MODULE = "amazon.bedrock.model_copy_job"

    def pending(self, result: dict[str, Any]) -> Pending:
        return job_pending(as_jobs(result))

    def next_round(self, first: dict[str, Any], args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        rest = {key: value for key, value in args.items() if key not in COPY_OPTIONS}
        return INFO_MODULE, dict(rest, job_arns=[first["model_copy_job"]["job_arn"]])

    def merge_round(self, first: dict[str, Any], latest: dict[str, Any]) -> dict[str, Any]:
        if latest is first:
            return dict(first)
        merged = {key: value for key, value in first.items() if key not in ("failed", "msg", "exception")}
        jobs = latest.get("model_copy_jobs") or []
        if jobs:
            merged["model_copy_job"] = jobs[0]
        for key in ("failed", "msg", "exception", "timed_out", "polls", "elapsed"):
            if key in latest:
                merged[key] = latest[key]
        return merged
