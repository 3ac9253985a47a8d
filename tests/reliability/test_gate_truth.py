"""Part 5 of the reliability suite, short: two seeded worlds of 20 regions, run at the same time (each on an
endpoint of its own): one where every copy completes and the gate must open, one where it must stay shut.

``make soak`` runs more seeds, one after the other, with a longer timeout (tests/reliability/soak.py).
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import pytest
from gate_sim import GATE_REGIONS, GateRun, finish_gate, make_world, start_gate
from harness import Endpoint, running_endpoint

SEEDS = (1, 2)  # odd: every copy completes; even: a mix


@pytest.fixture(scope="module")
def gate_runs(endpoint_session: Endpoint) -> Iterator[dict[int, GateRun]]:
    with contextlib.ExitStack() as stack:
        endpoints = [endpoint_session]
        endpoints += [Endpoint(stack.enter_context(running_endpoint(copy_duration=20))) for _seed in SEEDS[1:]]
        running = [start_gate(endpoint, make_world(seed)) for endpoint, seed in zip(endpoints, SEEDS)]
        runs = {gate.world.seed: finish_gate(gate) for gate in running}
        for run in runs.values():
            m = run.measured
            print(
                f"gate seed {run.seed}: open {run.gate_open}, watched {run.watching:.1f}s of {run.bound:.1f}s allowed"
                f" (timeout {run.timeout}s), {m.rounds} rounds, {m.polls} polls, longest poll {m.longest_poll:.1f}s,"
                f" round overhead up to {m.round_overhead:.1f}s, {m.requests} listings requested"
                + (f", decided {m.lag:.1f}s after the last completion" if m.lag is not None else "")
            )
        yield runs


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gate_verdict_matches_the_truth(gate_runs: dict[int, GateRun], seed: int) -> None:
    run = gate_runs[seed]
    world = make_world(seed)
    assert len(world.copies) == len(GATE_REGIONS) == 20
    if seed % 2 == 0:  # the mixed world holds copies whose model was deleted, is still Creating, or Failed
        assert {"Deleted", "ModelCreating", "ModelFailed"} <= {copy.truth for copy in world.copies}
    assert run.truth_open is (seed % 2 == 1)
    assert run.error is None, run.error
    assert not run.false_open and not run.false_block, f"gate open: {run.gate_open}, truth: {run.truth_open}"
    race = f" (longest poll {run.measured.longest_poll:.1f}s, margin {run.margin}s)"
    assert run.wrong == [], "\n".join(run.wrong) + race


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gate_watches_as_long_as_it_must_and_no_longer(gate_runs: dict[int, GateRun], seed: int) -> None:
    run = gate_runs[seed]
    # The mixed world has copies that never settle, so it is the one that must wait out its timeout.
    assert run.pending_at_timeout is (seed % 2 == 0)
    assert run.timing_problems() == []
    # One task reads and waits, however long; the mixed world waits out its timeout (several rounds of reading),
    # so that task printed progress lines.
    assert run.measured.rounds == 1
    if run.pending_at_timeout:
        assert run.measured.reports >= 1
