"""Notes when the model_copy_gate role decides, for the waiting benchmark (bench/run.py, row 5).

Writes ``time.monotonic()`` and the fact's value to the file named by BENCH_GATE_CLOCK each time a task
sets the ``model_copy_gate_open`` fact; the last write is the verdict: when the gate opened or shut. Appends
the ``polls`` of each ``model_copy_info`` round to the file named by BENCH_GATE_POLLS, one line per round.
"""

from __future__ import annotations

import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_gate_clock
type: aggregate
short_description: time the model copy gate's verdict (benchmarks only)
description:
  - Writes time.monotonic() to $BENCH_GATE_CLOCK whenever a task sets model_copy_gate_open.
  - Appends the polls of each model_copy_info round to $BENCH_GATE_POLLS.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_gate_clock"
    CALLBACK_NEEDS_ENABLED = True

    def v2_runner_on_ok(self, result) -> None:
        now = time.monotonic()
        facts = result._result.get("ansible_facts") or {}
        path = os.environ.get("BENCH_GATE_CLOCK")
        if path and "model_copy_gate_open" in facts:
            with open(path, "w") as clock:
                clock.write(f"{now!r} {facts['model_copy_gate_open']}")
        polls = os.environ.get("BENCH_GATE_POLLS")
        if polls and "copies" in result._result and "polls" in result._result:
            with open(polls, "a") as rounds:
                rounds.write(f"{result._result['polls']}\n")
