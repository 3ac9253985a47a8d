# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs amazon.bedrock.model_copy_job_info; with wait, one round at a time with a progress line between rounds."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitAction


def job_pending(result: dict[str, Any]) -> Pending:
    """Jobs still InProgress and job ARNs not found yet, from a model_copy_job_info result."""
    jobs = result.get("model_copy_jobs") or []
    missing = result.get("missing_job_arns") or []
    labels = [f"{job['target_model_name']} ({job['status']})" for job in jobs if job["status"] == "InProgress"]
    labels += [f"{arn} (not found yet)" for arn in missing]
    return Pending(
        labels=tuple(labels),
        total=len(jobs) + len(missing),
        noun="jobs",
        details=tuple(f"{job['job_arn']} ({job['target_model_name']}): {job['status']}" for job in jobs),
    )


class ActionModule(WaitAction):
    MODULE = "amazon.bedrock.model_copy_job_info"

    def pending(self, result: dict[str, Any]) -> Pending:
        return job_pending(result)
