# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs amazon.bedrock.model_copy_info; with wait, one round at a time with a progress line between rounds."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils._facts import PENDING_COPY_STATUSES
from ansible_collections.amazon.bedrock.plugins.module_utils._gate import copy_place, gate_verdict, spans_accounts
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitAction, wait_plan


class ActionModule(WaitAction):
    MODULE = "amazon.bedrock.model_copy_info"

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars)
        # The last round's module worded the gate with that round's timeout; the verdict names the whole wait's.
        if "endpoint_unreachable" in result:
            # The copies are only what the last good round read: no verdict.
            result.pop("gate", None)
            return result
        plan = wait_plan(dict(self._task.args))
        if plan and not self._task.async_val and isinstance(result.get("gate"), dict):
            result["gate"] = gate_verdict(result["copies"], plan.timeout)
        return result

    def pending(self, result: dict[str, Any]) -> Pending:
        copies = result.get("copies") or []
        accounts = spans_accounts(copies)
        return Pending(
            labels=tuple(
                f"{copy_place(copy, accounts)} ({copy['status']})"
                for copy in copies
                if copy["status"] in PENDING_COPY_STATUSES
            ),
            total=len(copies),
            noun="copies",
            details=tuple(
                f"{copy_place(copy, accounts)}: {copy['status']}"
                + (f" (job {copy['job_arn']})" if copy.get("job_arn") else "")
                for copy in copies
            ),
        )
