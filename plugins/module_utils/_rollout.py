# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)

# This module_util is for internal use only: its API may change at any time without notice.

"""What the model_rollout role decides: its targets, the plan of a wave, what to switch back, each target's outcome.

Pure functions over plain dicts (the facts the role's tasks register), so every decision is unit-tested without
an endpoint and the role's tasks only act on them. The gate's verdict is model_copy_info's ``gate``, read here,
never recomputed.
"""

from __future__ import annotations

from typing import Any

PROVISIONED, ON_DEMAND = "provisioned_throughput", "on_demand"
# deployment kind -> (the info module's list key, the ARN key, the status in which it serves its model)
DEPLOYMENTS = {
    PROVISIONED: ("provisioned_model_throughputs", "provisioned_model_arn", "InService"),
    ON_DEMAND: ("custom_model_deployments", "custom_model_deployment_arn", "Active"),
}
KIND_LABELS = {PROVISIONED: "Provisioned Throughput", ON_DEMAND: "on demand"}
COMMITMENTS = ("OneMonth", "SixMonths")
# A target's keys. Cross-account keys (assume_role_arn, profile) join this table and reach the tasks through
# ``connection`` below once the client layer takes them.
TARGET_KEYS = {"region", "deployment", "name", "model_units", "commitment_duration"}

CREATE, SWITCH, KEEP, HOLD = "create", "switch", "keep", "hold"
DEPLOYED, UNCHANGED, ROLLED_BACK, ROLLBACK_FAILED = "deployed", "unchanged", "rolled_back", "rollback_failed"
HELD_BACK, NOT_REACHED, PLANNED = "held_back", "not_reached", "planned"


class InvalidRollout(ValueError):
    """Bad input; the message is one line naming the option."""


def _check_target(where: str, target: Any) -> dict[str, Any]:
    if not isinstance(target, dict):
        raise InvalidRollout(f"{where}: a target is a dict with region, deployment and name, not {target!r}")
    unknown = sorted(set(target) - TARGET_KEYS)
    if unknown:
        raise InvalidRollout(f"{where}: unknown key {unknown[0]} (a target takes {', '.join(sorted(TARGET_KEYS))})")
    for key in ("region", "deployment", "name"):
        if not isinstance(target.get(key), str) or not target[key].strip():
            raise InvalidRollout(f"{where}.{key} is required (a non-empty string)")
    if target["deployment"] not in DEPLOYMENTS:
        raise InvalidRollout(f"{where}.deployment must be one of {', '.join(DEPLOYMENTS)}, not {target['deployment']}")
    units, commitment = target.get("model_units"), target.get("commitment_duration")
    if target["deployment"] == ON_DEMAND and (units is not None or commitment is not None):
        raise InvalidRollout(f"{where}: model_units and commitment_duration are for provisioned_throughput only")
    if units is not None and (isinstance(units, bool) or not isinstance(units, int) or units < 1):
        raise InvalidRollout(f"{where}.model_units must be an integer of at least 1, not {units!r}")
    if commitment is not None and commitment not in COMMITMENTS:
        raise InvalidRollout(f"{where}.commitment_duration must be one of {', '.join(COMMITMENTS)}, not {commitment}")
    return {key: target.get(key) for key in sorted(TARGET_KEYS)}


def parse_waves(waves: Any) -> list[dict[str, Any]]:
    """The targets of every wave, in wave order, each with its 1-based ``wave`` and its ``index`` in that order."""
    if not isinstance(waves, list) or not waves:
        raise InvalidRollout("model_rollout_waves: list at least one wave (a wave is a list of targets)")
    targets: list[dict[str, Any]] = []
    seen: dict[tuple[str, str, str], str] = {}
    for w, wave in enumerate(waves):
        if not isinstance(wave, list) or not wave:
            raise InvalidRollout(f"model_rollout_waves[{w}]: a wave is a non-empty list of targets")
        for t, raw in enumerate(wave):
            where = f"model_rollout_waves[{w}][{t}]"
            target = _check_target(where, raw)
            key = (target["region"], target["deployment"], target["name"])
            if key in seen:
                raise InvalidRollout(f"{where}: the same target as {seen[key]}")
            seen[key] = where
            targets.append(dict(target, wave=w + 1, index=len(targets)))
    return targets


