# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

"""amazon.bedrock.model_rollout_step: the model_rollout role's decisions, one step at a time.

Controller only and pure: it reads what the role's tasks registered and returns what to do next
(plugins/module_utils/_rollout.py decides); it never sends a request.
"""

from __future__ import annotations

from typing import Any

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.amazon.bedrock.plugins.module_utils import _rollout as rollout

ARGUMENT_SPEC = dict(
    step=dict(type="str", required=True, choices=["prepare", "plan", "assess", "record", "report"]),
    waves=dict(type="raw"),
    source_model_arn=dict(type="str"),
    target_model_name=dict(type="str"),
    wave=dict(type="dict"),
    gate_read=dict(type="dict"),
    reads=dict(type="list", elements="raw", default=[]),
    steps=dict(type="list", elements="dict", default=[]),
    switches=dict(type="list", elements="raw", default=[]),
    verify_failures=dict(type="list", elements="dict", default=[]),
    rollbacks=dict(type="list", elements="raw", default=[]),
    targets=dict(type="list", elements="dict", default=[]),
    records=dict(type="list", elements="dict", default=[]),
)


def _results(loops: list[Any]) -> list[dict[str, Any]]:
    """The items of registered loops (a loop registers ``{"results": [...]}``; a skipped task has none)."""
    items: list[dict[str, Any]] = []
    for loop in loops:
        if isinstance(loop, dict):
            items.extend(loop.get("results", []))
    return items


class ActionModule(ActionBase):
    TRANSFERS_FILES = False
    _requires_connection = False
    _supports_check_mode = True

    def run(self, tmp: Any = None, task_vars: dict[str, Any] | None = None) -> dict[str, Any]:
        result = super().run(tmp, task_vars or {})
        _validation, args = self.validate_argument_spec(argument_spec=ARGUMENT_SPEC)
        check_mode = bool(self._task.check_mode)
        try:
            result.update(getattr(self, f"_{args['step']}")(args, check_mode))
        except ValueError as e:  # InvalidRollout included: one line, before any request
            raise AnsibleActionFail(str(e)) from None
        result["changed"] = False
        return result

    def _prepare(self, args: dict[str, Any], check_mode: bool) -> dict[str, Any]:
        targets = rollout.parse_waves(args["waves"])
        waves = rollout.waves(targets, args["source_model_arn"], args["target_model_name"])
        regions = list(dict.fromkeys(t["region"] for t in targets))
        return dict(targets=targets, waves=waves, regions=regions, check_mode=check_mode)

    def _plan(self, args: dict[str, Any], check_mode: bool) -> dict[str, Any]:
        read = args["gate_read"] or {}
        if "gate" not in read or "endpoint_unreachable" in read:
            raise ValueError(
                f"The copies of wave {args['wave']['number']} could not be read: {read.get('msg', 'no result')}"
            )
        current = rollout.current_endpoints(_results(args["reads"]))
        steps = rollout.plan_wave(args["wave"]["targets"], read, current, check_mode)
        return dict(steps=steps, lines=[rollout.plan_line(s, check_mode) for s in steps])

    def _assess(self, args: dict[str, Any], check_mode: bool) -> dict[str, Any]:
        switches = _results(args["switches"])
        found = rollout.problems(args["steps"], switches, args["verify_failures"])
        return dict(
            problems=sorted(found.values()),
            switched=rollout.switched(args["steps"], switches),
            switch_backs=rollout.switch_backs(args["steps"], found),
        )

    def _record(self, args: dict[str, Any], check_mode: bool) -> dict[str, Any]:
        records, stopped = rollout.record_wave(
            args["steps"],
            _results(args["switches"]),
            args["verify_failures"],
            _results(args["rollbacks"]),
            check_mode,
        )
        return dict(records=records, stopped=stopped)

    def _report(self, args: dict[str, Any], check_mode: bool) -> dict[str, Any]:
        current = rollout.current_endpoints(_results(args["reads"]))
        return rollout.report(args["targets"], args["records"], current)
