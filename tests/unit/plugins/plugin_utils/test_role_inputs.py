from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.plugin_utils._role_inputs import (
    spec_inputs,
    unknown_inputs,
    unknown_inputs_message,
)

INPUTS = ["model_copy_gate_copies", "model_copy_gate_fail", "model_copy_gate_timeout"]
OUTPUTS = ["model_copy_gate_open", "model_copy_gate_results"]


@pytest.mark.parametrize(
    "names, expected",
    [
        (["model_copy_gate_fial", "model_copy_gate_fail"], ["model_copy_gate_fial"]),
        (["model_copy_gate_timeout", "model_copy_gate_copies"], []),
        (["model_copy_gate__read", "model_copy_gate__lines"], []),  # the role's internal variables
        (OUTPUTS, []),  # the facts it set when it ran before in the play
        (["model_copy_gate", "gate_fial", "inventory_hostname", "model_rollout_wave"], []),  # not under the prefix
        (
            ["model_copy_gate_timout", "model_copy_gate_zzz", "model_copy_gate_timout"],
            ["model_copy_gate_timout", "model_copy_gate_zzz"],
        ),
    ],
)
def test_unknown_inputs_are_the_names_under_the_prefix_nobody_declared(names, expected):
    assert unknown_inputs(names, "model_copy_gate_", INPUTS, OUTPUTS) == expected


def test_the_message_names_each_unknown_variable_with_the_closest_input():
    one = unknown_inputs_message("model_copy_gate", "model_copy_gate_", ["model_copy_gate_fial"], INPUTS)
    assert one == (
        "model_copy_gate_fial (did you mean model_copy_gate_fail?) is not an input of the role model_copy_gate,"
        " which would ignore it; its inputs are model_copy_gate_copies, model_copy_gate_fail, model_copy_gate_timeout"
    )
    two = unknown_inputs_message(
        "model_copy_gate", "model_copy_gate_", ["model_copy_gate_timout", "model_copy_gate_zzz"], INPUTS
    )
    assert two.startswith(
        "model_copy_gate_timout (did you mean model_copy_gate_timeout?), model_copy_gate_zzz are not inputs of the"
        " role model_copy_gate, which would ignore them; "
    )


def test_spec_inputs_are_the_options_of_the_entry_point():
    specs = {"main": {"options": {"b_x": {}, "a_y": {}}}, "other": {}}
    assert spec_inputs(specs, "main") == ["a_y", "b_x"]
    assert spec_inputs(specs, "other") == []
    with pytest.raises(ValueError, match="no entry point 'deploy' \\(it has: main, other\\)"):
        spec_inputs(specs, "deploy")
