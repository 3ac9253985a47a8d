#!/usr/bin/python
# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# Documentation only: amazon.bedrock.role_inputs is an action plugin (plugins/action/role_inputs.py) that runs on
# the controller.

from __future__ import annotations

DOCUMENTATION = r"""
module: role_inputs
short_description: Fail when a role is given a variable that is not one of its inputs
version_added: 1.1.0
description:
  - A role's inputs are the options of its argument spec (C(meta/argument_specs.yml)), each named after the
    role (C(model_copy_gate_fail)). Ansible validates the inputs it knows and ignores every other variable,
    so a misspelled input (C(model_copy_gate_fial=false)) is silently dropped and the role does what its
    default says instead.
  - Run as the first task of a role, this names every variable whose name starts with O(prefix) but that the
    argument spec does not know, with the closest input (C(did you mean model_copy_gate_fail?)), and fails
    before the role does anything else.
  - Variables under O(prefix) followed by another underscore (C(model_copy_gate__read)) are the role's own
    internal variables and are not checked; nor are the facts the role sets itself, listed in O(outputs)
    (they exist when the role runs a second time in a play).
  - It looks at the names of all the variables the task sees, wherever they were set (play, inventory,
    C(vars) of the role, extra vars); it never reads their values.
  - Runs on the controller only, in check mode too, and never changes anything.
author:
  - amazon.bedrock maintainers (@ansible-collections)
options:
  outputs:
    description:
      - The facts the role sets itself, which are named like inputs but are not inputs.
    type: list
    elements: str
    default: []
  prefix:
    description:
      - The prefix of the role's variables.
      - Defaults to the role's name followed by C(_) (C(model_copy_gate_)).
    type: str
  entry_point:
    description:
      - The entry point of the argument spec whose options are the inputs.
    type: str
    default: main
attributes:
  check_mode:
    support: full
    description: Runs in check mode as in a normal run; it only reads.
  diff_mode:
    support: none
    description: Nothing changes, so there is no diff.
notes:
  - Only as a task of a role (it reads C(role_path) and C(role_name)); elsewhere it fails saying so.
"""

EXAMPLES = r"""
# The first task of roles/model_copy_gate/tasks/main.yml
- name: Check that every model_copy_gate_* variable is an input of the role
  amazon.bedrock.role_inputs:
    outputs: [model_copy_gate_open, model_copy_gate_results]
"""

RETURN = r"""
inputs:
  description: The inputs of the role (the options of its argument spec's entry point), sorted.
  returned: always
  type: list
  elements: str
  sample: [model_copy_gate_copies, model_copy_gate_fail, model_copy_gate_timeout]
unknown:
  description: The variables under O(prefix) that are not inputs, sorted; the task fails when there are any.
  returned: always
  type: list
  elements: str
  sample: [model_copy_gate_fial]
"""
