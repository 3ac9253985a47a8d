"""Row 7: ``model_copy_info`` over 20 regions against the same task over 1 region, whole ``ansible-playbook``.

One copy per region, nothing to find (the endpoint holds no jobs), so every region costs one client and one
ListModelCopyJobs request. Both playbooks run interleaved in the same run, their order rotating, each through
``bench/measure.py`` in a fresh process (wall time, and the peak RSS of the largest process in the tree: with
one task that is the module's process). The module process on its own (run as Ansible runs it, its arguments
as JSON) is measured the same way, to show the module's share without ``ansible-playbook``'s.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import common
from common import Run, list_calls, median, ratio
from harness import interleaved, met

if TYPE_CHECKING:
    from harness import Bench

# 20 regions the endpoint (moto) serves Bedrock in; the 1-region side uses the first.
REGIONS = (
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
)
SOURCE = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1"
WALL_TARGET = 1.5
RSS_TARGET = 2.0

PLAY = """\
- name: Read one copy in each region
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Read the copies
      amazon.bedrock.model_copy_info:
        endpoint_url: "{{ endpoint }}"
        copies: "{{ copies }}"
"""


def copies(count: int) -> list[dict[str, str]]:
    return [{"source_model_arn": SOURCE, "target_model_name": "bench-copy", "region": r} for r in REGIONS[:count]]


def run(bench: Bench) -> None:
    bench.endpoint.reset()  # no jobs anywhere: every copy is Missing, every region one request
    play = bench.work / "regions.yml"
    play.write_text(PLAY)
    module_path = bench.collections / "ansible_collections/amazon/bedrock/plugins/modules/model_copy_info.py"
    sides: dict[str, Any] = {}
    for count in (1, len(REGIONS)):
        variables = bench.work / f"regions-{count}.json"
        variables.write_text(json.dumps({"copies": copies(count)}))
        module_args = bench.work / f"regions-{count}-args.json"
        args = {"copies": copies(count), "endpoint_url": bench.endpoint.url}
        module_args.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
        sides[f"playbook_{count}"] = (count, lambda v=variables: bench.playbook(play, "-e", f"@{v}", what="regions"))
        sides[f"module_{count}"] = (count, lambda a=module_args: _module(bench, module_path, a))
    names = list(sides)
    reps = bench.sizes["task_reps"]
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    for name in interleaved(names, reps):
        count, action = sides[name]
        result, stats = bench.measured(action)
        samples[name].append(_describe(name, count, result, stats))
    summary = {
        name: {key: median([s[key] for s in runs]) for key in ("wall", "max_rss_mb")} for name, runs in samples.items()
    }
    many = len(REGIONS)
    bench.results["regions"] = {
        "regions": many,
        "reps": reps,
        "samples": samples,
        **summary,
        "wall_ratio": ratio(summary[f"playbook_{many}"]["wall"], summary["playbook_1"]["wall"]),
        "rss_ratio": ratio(summary[f"playbook_{many}"]["max_rss_mb"], summary["playbook_1"]["max_rss_mb"]),
        "module_wall_ratio": ratio(summary[f"module_{many}"]["wall"], summary["module_1"]["wall"]),
        "module_rss_ratio": ratio(summary[f"module_{many}"]["max_rss_mb"], summary["module_1"]["max_rss_mb"]),
    }


def _module(bench: Bench, path: Path, args: Path) -> Run:
    return common.run([sys.executable, str(path), str(args)], bench.module_env, bench.work, f"{args.stem}-module")


def _describe(name: str, count: int, result: Run, stats: dict[str, Any]) -> dict[str, Any]:
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed: {result.stderr[-500:]}")
    calls = list_calls(stats)
    if calls != count:
        raise RuntimeError(f"{name} made {calls} ListModelCopyJobs requests for {count} region(s)")
    if name.startswith("module_"):
        found = result.json()
        missing = [c["status"] for c in found["copies"]]
        if missing != ["Missing"] * count:
            raise RuntimeError(f"{name} found {missing}")
    return {"wall": result.wall, "cpu": result.cpu, "max_rss_mb": result.max_rss_mb, "calls": calls}


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "regions" not in r:
        return []
    g = r["regions"]
    many = g["regions"]
    ours, one = g[f"playbook_{many}"], g["playbook_1"]
    module, module_one = g[f"module_{many}"], g["module_1"]
    reps = f", median of {g['reps']}" if g["reps"] > 1 else ""
    return [
        [
            "7",
            f"`model_copy_info` over {many} regions (one copy each, nothing found), whole `ansible-playbook`, "
            f"wall{reps}",
            f"{ours['wall']:.2f} s; the module process alone {module['wall']:.2f} s "
            f"({g['module_wall_ratio']:.2f} times its 1-region run)",
            f"the same task over 1 region: {one['wall']:.2f} s",
            f"{g['wall_ratio']:.2f}",
            f"≤ {WALL_TARGET}",
            met(g["wall_ratio"] <= WALL_TARGET),
        ],
        [
            "7",
            f"… peak RSS (largest process of the run){reps}",
            f"{ours['max_rss_mb']:.0f} MiB; the module process alone {module['max_rss_mb']:.0f} MiB "
            f"({g['module_rss_ratio']:.2f} times its 1-region run, {module_one['max_rss_mb']:.0f} MiB)",
            f"the same task over 1 region: {one['max_rss_mb']:.0f} MiB",
            f"{g['rss_ratio']:.2f}",
            f"≤ {RSS_TARGET}",
            met(g["rss_ratio"] <= RSS_TARGET),
        ],
    ]
