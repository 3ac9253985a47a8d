"""The model_rollout role's decisions: targets, a wave's plan, what goes back, outcomes, the report."""

from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils import _rollout as rollout

SOURCE = "arn:aws:bedrock:us-east-1:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/source000001"
OD = {"region": "us-west-2", "deployment": "on_demand", "name": "bot"}
PT_EU = {"region": "eu-central-1", "deployment": "provisioned_throughput", "name": "bot", "model_units": 1}
PT_AP = {"region": "ap-southeast-2", "deployment": "provisioned_throughput", "name": "bot"}


def model(region: str, ident: str) -> str:
    return f"arn:aws:bedrock:{region}:123456789012:custom-model/amazon.titan-text-lite-v1:0:4k/{ident}"


def endpoint_arn(target: dict[str, Any]) -> str:
    kind = "custom-model-deployment" if target["deployment"] == "on_demand" else "provisioned-model"
    return f"arn:aws:bedrock:{target['region']}:123456789012:{kind}/ep{target['region'][:2]}"


def gate_read(*regions: str, shut: dict[str, str] | None = None) -> dict[str, Any]:
    shut = shut or {}
    copies = [
        dict(
            region=r,
            target_model_name="bot-v2",
            status=shut.get(r, "Completed"),
            target_model_arn=None if r in shut else model(r, "v2"),
        )
        for r in regions
    ]
    blocking = [f"{r} bot-v2: {status} - it failed" for r, status in shut.items()]
    summary = f"Model copy gate {'shut' if shut else 'open'}"
    return {"copies": copies, "gate": {"open": not shut, "summary": summary, "blocking": blocking}}


def served(target: dict[str, Any], ident: str | None, status: str | None = None) -> dict[str, Any]:
    """A switch or switch-back loop item: what the module reported for the target."""
    key = "custom_model_deployment" if target["deployment"] == "on_demand" else "provisioned_model_throughput"
    arn_key = "custom_model_deployment_arn" if target["deployment"] == "on_demand" else "provisioned_model_arn"
    ready = "Active" if target["deployment"] == "on_demand" else "InService"
    facts = (
        {}
        if ident is None
        else {arn_key: endpoint_arn(target), "model_arn": model(target["region"], ident), "status": status or ready}
    )
    return {"item": {"target": target}, key: facts, "changed": True}