def label(target: dict[str, Any]) -> str:
    return f"{target['region']} {target['name']} ({KIND_LABELS[target['deployment']]})"


def model_label(arn: str | None) -> str:
    """A model ARN's last part, its ID, short enough for a line; ``nothing`` for none."""
    return arn.rsplit("/", 1)[-1] if arn else "nothing"


def wave_copies(targets: list[dict[str, Any]], source_model_arn: str, target_model_name: str) -> list[dict[str, Any]]:
    """model_copy_info's ``copies`` for some targets: one per distinct region, in order."""
    regions = list(dict.fromkeys(t["region"] for t in targets))
    return [dict(region=r, source_model_arn=source_model_arn, target_model_name=target_model_name) for r in regions]


def waves(targets: list[dict[str, Any]], source_model_arn: str, target_model_name: str) -> list[dict[str, Any]]:
    """One entry per wave: its number, its targets and the copies its gate reads."""
    numbers = list(dict.fromkeys(t["wave"] for t in targets))
    result = []
    for number in numbers:
        members = [t for t in targets if t["wave"] == number]
        result.append(
            dict(number=number, targets=members, copies=wave_copies(members, source_model_arn, target_model_name))
        )
    return result


def current_endpoints(reads: list[dict[str, Any]]) -> dict[int, dict[str, Any] | None]:
    """What each target's deployment serves now, by target index, from the info modules' loop results.

    A read that failed leaves the state unknown: raises ValueError naming the target, never guesses "none".
    """
    current: dict[int, dict[str, Any] | None] = {}
    for read in reads:
        if read.get("skipped"):
            continue
        target = read["item"]
        key, arn_key, _ready = DEPLOYMENTS[target["deployment"]]
        if read.get("failed") or key not in read:
            raise ValueError(f"could not read {label(target)}: {read.get('msg') or 'no result'}")
        found = [e for e in read[key] if e.get(arn_key)]
        current[target["index"]] = _endpoint(target, found[0]) if found else None
    return current


def _endpoint(target: dict[str, Any], facts: dict[str, Any]) -> dict[str, Any]:
    _key, arn_key, _ready = DEPLOYMENTS[target["deployment"]]
    return dict(arn=facts.get(arn_key), model_arn=facts.get("model_arn"), status=facts.get("status"))


def plan_wave(
    targets: list[dict[str, Any]],
    gate_read: dict[str, Any],
    current: dict[int, dict[str, Any] | None],
    check_mode: bool = False,
) -> list[dict[str, Any]]:
    """One step per target: create, switch, keep (it serves the new model already) or hold (the gate is shut).

    In check mode a shut gate holds nothing back: the plan says what would move once the copies complete.
    """
    gate = gate_read["gate"]
    copies = {c["region"]: c for c in gate_read.get("copies", [])}
    steps = []
    for target in targets:
        copy = copies.get(target["region"], {})
        now = current.get(target["index"])
        previous = now["model_arn"] if now else None
        step = dict(
            target=target,
            model_arn=copy.get("target_model_arn") if copy.get("status") == "Completed" else None,
            previous_model_arn=previous,
            endpoint_arn=now["arn"] if now else None,
            copy_status=copy.get("status", "Missing"),
            model_name=copy.get("target_model_name"),
            reason=None,
        )
        if not gate["open"] and not check_mode:
            blocking = gate.get("blocking") or [gate["summary"]]
            own = [line for line in blocking if line.startswith(f"{target['region']} ")]
            step.update(action=HOLD, reason=own[0] if own else f"the gate of its wave is shut: {blocking[0]}")
        elif step["model_arn"] and previous == step["model_arn"]:
            step["action"] = KEEP
        elif now is None and target["deployment"] == PROVISIONED and not target["model_units"]:
            step.update(action=HOLD, reason="model_units is required to create its Provisioned Throughput")
        else:
            step["action"] = CREATE if now is None else SWITCH
        steps.append(step)
    if not check_mode and any(s["action"] == HOLD for s in steps):  # a wave moves as one or not at all
        for s in steps:
            if s["action"] != HOLD:
                s.update(action=HOLD, reason=s["reason"] or "another target of its wave is held back")
    return steps


