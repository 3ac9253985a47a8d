# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Runs amazon.bedrock.custom_model_deployment; with wait, one round at a time with a progress line between
rounds. A later round runs the same task again: by then the deployment exists and serves (or is being switched
to) the model, or is gone, so it changes nothing and only waits; an update that failed between two rounds is
reported, never sent again (``retry_failed_update: false``)."""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.bedrock.plugins.module_utils import _custom_model_deploy as deploy
from ansible_collections.amazon.bedrock.plugins.plugin_utils._progress import Pending
from ansible_collections.amazon.bedrock.plugins.plugin_utils._wait_action import WaitAction


class ActionModule(WaitAction):
    KEEP_FROM_FIRST = ("diff", "client_request_token")
    MODULE = "amazon.bedrock.custom_model_deployment"

    def next_round(self, first: dict[str, Any], args: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        return self.MODULE, dict(args, retry_failed_update=False)

    def pending(self, result: dict[str, Any]) -> Pending:
        facts = result.get("custom_model_deployment") or {}
        # What the module waits on, read with its own predicates (a round's facts may lack keys: defaults).
        read = {"status": None, **facts, "update_details": facts.get("update_details") or {}}
        state = deploy.state_of(read)
        waiting = (bool(facts) and deploy.pending(read)) or (self._task.args.get("state") == "absent" and bool(facts))
        return Pending(
            labels=(f"{facts.get('name')} ({state})",) if waiting else (),
            total=1 if facts else 0,
            noun="custom model deployments",
            details=(f"{facts.get('custom_model_deployment_arn')}: {state}",) if facts else (),
        )