def targets(*waves: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return rollout.parse_waves(list(waves))


@pytest.mark.parametrize(
    "waves, message",
    [
        ([], "model_rollout_waves: list at least one wave"),
        ([[OD], []], "model_rollout_waves[1]: a wave is a non-empty list of targets"),
        ([[{"region": "us-west-2", "name": "bot"}]], "model_rollout_waves[0][0].deployment is required"),
        ([[dict(OD, deployment="serverless")]], "model_rollout_waves[0][0].deployment must be one of"),
        ([[dict(PT_EU, model_units=0)]], "model_rollout_waves[0][0].model_units must be an integer of at least 1"),
        (
            [[dict(PT_EU, commitment_duration="OneYear")]],
            "model_rollout_waves[0][0].commitment_duration must be one of",
        ),
        (
            [[dict(OD, model_units=1)]],
            "model_rollout_waves[0][0]: model_units and commitment_duration are for provisioned_throughput only",
        ),
        ([[dict(OD, regoin="x")]], "model_rollout_waves[0][0]: unknown key regoin"),
        ([[OD], [dict(OD)]], "model_rollout_waves[1][0]: the same target as model_rollout_waves[0][0]"),
        ([["us-west-2"]], "model_rollout_waves[0][0]: a target is a dict"),
    ],
)
def test_bad_waves_fail_naming_the_option(waves, message):
    with pytest.raises(rollout.InvalidRollout) as e:
        rollout.parse_waves(waves)
    assert str(e.value).startswith(message)
    assert "\n" not in str(e.value)


def test_targets_are_numbered_in_wave_order_and_each_wave_gates_on_its_distinct_regions():
    found = targets([OD], [PT_EU, PT_AP, dict(OD, name="bot-2")])
    assert [(t["wave"], t["index"], t["region"]) for t in found] == [
        (1, 0, "us-west-2"),
        (2, 1, "eu-central-1"),
        (2, 2, "ap-southeast-2"),
        (2, 3, "us-west-2"),
    ]
    waves = rollout.waves(found, SOURCE, "bot-v2")
    assert [w["number"] for w in waves] == [1, 2]
    assert [c["region"] for c in waves[1]["copies"]] == ["eu-central-1", "ap-southeast-2", "us-west-2"]
    assert waves[1]["copies"][0] == {
        "region": "eu-central-1",
        "source_model_arn": SOURCE,
        "target_model_name": "bot-v2",
    }


def reads(found: list[dict[str, Any]], serving: dict[str, str | None]) -> list[dict[str, Any]]:
    """Info-module loop items: each target serving ``serving[region]`` (an ID), none for None."""
    items = []
    for t in found:
        key, arn_key, ready = rollout.DEPLOYMENTS[t["deployment"]]
        ident = serving.get(t["region"])
        facts = (
            []
            if ident is None
            else [{arn_key: endpoint_arn(t), "model_arn": model(t["region"], ident), "status": ready}]
        )
        items.append({"item": t, key: facts})
    return items


def test_a_failed_read_leaves_the_state_unknown():
    found = targets([OD])
    with pytest.raises(ValueError, match="could not read us-west-2 bot \\(on demand\\): AccessDenied"):
        rollout.current_endpoints([{"item": found[0], "failed": True, "msg": "AccessDenied"}])


def test_plan_switches_creates_and_keeps():
    found = targets([OD, PT_EU, PT_AP])
    current = rollout.current_endpoints(reads(found, {"us-west-2": "v1", "eu-central-1": "v2"}))
    steps = rollout.plan_wave(found, gate_read("us-west-2", "eu-central-1", "ap-southeast-2"), current)
    # ap-southeast-2 has no throughput and no model_units to create one: the whole wave holds
    assert [s["action"] for s in steps] == ["hold", "hold", "hold"]
    assert steps[2]["reason"] == "model_units is required to create its Provisioned Throughput"

    found = targets([OD, PT_EU, dict(PT_AP, model_units=2)])
    steps = rollout.plan_wave(found, gate_read("us-west-2", "eu-central-1", "ap-southeast-2"), current)
    assert [s["action"] for s in steps] == ["switch", "keep", "create"]
    assert steps[0]["previous_model_arn"] == model("us-west-2", "v1")
    assert steps[0]["model_arn"] == model("us-west-2", "v2")
    assert [rollout.plan_line(s) for s in steps] == [
        "wave 1: us-west-2 bot (on demand) moves from v1 to bot-v2 (v2)",
        "wave 1: eu-central-1 bot (Provisioned Throughput) already serves bot-v2 (v2)",
        "wave 1: ap-southeast-2 bot (Provisioned Throughput) moves from nothing (created) to bot-v2 (v2)",
    ]


def test_a_shut_gate_holds_the_whole_wave_back_naming_the_copy():
    found = targets([OD, PT_EU])
    current = rollout.current_endpoints(reads(found, {"us-west-2": "v2", "eu-central-1": "v1"}))
    steps = rollout.plan_wave(found, gate_read("us-west-2", "eu-central-1", shut={"eu-central-1": "Failed"}), current)
    assert [s["action"] for s in steps] == ["hold", "hold"]
    assert steps[1]["reason"] == "eu-central-1 bot-v2: Failed - it failed"
    assert steps[0]["reason"] == "the gate of its wave is shut: eu-central-1 bot-v2: Failed - it failed"
    records, stopped = rollout.record_wave(steps, [], [], [])
    assert stopped
    assert [r["outcome"] for r in records] == ["held_back", "held_back"]
    assert records[1]["model_arn"] == model("eu-central-1", "v1")


def test_check_mode_plans_through_a_shut_gate_and_records_planned():
    found = targets([PT_EU])
    current = rollout.current_endpoints(reads(found, {"eu-central-1": "v1"}))
    steps = rollout.plan_wave(
        found, gate_read("eu-central-1", shut={"eu-central-1": "Missing"}), current, check_mode=True
    )
    assert rollout.plan_line(steps[0], check_mode=True) == (
        "wave 1: eu-central-1 bot (Provisioned Throughput) would move from v1"
        " to the copy once it completes (now Missing)"
    )
    records, stopped = rollout.record_wave(steps, [], [], [], check_mode=True)
    assert (records[0]["outcome"], records[0]["model_arn"], stopped) == ("planned", model("eu-central-1", "v1"), False)
    assert records[0]["message"] == "would move from v1 to the copy once it completes (now Missing)"
    report = rollout.report(found, records, current)
    assert report["summary"] == "Model rollout plan (check mode, nothing changed): 1 planned"
    assert not report["stopped"]


def wave_of_three() -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """us-west-2 on demand on v1, eu-central-1 on v1, ap-southeast-2 with nothing yet: switch, switch, create."""
    found = targets([OD, PT_EU, dict(PT_AP, model_units=1)])
    current = rollout.current_endpoints(reads(found, {"us-west-2": "v1", "eu-central-1": "v1"}))
    return found, rollout.plan_wave(found, gate_read("us-west-2", "eu-central-1", "ap-southeast-2"), current)


def test_a_wave_that_took_is_deployed_and_verified_with_the_new_arn():
    found, steps = wave_of_three()
    switches = [served(found[0], "v2"), served(found[1], "v2"), served(found[2], "v2")]
    assert rollout.problems(steps, switches, []) == {}
    assert rollout.switch_backs(steps, {}) == []
    checked = rollout.switched(steps, switches)
    assert [s["endpoint_arn"] for s in checked] == [endpoint_arn(t) for t in found]  # the created one's too
    records, stopped = rollout.record_wave(steps, switches, [], [])
    assert not stopped
    assert [r["outcome"] for r in records] == ["deployed"] * 3
    assert records[0]["message"] == "serves bot-v2 (v2), was v1"
    assert records[2]["previous_model_arn"] is None
    assert records[2]["endpoint_arn"] == endpoint_arn(found[2])


@pytest.mark.parametrize(
    "switch_us, verify_failures, problem",
    [
        # UpdateFailed: still on v1, Active
        ({"msg": "The model failed its health check."}, [], "switch failed: The model failed its health check."),
        # it took, but the user's check failed
        (None, [{"index": 0, "msg": "no answer"}], "verify failed: no answer"),
    ],
)
def test_anything_failing_sends_every_switched_target_back(switch_us, verify_failures, problem):
    found, steps = wave_of_three()
    first = served(found[0], "v1") | switch_us if switch_us else served(found[0], "v2")
    switches = [first, served(found[1], "v2"), served(found[2], "v2")]
    found_problems = rollout.problems(steps, switches, verify_failures)
    assert found_problems == {0: problem}
    back = rollout.switch_backs(steps, found_problems)
    assert [(b["state"], b["model_arn"]) for b in back] == [
        ("present", model("us-west-2", "v1")),
        ("present", model("eu-central-1", "v1")),
        ("absent", None),  # created by this run: deleted
    ]
    rollbacks = [served(found[0], "v1"), served(found[1], "v1"), served(found[2], None)]
    records, stopped = rollout.record_wave(steps, switches, verify_failures, rollbacks)
    assert stopped
    assert [r["outcome"] for r in records] == ["rolled_back"] * 3
    assert records[0]["message"] == f"{problem}; back on v1"
    assert records[1]["message"] == "switched back because of us-west-2 bot (on demand); back on v1"
    assert records[2]["message"].endswith("; deleted")
    assert [r["model_arn"] for r in records] == [model("us-west-2", "v1"), model("eu-central-1", "v1"), None]


def test_a_switch_back_that_does_not_take_is_reported_with_what_it_serves():
    found, steps = wave_of_three()
    switches = [served(found[0], "v2"), served(found[1], "v2", status="Failed"), served(found[2], "v2")]
    failed_back = served(found[1], "v2", status="Failed") | {"msg": "Bedrock changes its model only when InService"}
    rollbacks = [served(found[0], "v1"), failed_back, served(found[2], None)]
    records, stopped = rollout.record_wave(steps, switches, [], rollbacks)
    assert stopped
    assert [r["outcome"] for r in records] == ["rolled_back", "rollback_failed", "rolled_back"]
    assert records[1]["model_arn"] == model("eu-central-1", "v2")
    assert records[1]["message"] == (
        "switch failed: it does not serve the new model;"
        " switching back failed: Bedrock changes its model only when InService"
    )


def test_report_fills_in_later_waves_and_summarises():
    found = targets([OD], [PT_EU, PT_AP])
    current = rollout.current_endpoints(reads(found, {"us-west-2": "v1", "eu-central-1": "v1", "ap-southeast-2": "v1"}))
    steps = rollout.plan_wave(found[:1], gate_read("us-west-2"), current)
    records, _stopped = rollout.record_wave(
        steps, [served(found[0], "v2")], [{"index": 0, "msg": "no answer"}], [served(found[0], "v1")]
    )
    report = rollout.report(found, records, current)
    assert [r["outcome"] for r in report["results"]] == ["rolled_back", "not_reached", "not_reached"]
    assert report["results"][1]["model_arn"] == model("eu-central-1", "v1")
    assert report["summary"] == "Model rollout stopped in wave 1 of 2: 1 rolled back, 2 not reached"
    assert report["stopped"]
    assert report["lines"][2] == (
        "wave 2: ap-southeast-2 bot (Provisioned Throughput): not_reached"
        " - not reached: the rollout stopped in an earlier wave"
    )


def test_a_rerun_after_success_is_unchanged_everywhere():
    found = targets([OD], [PT_EU])
    current = rollout.current_endpoints(reads(found, {"us-west-2": "v2", "eu-central-1": "v2"}))
    records = []
    for number in (1, 2):
        wave = [t for t in found if t["wave"] == number]
        steps = rollout.plan_wave(wave, gate_read(*(t["region"] for t in wave)), current)
        records += rollout.record_wave(steps, [], [], [])[0]
    report = rollout.report(found, records, current)
    assert [r["outcome"] for r in report["results"]] == ["unchanged", "unchanged"]
    assert report["summary"] == "Model rollout complete: 2 of 2 waves on the new model (2 unchanged)"
