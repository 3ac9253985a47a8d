# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs amazon.bedrock.model_copy_info; with wait, one round at a time with a progress line between rounds."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitAction

# A copy is waited for while it has no job yet, its newest job is still running, or the model it made was deleted
# (the pipeline may be copying it again).
WAITING = ("InProgress", "Missing", "Deleted")


class ActionModule(WaitAction):
    MODULE = "amazon.bedrock.model_copy_info"

    def pending(self, result: dict[str, Any]) -> Pending:
        copies = result.get("copies") or []
        return Pending(
            labels=tuple(
                f"{copy['region']} {copy['target_model_name']} ({copy['status']})"
                for copy in copies
                if copy["status"] in WAITING
            ),
            total=len(copies),
            noun="copies",
            details=tuple(
                f"{copy['region']} {copy['target_model_name']}: {copy['status']}"
                + (f" (job {copy['job_arn']})" if copy.get("job_arn") else "")
                for copy in copies
            ),
        )
