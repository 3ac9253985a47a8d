"""Row 9: API calls to list N Provisioned Throughputs with provisioned_model_throughput_info.

The module runs as a process with its arguments as JSON (as Ansible runs it), against an endpoint seeded with
N throughputs; the endpoint counts ``ListProvisionedModelThroughputs`` requests. The AWS CLI's
``list-provisioned-model-throughputs`` (default settings) lists the same throughputs for comparison.
Both must return all N; the module must make ceil(N / 1000) calls.
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import common
from common import REGION
from harness import met

if TYPE_CHECKING:
    from harness import Bench

OPERATION = "ListProvisionedModelThroughputs"
MODULE = "ansible_collections/amazon/bedrock/plugins/modules/provisioned_model_throughput_info.py"


def _seed(bench: Bench, count: int) -> None:
    bench.endpoint.reset()
    model = bench.endpoint.model(REGION, "support-bot")
    spec = {"count": count, "model_id": model, "statuses": ["InService", "InService", "Failed", "Creating"]}
    bench.endpoint.call("POST", "provisioned-throughputs/seed", {"region": REGION, "generate": spec})


def _module(bench: Bench) -> common.Run:
    path = bench.work / f"{bench.name('provisioned-info')}-args.json"
    args = {"region": REGION, "endpoint_url": bench.endpoint.url}
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    cmd = [sys.executable, str(bench.collections / MODULE), str(path)]
    return common.run(cmd, bench.module_env, bench.work, path.stem)


def _cli(bench: Bench) -> common.Run:
    cmd = [str(Path(sys.executable).parent / "aws"), "bedrock", "list-provisioned-model-throughputs"]
    cmd += ["--endpoint-url", bench.endpoint.url, "--region", REGION]
    return common.run(cmd, bench.env, bench.work, bench.name("provisioned-cli"))


def _calls(stats: dict[str, Any]) -> int:
    return int(stats["requests"].get(OPERATION, 0))


def run(bench: Bench) -> None:
    rows = []
    for n in bench.sizes["sizes"]:
        _seed(bench, n)
        module, stats = bench.measured(lambda: _module(bench))
        if module.returncode != 0:
            raise RuntimeError(f"provisioned_model_throughput_info failed: {module.stderr[-500:]}")
        found = len(module.json()["provisioned_model_throughputs"])
        if found != n:
            raise RuntimeError(f"provisioned_model_throughput_info returned {found} of {n}")
        row: dict[str, Any] = {"count": n, "expected_calls": math.ceil(n / 1000), "calls": _calls(stats)}
        row.update(wall=module.wall, server_seconds=stats["server_seconds"])
        cli, stats = bench.measured(lambda: _cli(bench))
        row["cli"] = {"returncode": cli.returncode, "calls": _calls(stats), "wall": cli.wall}
        if cli.returncode == 0:
            row["cli"]["count"] = len(cli.json()["provisionedModelSummaries"])
        rows.append(row)
    bench.results["provisioned"] = rows


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    rows = []
    for row in results.get("provisioned", []):
        n, want, ours, cli = row["count"], row["expected_calls"], row["calls"], row["cli"]
        other = f"AWS CLI {cli['calls']}" if cli["returncode"] == 0 else f"AWS CLI failed ({cli['calls']} calls)"
        rows.append(
            [
                "9",
                f"API calls to list {n:,} provisioned throughputs (`provisioned_model_throughput_info`), no faults",
                str(ours),
                other,
                f"{common.ratio(ours, cli['calls']):.2f}",
                f"= ceil(N / 1000) = {want}",
                met(ours == want),
            ]
        )
    return rows