def plan_line(step: dict[str, Any], check_mode: bool = False) -> str:
    target, action = step["target"], step["action"]
    head = f"wave {target['wave']}: {label(target)}"
    if action == KEEP:
        return f"{head} already serves {_new_label(step)}"
    if action == HOLD:
        return f"{head} held back: {step['reason']}"
    return f"{head} {_move(step, check_mode)}"


def _move(step: dict[str, Any], check_mode: bool) -> str:
    new = _new_label(step) if step["model_arn"] else f"the copy once it completes (now {step['copy_status']})"
    verb = "would move" if check_mode else "moves"
    if step["action"] == CREATE:
        return f"{verb} from nothing (created) to {new}"
    return f"{verb} from {model_label(step['previous_model_arn'])} to {new}"


def _new_label(step: dict[str, Any]) -> str:
    """The new model by its name and ID: the name is the release's, the ID tells the regions' copies apart."""
    ident = model_label(step["model_arn"])
    return f"{step['model_name']} ({ident})" if step.get("model_name") else ident


def serves(target: dict[str, Any], result: dict[str, Any], model_arn: str | None) -> bool:
    """Whether a switch (or switch back) result shows the deployment serving ``model_arn`` (None: none left)."""
    facts = result.get(
        "provisioned_model_throughput" if target["deployment"] == PROVISIONED else "custom_model_deployment"
    )
    if not isinstance(facts, dict):
        return False
    if model_arn is None:  # switched back to none: the module reports {} once it is gone
        return facts == {}
    _key, _arn, ready = DEPLOYMENTS[target["deployment"]]
    return facts.get("model_arn") == model_arn and facts.get("status") == ready


