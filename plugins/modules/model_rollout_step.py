#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Documentation only: amazon.bedrock.model_rollout_step is an action plugin (plugins/action/model_rollout_step.py) that
# runs on the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: model_rollout_step
short_description: The decisions of the model_rollout role, one step at a time
version_added: 1.1.0
description:
  - The C(amazon.bedrock.model_rollout) role's decisions, made on the controller from what its tasks registered;
    it never sends a request. Its interface follows the role and may change with it; use the role.
  - V(prepare) checks O(waves) and lists the targets, the waves with the copies each gate reads, and the regions.
  - V(plan) gives each target of O(wave) its step (create, switch, keep, hold) from the gate read O(gate_read) and the
    deployments read O(reads), with a line each.
  - V(assess) says which switches took (O(switches)), what failed (with O(verify_failures)) and what to switch back.
  - V(record) gives each target of the wave its result entry, and whether the rollout stops.
  - V(report) gives every target's result (O(records), later waves C(not_reached)), the summary and the lines.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  step:
    description: Which decision.
    type: str
    required: true
    choices: [prepare, plan, assess, record, report]
  waves:
    description: The role's C(model_rollout_waves) (V(prepare)).
    type: raw
  source_model_arn:
    description: The model released (V(prepare)).
    type: str
  target_model_name:
    description: The copies' name (V(prepare)).
    type: str
  wave:
    description: One wave as V(prepare) returned it (V(plan)).
    type: dict
  gate_read:
    description: The registered result of M(amazon.bedrock.model_copy_info) for the wave's copies (V(plan)).
    type: dict
  reads:
    description: The registered loops of the info modules over the targets (V(plan), V(report)).
    type: list
    elements: raw
    default: []
  steps:
    description: The steps V(plan) returned (V(assess), V(record)).
    type: list
    elements: dict
    default: []
  switches:
    description: The registered loops that switched the wave's targets (V(assess), V(record)).
    type: list
    elements: raw
    default: []
  verify_failures:
    description: The failed checks, each C(index) (of the target) and C(msg) (V(assess), V(record)).
    type: list
    elements: dict
    default: []
  rollbacks:
    description: The registered loops that switched targets back (V(record)).
    type: list
    elements: raw
    default: []
  targets:
    description: The targets V(prepare) returned (V(report)).
    type: list
    elements: dict
    default: []
  records:
    description: The entries V(record) returned, all waves (V(report)).
    type: list
    elements: dict
    default: []
attributes:
  check_mode:
    support: full
    description: Runs in check mode; the plan and the records then say what would happen.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
notes:
  - Bad targets fail V(prepare) with one line naming C(model_rollout_waves[W][T]).
"""

EXAMPLES = r"""
# From roles/model_rollout/tasks/main.yml
- name: Check the waves and list the targets
  amazon.bedrock.model_rollout_step:
    step: prepare
    waves: "{{ model_rollout_waves }}"
    source_model_arn: "{{ model_rollout_source_model_arn }}"
    target_model_name: "{{ model_rollout_target_model_name }}"
  register: model_rollout__prepared
"""

RETURN = r"""
targets:
  description: Every target in wave order, with its C(wave) (1-based) and C(index).
  returned: with O(step=prepare)
  type: list
  elements: dict
  sample: [{"region": "us-west-2", "deployment": "on_demand", "name": "support-bot", "wave": 1, "index": 0,
            "model_units": null, "commitment_duration": null}]
waves:
  description:
    - Each wave's C(number), C(targets) and C(copies) (model_copy_info's
      O(amazon.bedrock.model_copy_info#module:copies)).
  returned: with O(step=prepare)
  type: list
  elements: dict
  sample: [{"number": 1, "targets": [], "copies": []}]
regions:
  description: The distinct regions, in order.
  returned: with O(step=prepare)
  type: list
  elements: str
  sample: [us-west-2, eu-central-1]
steps:
  description: One step per target of the wave, its C(action) one of C(create), C(switch), C(keep) and C(hold).
  returned: with O(step=plan)
  type: list
  elements: dict
  sample: [{"action": "switch", "model_arn": "arn:aws:bedrock:us-west-2:123456789012:custom-model/b/abc",
            "previous_model_arn": "arn:aws:bedrock:us-west-2:123456789012:custom-model/b/xyz"}]
lines:
  description: The plan's lines (V(plan)) or every target's result line (V(report)).
  returned: with O(step=plan) and O(step=report)
  type: list
  elements: str
  sample: ["wave 1: us-west-2 support-bot (on demand) moves from xyz to abc"]
problems:
  description: What failed in the wave, one line each.
  returned: with O(step=assess)
  type: list
  elements: str
  sample: ["verify failed: the answer was empty"]
switched:
  description: The steps whose switch took, each with its deployment's C(endpoint_arn).
  returned: with O(step=assess)
  type: list
  elements: dict
  sample: []
switch_backs:
  description: What to switch back (C(target), C(model_arn), C(state)); empty when nothing failed.
  returned: with O(step=assess)
  type: list
  elements: dict
  sample: [{"model_arn": null, "state": "absent"}]
records:
  description: The wave's result entries, as in C(model_rollout_results).
  returned: with O(step=record)
  type: list
  elements: dict
  sample: []
stopped:
  description: Whether the rollout stops (a wave held back or switched back).
  returned: with O(step=record) and O(step=report)
  type: bool
  sample: false
results:
  description: Every target's result, in wave order (the role's C(model_rollout_results)).
  returned: with O(step=report)
  type: list
  elements: dict
  sample: [{"region": "us-west-2", "name": "support-bot", "deployment": "on_demand", "wave": 1, "outcome": "deployed",
            "model_arn": "arn:aws:bedrock:us-west-2:123456789012:custom-model/b/abc", "previous_model_arn": null,
            "endpoint_arn": "arn:aws:bedrock:us-west-2:123456789012:custom-model-deployment/abc",
            "message": "serves abc"}]
summary:
  description: One line (the role's C(model_rollout_summary)).
  returned: with O(step=report)
  type: str
  sample: "Model rollout complete: 2 of 2 waves on the new model (3 deployed)"
"""
