# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""Benchmarks only (row 4): a module that does no AWS work and prints a result saved from model_copy_job_info.

It is the floor of the whole task: what ansible-playbook costs for a module of its kind (AnsiballZ payload,
a Python process with ansible.module_utils.basic) returning the same result, with the listing costing nothing.
"""

from __future__ import annotations

import sys

from ansible.module_utils.basic import AnsibleModule


def main() -> None:
    module = AnsibleModule(argument_spec=dict(path=dict(type="path", required=True)))
    with open(module.params["path"], encoding="utf-8") as saved:
        sys.stdout.write(saved.read())
    sys.exit(0)


if __name__ == "__main__":
    main()
