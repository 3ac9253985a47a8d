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
        yield {gate.world.seed: finish_gate(gate) for gate in running}


@pytest.mark.parametrize("seed", SEEDS)
def test_the_gate_verdict_matches_the_truth(gate_runs: dict[int, GateRun], seed: int) -> None:
    run = gate_runs[seed]
    assert len(make_world(seed).copies) == len(GATE_REGIONS) == 20
    assert run.truth_open is (seed % 2 == 1)
    assert run.error is None, run.error
    assert not run.false_open and not run.false_block, f"gate open: {run.gate_open}, truth: {run.truth_open}"
    assert run.wrong == [], "\n".join(run.wrong)
    assert run.watching <= run.bound, f"watched {run.watching:.1f}s, allowed {run.bound:.1f}s"
