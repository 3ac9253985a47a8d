# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When each task started and ended, how it ended, and how long a waiting module says it waited.

For the gate timing checks of the reliability suite (tests/reliability/gate_sim.py).
"""

from __future__ import annotations

import json
import os
import time

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = """
name: reliability_timing
type: aggregate
short_description: Write task start and end times to a JSON file
description:
  - Test helper of the amazon.bedrock reliability suite; enabled only by that suite.
  - Writes a list of C({name, start, end, status}) to the file named by E(RELIABILITY_TIMING_FILE) when the
    playbook ends, plus C(elapsed) and C(polls) for a task whose result has them (a module that waited).
  - Times are C(time.monotonic()) seconds, the clock the local test endpoint logs requests with (on Linux the
    same clock in every process). C(status) is how the task's last result ended (ok, failed, skipped,
    unreachable).
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "reliability_timing"
    CALLBACK_NEEDS_ENABLED = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.tasks = []

    def v2_playbook_on_task_start(self, task, is_conditional):
        now = time.monotonic()
        self.tasks.append({"name": task.get_name(), "start": now, "end": now, "status": None})

    def _finished(self, status, result):
        if not self.tasks:
            return
        task = self.tasks[-1]
        task["end"] = time.monotonic()
        task["status"] = status
        returned = getattr(result, "_result", None) or {}
        for key in ("elapsed", "polls"):
            if isinstance(returned.get(key), (int, float)):
                task[key] = returned[key]

    def v2_runner_on_ok(self, result, *args, **kwargs):
        self._finished("ok", result)

    def v2_runner_on_failed(self, result, *args, **kwargs):
        self._finished("failed", result)

    def v2_runner_on_skipped(self, result, *args, **kwargs):
        self._finished("skipped", result)

    def v2_runner_on_unreachable(self, result, *args, **kwargs):
        self._finished("unreachable", result)

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("RELIABILITY_TIMING_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.tasks, handle)
