"""amazon.bedrock.role_inputs against the collection's own role and small roles written for the test."""

from __future__ import annotations

from pathlib import Path
from typing import Any
from unittest.mock import MagicMock

import pytest
import yaml
from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader

from ansible_collections.amazon.bedrock.plugins.action.role_inputs import ActionModule

GATE = Path(__file__).resolve().parents[4] / "roles" / "model_copy_gate"
GATE_TASKS = yaml.safe_load((GATE / "tasks" / "main.yml").read_text())
GATE_OUTPUTS = GATE_TASKS[0]["amazon.bedrock.role_inputs"]["outputs"]


def run(args: dict[str, Any], task_vars: dict[str, Any]) -> dict[str, Any]:
    task = MagicMock()
    task.args = args
    task.async_val = 0
    task.check_mode = False
    plugin = ActionModule(task, MagicMock(), MagicMock(), DataLoader(), None, None)
    return plugin.run(task_vars=task_vars)


def gate_vars(**variables: Any) -> dict[str, Any]:
    return dict(role_path=str(GATE), role_name="model_copy_gate", inventory_hostname="localhost", **variables)


def test_a_misspelled_gate_input_fails_naming_the_closest_input():
    variables = gate_vars(
        model_copy_gate_copies=[],
        model_copy_gate_fial=False,
        model_copy_gate_open=True,  # facts and internal variables of an earlier run of the role
        model_copy_gate_results=[],
        model_copy_gate__read={},
    )
    result = run({"outputs": GATE_OUTPUTS}, variables)
    assert result["failed"] is True
    assert result["unknown"] == ["model_copy_gate_fial"]
    assert result["msg"].startswith(
        "model_copy_gate_fial (did you mean model_copy_gate_fail?) is not an input of the role model_copy_gate"
    )
    assert "model_copy_gate_report_interval" in result["inputs"]


def test_the_gates_own_inputs_pass():
    result = run({"outputs": GATE_OUTPUTS}, gate_vars(model_copy_gate_copies=[], model_copy_gate_fail=True))
    assert not result.get("failed") and result["changed"] is False and result["unknown"] == []


def test_the_gate_declares_every_fact_it_sets_as_an_output():
    """A fact the role sets under its prefix and does not list would fail the role's next run in the play."""
    assert "amazon.bedrock.role_inputs" in GATE_TASKS[0]  # the first task, before anything is read
    set_names = {name for task in GATE_TASKS for name in (task.get("ansible.builtin.set_fact") or {})}
    set_names |= {task["register"] for task in GATE_TASKS if "register" in task}
    public = {name for name in set_names if name.startswith("model_copy_gate_") and "__" not in name}
    assert public <= set(GATE_OUTPUTS)


def _role(tmp_path: Path, meta_file: str, content: dict[str, Any]) -> str:
    (tmp_path / "meta").mkdir()
    (tmp_path / "meta" / meta_file).write_text(yaml.safe_dump(content))
    return str(tmp_path)


def test_a_spec_in_meta_main_an_entry_point_and_a_prefix(tmp_path):
    spec = {"argument_specs": {"main": {"options": {}}, "deploy": {"options": {"rollout_waves": {}}}}}
    role_path = _role(tmp_path, "main.yml", spec)
    variables = dict(role_path=role_path, role_name="model_rollout", rollout_wave=2, model_rollout_x=1)
    result = run({"entry_point": "deploy", "prefix": "rollout_"}, variables)
    assert result["failed"] is True and result["unknown"] == ["rollout_wave"]
    assert "(did you mean rollout_waves?)" in result["msg"]


def test_an_unknown_entry_point_and_a_task_outside_a_role_fail_clearly(tmp_path):
    role_path = _role(tmp_path, "argument_specs.yml", {"argument_specs": {"main": {"options": {}}}})
    with pytest.raises(AnsibleActionFail, match="role model_rollout: the role's argument spec has no entry point 'x'"):
        run({"entry_point": "x"}, dict(role_path=role_path, role_name="model_rollout"))
    with pytest.raises(AnsibleActionFail, match="run it as a task of a role"):
        run({}, dict(inventory_hostname="localhost"))
