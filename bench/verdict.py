"""Row 8: how soon the model_copy_gate role decides, after its timeout and after the last copy completed.

The role runs for real (``ansible-playbook``, one copy, poll 2 s, report 10 s). Two cases, run in turn:

- **timeout**: the copy is pinned InProgress; the gate must shut. The delay is from the deadline (the start of
  the role's read task plus ``model_copy_gate_timeout``) to the moment the role sets ``model_copy_gate_open``.
- **completion**: the copy is stored while the gate waits and completes ``COPY_SECONDS`` later (the endpoint's
  lifecycle); the gate must open. The delay is from that completion to the verdict. Where the completion falls
  between two polls decides most of it, so repetitions spread it over the poll interval.

The verdict after the timeout must come within one poll interval of the deadline (the last round's wait is
planned to end there). After a completion, the first poll that follows must decide (one poll started after it),
so the delay is at most one poll interval, plus that poll's own time and the tasks up to the verdict (FINISH).
The endpoint's request log says when each poll happened, on the same monotonic clock, so the row also
says how many polls started after the completion (the promise: one) and how late the last poll came after the deadline.
"""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import common
from common import REGION, median
from harness import met

if TYPE_CHECKING:
    from harness import Bench

POLL = 2
REPORT = 10
TIMEOUT = 20
COPY_SECONDS = 8.0
TARGET = "bench-verdict"
# After the poll that sees the completion: that poll's own time, the read task's end and the task that sets the
# gate's facts (a few tenths of a second each on an idle machine).
FINISH = 1.0

PLAY = """\
- name: Gate on one copy
  hosts: localhost
  gather_facts: false
  module_defaults:
    group/amazon.bedrock.aws:
      endpoint_url: "{{ endpoint }}"
  tasks:
    - name: Wait for the copy
      ansible.builtin.include_role:
        name: amazon.bedrock.model_copy_gate
      vars:
        model_copy_gate_copies:
          - {region: "%(region)s", source_model_arn: "{{ source }}", target_model_name: %(target)s}
        model_copy_gate_timeout: %(timeout)d
        model_copy_gate_poll_interval: %(poll)d
        model_copy_gate_report_interval: %(report)d
        model_copy_gate_fail: false
"""


def run(bench: Bench) -> None:
    reps = bench.sizes["wait_reps"]
    play = bench.work / "verdict.yml"
    play.write_text(PLAY % dict(region=REGION, target=TARGET, timeout=TIMEOUT, poll=POLL, report=REPORT))
    timeouts = [_case(bench, play, "timeout", 0.0) for _rep in range(reps)]
    completions = [_case(bench, play, "completion", rep / reps) for rep in range(reps)]
    bench.results["verdict"] = {
        "poll": POLL,
        "report": REPORT,
        "timeout": TIMEOUT,
        "reps": reps,
        "timeout_runs": timeouts,
        "completion_runs": completions,
        "timeout_delay": median([r["delay"] for r in timeouts]),
        "worst_timeout_delay": max(r["delay"] for r in timeouts),
        "completion_delay": median([r["delay"] for r in completions]),
        "worst_completion_delay": max(r["delay"] for r in completions),
        "max_polls_after_completion": max(r["polls_after"] for r in completions),
    }


def _case(bench: Bench, play: Path, case: str, phase: float) -> dict[str, Any]:
    bench.endpoint.reset()
    bench.endpoint.lifecycle(duration_seconds=COPY_SECONDS)
    source = bench.endpoint.model("us-east-1", "verdict-source")
    job = {"source_model_arn": source, "target_model_name": TARGET}
    if case == "timeout":
        bench.endpoint.call("POST", "seed", {"region": REGION, "jobs": [dict(job, status="InProgress")]})
    bench.endpoint.reset_stats()
    clock = bench.work / f"{bench.name('verdict-' + case)}.json"
    env = {
        "BENCH_VERDICT_CLOCK": str(clock),
        "ANSIBLE_CALLBACK_PLUGINS": str(common.ROOT / "bench" / "callback_plugins"),
        "ANSIBLE_CALLBACKS_ENABLED": "bench_verdict_clock",
    }
    output = clock.with_suffix(".out")
    cmd = bench.playbook_command(play, "-e", f"source={source}")
    completed_at = None
    with open(output, "wb") as out:
        proc = subprocess.Popen(cmd, stdout=out, stderr=subprocess.STDOUT, env=dict(bench.env, **env), cwd=bench.work)
        if case == "completion":
            _wait_for_a_poll(bench, proc)
            time.sleep(phase * POLL)
            stored = time.monotonic()
            bench.endpoint.call("POST", "seed", {"region": REGION, "jobs": [job]})
            completed_at = stored + COPY_SECONDS  # the job was stored no earlier than this, so it ends no earlier
        proc.wait(timeout=300)
    if proc.returncode != 0:
        raise RuntimeError(f"the {case} gate failed: {output.read_text()[-2000:]}")
    times = json.loads(clock.read_text())
    polls = sorted(e["time"] for e in bench.endpoint.stats()["log"] if e["operation"] == "ListModelCopyJobs")
    if case == "timeout":
        if times["open"]:
            raise RuntimeError("the gate opened on a copy that never completed")
        deadline = times["read_started"] + TIMEOUT
        return {
            "delay": round(times["decided"] - deadline, 2),
            "last_poll_after_deadline": round(polls[-1] - deadline, 2),
            "polls": len(polls),
        }
    if not times["open"]:
        raise RuntimeError("the gate stayed shut on a copy that completed")
    assert completed_at is not None
    return {
        "delay": round(times["decided"] - completed_at, 2),
        "polls_after": sum(t > completed_at for t in polls),
        "phase": phase,
        "polls": len(polls),
    }


def _wait_for_a_poll(bench: Bench, proc: subprocess.Popen[bytes]) -> None:
    """Until the gate has polled once (and seen no job yet)."""
    deadline = time.monotonic() + 120
    while not any(e["operation"] == "ListModelCopyJobs" for e in bench.endpoint.stats()["log"]):
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError("the gate did not start polling")
        time.sleep(0.1)


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "verdict" not in r:
        return []
    v = r["verdict"]
    reps = f", median of {v['reps']} (worst {{worst}} s)" if v["reps"] > 1 else ""
    last = max(run["last_poll_after_deadline"] for run in v["timeout_runs"])
    return [
        [
            "8",
            f"`model_copy_gate` verdict after its {v['timeout']} s timeout (copy pinned InProgress; poll {v['poll']} s,"
            f" report {v['report']} s){reps.format(worst=v['worst_timeout_delay'])}",
            f"{v['timeout_delay']:.2f} s after the deadline; last poll {last:.2f} s after it",
            "one poll interval",
            "",
            f"≤ {v['poll']} s",
            met(v["worst_timeout_delay"] <= v["poll"]),
        ],
        [
            "8",
            "… verdict after the copy completed (stored while the gate waits)"
            + reps.format(worst=v["worst_completion_delay"]),
            f"{v['completion_delay']:.2f} s after the completion; at most {v['max_polls_after_completion']} poll(s) "
            "started after it",
            "one poll interval",
            "",
            f"1 poll; ≤ {v['poll']} s + {FINISH} s",
            met(v["worst_completion_delay"] <= v["poll"] + FINISH and v["max_polls_after_completion"] <= 1),
        ],
    ]
