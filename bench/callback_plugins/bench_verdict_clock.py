"""When the model_copy_gate role's read started and when it decided, for the verdict-delay benchmark (row 8).

Writes a JSON object to the file named by BENCH_VERDICT_CLOCK when the playbook ends: ``read_started``, the
``time.monotonic()`` at which the task ``Read the copies and wait for them to settle`` started; ``decided``, when
a task set the ``model_copy_gate_open`` fact (the last such task), and ``open``, that fact's value.
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: bench_verdict_clock
type: aggregate
short_description: time the model copy gate's read and verdict (benchmarks only)
description:
  - Writes the start of the gate's read task and the moment its verdict fact is set to $BENCH_VERDICT_CLOCK.
"""

READ = "Read the copies and wait for them to settle"


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "bench_verdict_clock"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.clock = {}

    def v2_playbook_on_task_start(self, task, is_conditional):
        if task.get_name().endswith(READ):
            self.clock["read_started"] = time.monotonic()

    def v2_runner_on_ok(self, result):
        now = time.monotonic()
        facts = result._result.get("ansible_facts") or {}
        if "model_copy_gate_open" in facts:
            self.clock.update(decided=now, open=bool(facts["model_copy_gate_open"]))

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("BENCH_VERDICT_CLOCK")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.clock, handle)
