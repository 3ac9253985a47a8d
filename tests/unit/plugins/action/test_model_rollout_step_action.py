"""amazon.bedrock.model_rollout_step: the role's decisions through the action plugin, as the role's tasks call it."""

from __future__ import annotations

from typing import Any
from unittest.mock import MagicMock

import pytest
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader

from ansible_collections.amazon.bedrock.plugins.action.model_rollout_step import ActionModule

SOURCE = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/source000001"
V1 = "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/v1"
V2 = "arn:aws:bedrock:us-west-2:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/v2"
OD = {"region": "us-west-2", "deployment": "on_demand", "name": "bot"}


def run(args: dict[str, Any], check_mode: bool = False) -> dict[str, Any]:
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = check_mode
    return ActionModule(task, MagicMock(), MagicMock(), DataLoader(), None, None).run(task_vars={})


def test_prepare_rejects_a_bad_target_before_anything_else():
    with pytest.raises(AnsibleActionFail, match=r"^model_rollout_waves\[0\]\[0\]\.name is required"):
        run(dict(step="prepare", waves=[[{"region": "us-west-2", "deployment": "on_demand"}]], source_model_arn=SOURCE))


def test_a_wave_from_plan_to_report():
    prepared = run(dict(step="prepare", waves=[[OD]], source_model_arn=SOURCE, target_model_name="bot-v2"))
    assert prepared["regions"] == ["us-west-2"] and not prepared["changed"]
    target = prepared["targets"][0]
    read = {
        "results": [
            {
                "item": target,
                "custom_model_deployments": [
                    {"custom_model_deployment_arn": "arn:dep", "model_arn": V1, "status": "Active"}
                ],
            }
        ]
    }
    skipped_loop = {"results": [], "skipped": True}
    gate = {
        "copies": [
            {"region": "us-west-2", "status": "Completed", "target_model_arn": V2, "target_model_name": "bot-v2"}
        ],
        "gate": {"open": True, "summary": "open", "blocking": []},
    }
    plan = run(dict(step="plan", wave=prepared["waves"][0], gate_read=gate, reads=[skipped_loop, read]))
    assert plan["lines"] == ["wave 1: us-west-2 bot (on demand) moves from v1 to bot-v2 (v2)"]
    switch = {
        "results": [
            {
                "item": plan["steps"][0],
                "custom_model_deployment": {
                    "custom_model_deployment_arn": "arn:dep",
                    "model_arn": V2,
                    "status": "Active",
                },
            }
        ]
    }
    assessed = run(dict(step="assess", steps=plan["steps"], switches=[skipped_loop, switch]))
    assert assessed["problems"] == [] and assessed["switch_backs"] == []
    assert assessed["switched"][0]["endpoint_arn"] == "arn:dep"
    recorded = run(dict(step="record", steps=plan["steps"], switches=[skipped_loop, switch]))
    assert recorded["records"][0]["outcome"] == "deployed" and not recorded["stopped"]
    report = run(dict(step="report", targets=prepared["targets"], records=recorded["records"], reads=[read]))
    assert report["summary"] == "Model rollout complete: 1 of 1 waves on the new model (1 deployed)"


def test_a_gate_read_without_a_verdict_fails_the_plan():
    prepared = run(dict(step="prepare", waves=[[OD]], source_model_arn=SOURCE, target_model_name="bot-v2"))
    with pytest.raises(AnsibleActionFail, match="The copies of wave 1 could not be read: AccessDenied"):
        run(dict(step="plan", wave=prepared["waves"][0], gate_read={"failed": True, "msg": "AccessDenied"}))
