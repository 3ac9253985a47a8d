"""Row 4: ``ansible-playbook`` with one ``model_copy_job_info`` task against the AWS CLI over the same jobs, and
where the playbook's time goes (the module process alone, ansible-playbook alone, the floor)."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import common
from common import REGION, Run, list_calls, ratio
from harness import check, describe, fmt_ratio, interleaved, met, pct, sampled

if TYPE_CHECKING:
    from harness import Bench

PLAY_LIST = """\
- name: One model_copy_job_info task over every job
  hosts: localhost
  gather_facts: false
  tasks:
    - name: List every copy job
      amazon.bedrock.model_copy_job_info:
        region: us-east-1
        endpoint_url: "{{ endpoint }}"
"""

PLAY_FLOOR = """\
- name: A module that returns the saved result of model_copy_job_info, without any AWS work
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Print the saved result
      replay_result:
        path: {path}
"""

PLAY_NOOP = """\
- name: One task that does nothing (ansible-playbook's own cost)
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Nothing
      ansible.builtin.meta: noop
"""


def run(bench: Bench) -> None:
    n = bench.sizes["big"]
    bench.seed(n)
    task = bench.work / "list.yml"
    task.write_text(PLAY_LIST)
    noop = bench.work / "noop.yml"
    noop.write_text(PLAY_NOOP)
    # The module's result, saved once, for a module that only prints it (bench/library/replay_result.py).
    saved = bench.module({"region": REGION}, what="saved-result")
    check(saved.returncode == 0, f"module failed: {saved.stderr}")
    floor = bench.work / "floor.yml"
    floor.write_text(PLAY_FLOOR.format(path=saved.stdout))
    library = {"ANSIBLE_LIBRARY": str(common.ROOT / "bench" / "library")}
    sides: dict[str, Callable[[], Run]] = {
        "playbook": lambda: bench.playbook(task),
        "cli": bench.cli,
        # Where the playbook's time goes: the module process by itself, ansible-playbook by itself, and
        # ansible-playbook running a module that returns the same result without any AWS work (the floor).
        "module": lambda: bench.module({"region": REGION}),
        "noop_playbook": lambda: bench.playbook(noop, what="noop-playbook"),
        "floor_playbook": lambda: bench.playbook(floor, what="floor-playbook", env=library),
    }
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
    names = list(sides)
    for name in interleaved(names, bench.sizes["task_reps"]):
        result, stats = bench.measured(sides[name])
        check(result.returncode == 0, f"{name} failed: {result.stderr}")
        if name == "cli":
            found = len(result.json()["modelCopyJobSummaries"])
            check(found == n, f"the AWS CLI returned {found} of {n} jobs")
        if name in ("playbook", "module"):
            check(list_calls(stats) == math.ceil(n / 1000), f"the {name} made {list_calls(stats)} calls")
        samples[name].append(describe(result, stats))
    bench.results["whole_task"] = sampled(n, bench.sizes["task_reps"], samples)


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "whole_task" not in r:
        return []
    w = r["whole_task"]
    pb, cli, noop = w["playbook"], w["cli"], w["noop_playbook"]
    wall = ratio(pb["wall"], cli["wall"])
    return [
        [
            "4",
            f"Whole task: `ansible-playbook`, one `model_copy_job_info` task over {w['jobs']:,} jobs, wall, "
            f"median of {w['reps']}",
            f"CPU ratio {fmt_ratio(ratio(pb['cpu'], cli['cpu']))}; "
            f"endpoint {pct(pb['server_seconds'], pb['wall'])} of wall",
            f"`aws bedrock list-model-copy-jobs`; endpoint {pct(cli['server_seconds'], cli['wall'])} of wall",
            fmt_ratio(wall),
            "< 1.0",
            met(wall < 1.0),
        ],
        [
            "4",
            "… where the time goes: the module process alone / `ansible-playbook` with one no-op task / "
            "`ansible-playbook` with a module that only prints the same result (the floor)",
            f"{fmt_ratio(ratio(w['module']['wall'], cli['wall']))} / {fmt_ratio(ratio(noop['wall'], cli['wall']))}"
            f" / {fmt_ratio(ratio(w['floor_playbook']['wall'], cli['wall']))}",
            "`aws bedrock list-model-copy-jobs`",
            "",
            "(for comparison)",
            "",
        ],
    ]
