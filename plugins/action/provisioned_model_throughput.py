# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs amazon.bedrock.provisioned_model_throughput; with wait, one round at a time with a progress line between
rounds. A later round runs the same task again: by then the throughput exists and serves the model (or is gone),
so it changes nothing and only waits."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils._provisioned_throughput import PENDING_STATUSES
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitAction


class ActionModule(WaitAction):
    KEEP_FROM_FIRST = ("diff", "client_request_token")
    MODULE = "amazon.bedrock.provisioned_model_throughput"

    def pending(self, result: dict[str, Any]) -> Pending:
        facts = result.get("provisioned_model_throughput") or {}
        name, status = facts.get("provisioned_model_name"), facts.get("status")
        waiting = status in PENDING_STATUSES or (self._task.args.get("state") == "absent" and bool(facts))
        return Pending(
            labels=(f"{name} ({status})",) if waiting else (),
            total=1 if facts else 0,
            noun="provisioned throughputs",
            details=(f"{facts.get('provisioned_model_arn')}: {status}",) if facts else (),
        )
