# Copyright: Contributors to the amazon.bedrock collection
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""When each task started and when its last host finished, for the gate timing checks of the reliability suite."""

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
  - Writes a list of C({name, start, end}) (wall clock, seconds) to the file named by
    E(RELIABILITY_TIMING_FILE) when the playbook ends.
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
        now = time.time()
        self.tasks.append({"name": task.get_name(), "start": now, "end": now})

    def _finished(self, result, *args, **kwargs):
        if self.tasks:
            self.tasks[-1]["end"] = time.time()

    v2_runner_on_ok = _finished
    v2_runner_on_failed = _finished
    v2_runner_on_skipped = _finished
    v2_runner_on_unreachable = _finished

    def v2_playbook_on_stats(self, stats):
        path = os.environ.get("RELIABILITY_TIMING_FILE")
        if path:
            with open(path, "w", encoding="utf-8") as handle:
                json.dump(self.tasks, handle)