def _by_index(results: list[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Loop results (switches, switch-backs) by the index of the target they are about; skipped ones left out."""
    return {r["item"]["target"]["index"]: r for r in results if not r.get("skipped") and "item" in r}


def problems(
    steps: list[dict[str, Any]], switches: list[dict[str, Any]], verify_failures: list[dict[str, Any]]
) -> dict[int, str]:
    """What went wrong in a wave, by target index: a switch that did not end serving the new model, a failed check."""
    found: dict[int, str] = {}
    switched = _by_index(switches)
    for step in steps:
        index = step["target"]["index"]
        if step["action"] in (CREATE, SWITCH):
            result = switched.get(index)
            if result is None or not serves(step["target"], result, step["model_arn"]):
                msg = (result or {}).get("msg") or "it does not serve the new model"
                found[index] = f"switch failed: {msg}"
    for failure in verify_failures:
        found.setdefault(failure["index"], f"verify failed: {failure.get('msg') or 'a verify task failed'}")
    return found


def switched(steps: list[dict[str, Any]], switches: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The steps whose switch took, each with its deployment's ARN (a created one has it only now): the verify
    tasks' targets."""
    done = []
    for step in steps:
        result = _by_index(switches).get(step["target"]["index"])
        if step["action"] in (CREATE, SWITCH) and result and serves(step["target"], result, step["model_arn"]):
            done.append(dict(step, endpoint_arn=_switched_arn(step, switches)))
    return done


def switch_backs(steps: list[dict[str, Any]], found: dict[int, str]) -> list[dict[str, Any]]:
    """When anything in the wave failed, every target it tried to switch goes back: to its previous model, or away.

    A target whose switch failed is included: a failed update may still have moved it, a failed create left one.
    """
    if not found:
        return []
    back = []
    for step in steps:
        if step["action"] in (CREATE, SWITCH):
            model = step["previous_model_arn"]
            back.append(dict(target=step["target"], model_arn=model, state="present" if model else "absent"))
    return back


def record_wave(
    steps: list[dict[str, Any]],
    switches: list[dict[str, Any]],
    verify_failures: list[dict[str, Any]],
    rollbacks: list[dict[str, Any]],
    check_mode: bool = False,
) -> tuple[list[dict[str, Any]], bool]:
    """Each target's result entry and whether the rollout stops after this wave."""
    found = problems(steps, switches, verify_failures) if not check_mode else {}
    back = _by_index(rollbacks)
    culprits = ", ".join(label(s["target"]) for s in steps if s["target"]["index"] in found)
    records, stopped = [], False
    for step in steps:
        target, action, index = step["target"], step["action"], step["target"]["index"]
        entry = dict(
            region=target["region"],
            name=target["name"],
            deployment=target["deployment"],
            wave=target["wave"],
            previous_model_arn=step["previous_model_arn"],
            model_arn=step["previous_model_arn"],
            endpoint_arn=step["endpoint_arn"],
        )
        if action == HOLD:
            entry.update(outcome=HELD_BACK, message=f"not switched: {step['reason']}")
            stopped = True
        elif action == KEEP:
            entry.update(outcome=UNCHANGED, model_arn=step["model_arn"], message="already serves the new model")
        elif check_mode:
            entry.update(outcome=PLANNED, message=_move(step, check_mode=True))
        elif not found:
            entry.update(outcome=DEPLOYED, model_arn=step["model_arn"], endpoint_arn=_switched_arn(step, switches))
            entry["message"] = f"serves {_new_label(step)}, was {model_label(step['previous_model_arn'])}"
        else:
            stopped = True
            why = found.get(index) or f"switched back because of {culprits}"
            result = back.get(index, {})
            if result and serves(target, result, step["previous_model_arn"]):
                restored = (
                    f"back on {model_label(step['previous_model_arn'])}" if step["previous_model_arn"] else "deleted"
                )
                entry.update(outcome=ROLLED_BACK, message=f"{why}; {restored}")
            else:
                entry.update(
                    outcome=ROLLBACK_FAILED,
                    model_arn=_served(target, result),
                    message=f"{why}; switching back failed: {result.get('msg') or 'it was not switched back'}",
                )
        records.append(entry)
    return records, stopped


def _switched_arn(step: dict[str, Any], switches: list[dict[str, Any]]) -> str | None:
    result = _by_index(switches).get(step["target"]["index"], {})
    facts = result.get("provisioned_model_throughput") or result.get("custom_model_deployment") or {}
    _key, arn_key, _ready = DEPLOYMENTS[step["target"]["deployment"]]
    return facts.get(arn_key) or step["endpoint_arn"]


def _served(target: dict[str, Any], result: dict[str, Any]) -> str | None:
    facts = result.get(
        "provisioned_model_throughput" if target["deployment"] == PROVISIONED else "custom_model_deployment"
    )
    return facts.get("model_arn") if isinstance(facts, dict) else None


def report(
    targets: list[dict[str, Any]], records: list[dict[str, Any]], current: dict[int, dict[str, Any] | None]
) -> dict[str, Any]:
    """``model_rollout_results`` (every target in wave order; those of waves never reached too), the summary, the
    lines to show and whether the rollout stopped."""
    recorded = {(r["region"], r["deployment"], r["name"]): r for r in records}
    results = []
    for target in targets:
        entry = recorded.get((target["region"], target["deployment"], target["name"]))
        if entry is None:
            now = current.get(target["index"])
            entry = dict(
                region=target["region"],
                name=target["name"],
                deployment=target["deployment"],
                wave=target["wave"],
                outcome=NOT_REACHED,
                model_arn=now["model_arn"] if now else None,
                previous_model_arn=now["model_arn"] if now else None,
                endpoint_arn=now["arn"] if now else None,
                message="not reached: the rollout stopped in an earlier wave",
            )
        results.append(entry)
    stopped = any(r["outcome"] in (ROLLED_BACK, ROLLBACK_FAILED, HELD_BACK) for r in results)
    return dict(
        results=results, summary=summary(results, stopped), lines=[result_line(r) for r in results], stopped=stopped
    )


def result_line(result: dict[str, Any]) -> str:
    return f"wave {result['wave']}: {label(result)}: {result['outcome']} - {result['message']}"


def summary(results: list[dict[str, Any]], stopped: bool) -> str:
    waves_total = max((r["wave"] for r in results), default=0)
    counts: dict[str, int] = {}
    for r in results:
        counts[r["outcome"]] = counts.get(r["outcome"], 0) + 1
    told = ", ".join(f"{n} {outcome.replace('_', ' ')}" for outcome, n in counts.items())
    if any(r["outcome"] == PLANNED for r in results):
        return f"Model rollout plan (check mode, nothing changed): {told}"
    if not stopped:
        return f"Model rollout complete: {waves_total} of {waves_total} waves on the new model ({told})"
    failed = min(r["wave"] for r in results if r["outcome"] in (ROLLED_BACK, ROLLBACK_FAILED, HELD_BACK))
    return f"Model rollout stopped in wave {failed} of {waves_total}: {told}"
