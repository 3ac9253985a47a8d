# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""amazon.bedrock.role_inputs: fail when a variable under the role's prefix is not one of its inputs.

Controller only: it reads the role's argument spec (``role_path``) and the names of the task's variables.
"""

from __future__ import annotations

import os
from typing import Any

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.amazon.bedrock.plugins.plugin_utils._role_inputs import (
    spec_inputs,
    unknown_inputs,
    unknown_inputs_message,
)

ARGUMENT_SPEC = dict(
    outputs=dict(type="list", elements="str", default=[]),
    prefix=dict(type="str"),
    entry_point=dict(type="str", default="main"),
)


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        task_vars = task_vars or {}
        result = super().run(tmp, task_vars)
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        role_path, role = task_vars.get("role_path"), task_vars.get("role_name")
        if not role_path or not role:
            raise AnsibleActionFail("amazon.bedrock.role_inputs checks a role's inputs: run it as a task of a role")
        try:
            inputs = spec_inputs(self._argument_specs(str(role_path)), args["entry_point"])
        except ValueError as e:
            raise AnsibleActionFail(f"role {role}: {e}") from None
        prefix = args["prefix"] or f"{role}_"
        unknown = unknown_inputs(task_vars, prefix, inputs, args["outputs"])
        result.update(changed=False, inputs=inputs, unknown=unknown)
        if unknown:
            result.update(failed=True, msg=unknown_inputs_message(str(role), prefix, unknown, inputs))
        else:
            result["msg"] = f"every {prefix}* variable is an input of the role {role}"
        return result

    def _argument_specs(self, role_path: str) -> Any:
        """The role's ``argument_specs``: meta/argument_specs.yml (or .yaml) first, else meta/main.yml's, as Ansible."""
        for name in ("argument_specs.yml", "argument_specs.yaml", "main.yml", "main.yaml"):
            path = os.path.join(role_path, "meta", name)
            if os.path.exists(path):
                data = self._loader.load_from_file(path) or {}
                if name.startswith("argument_specs") or data.get("argument_specs"):
                    return data.get("argument_specs") or {}
        return {}
