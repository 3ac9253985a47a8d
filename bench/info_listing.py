"""What rows 9 and 11 share: API calls to list N resources of one kind with its info module, against the AWS CLI.

A row is an ``InfoListing`` declaration (provisioned.py, deployments.py). For each size N the endpoint is reset and
seeded with N resources in REGION through its control call, on one custom model, with pinned statuses (nothing
changes while listing). The info module runs as a process with its arguments as JSON (as Ansible runs it); the AWS
CLI's list command (default settings) lists the same resources. The endpoint counts the List requests
(``stats.requests``) and the pages they asked for (``stats.<pages_stat>``). Both sides must return all N; the
module must make ceil(N / 1000) calls, each page read once.
"""

from __future__ import annotations

import dataclasses
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

PAGE = 1000  # what Bedrock's List operations return at most per request (the modules ask for as many)
STATUSES = {  # pinned, in turn, on the seeded resources
    "provisioned-throughputs": ["InService", "InService", "Failed", "Creating"],
    "custom-model-deployments": ["Active", "Active", "Failed", "Creating"],
}


@dataclasses.dataclass(frozen=True)
class InfoListing:
    number: str  # the row's number in the table
    key: str  # its results key
    noun: str  # what is listed, plural ("provisioned throughputs")
    module: str  # the info module's name
    result_key: str  # the module's list of facts
    operation: str  # the List operation the endpoint counts
    pages_stat: str  # the endpoint's per-page counter of that operation
    seed_path: str  # the endpoint's seed control call, under moto-api/bedrock/ (also the key of STATUSES)
    seed_model_field: str  # the field of its ``generate`` that names the model
    cli_command: str  # aws bedrock ...
    cli_items: str  # where the CLI's answer keeps them

    @property
    def module_path(self) -> str:
        return f"ansible_collections/amazon/bedrock/plugins/modules/{self.module}.py"


def _seed(bench: Bench, listing: InfoListing, count: int) -> None:
    bench.endpoint.reset()
    model = bench.endpoint.model(REGION, "support-bot")
    spec = {"count": count, listing.seed_model_field: model, "statuses": STATUSES[listing.seed_path]}
    bench.endpoint.call("POST", f"{listing.seed_path}/seed", {"region": REGION, "generate": spec})


def _module(bench: Bench, listing: InfoListing) -> common.Run:
    path = bench.work / f"{bench.name(listing.key + '-info')}-args.json"
    args = {"region": REGION, "endpoint_url": bench.endpoint.url}
    path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": args}))
    cmd = [sys.executable, str(bench.collections / listing.module_path), str(path)]
    return common.run(cmd, bench.module_env, bench.work, path.stem)


def _cli(bench: Bench, listing: InfoListing) -> common.Run:
    cmd = [str(Path(sys.executable).parent / "aws"), "bedrock", listing.cli_command]
    cmd += ["--endpoint-url", bench.endpoint.url, "--region", REGION]
    return common.run(cmd, bench.env, bench.work, bench.name(listing.key + "-cli"))


def _calls(listing: InfoListing, stats: dict[str, Any]) -> int:
    return int(stats["requests"].get(listing.operation, 0))


def run(bench: Bench, listing: InfoListing) -> None:
    rows = []
    for n in bench.sizes["sizes"]:
        _seed(bench, listing, n)
        module, stats = bench.measured(lambda: _module(bench, listing))
        if module.returncode != 0:
            raise RuntimeError(f"{listing.module} failed: {module.stderr[-500:]}")
        found = len(module.json()[listing.result_key])
        if found != n:
            raise RuntimeError(f"{listing.module} returned {found} of {n}")
        row: dict[str, Any] = {"count": n, "expected_calls": math.ceil(n / PAGE), "calls": _calls(listing, stats)}
        row.update(pages=stats.get(listing.pages_stat, {}), wall=module.wall, server_seconds=stats["server_seconds"])
        cli, stats = bench.measured(lambda: _cli(bench, listing))
        row["cli"] = {"returncode": cli.returncode, "calls": _calls(listing, stats), "wall": cli.wall}
        if cli.returncode == 0:
            row["cli"]["count"] = len(cli.json()[listing.cli_items])
        rows.append(row)
    bench.results[listing.key] = rows


def table_rows(results: dict[str, Any], listing: InfoListing) -> list[list[str]]:
    rows = []
    for row in results.get(listing.key, []):
        n, want, ours, cli = row["count"], row["expected_calls"], row["calls"], row["cli"]
        other = f"AWS CLI {cli['calls']}" if cli["returncode"] == 0 else f"AWS CLI failed ({cli['calls']} calls)"
        # Rows from before pages were counted have none: only the number of calls is checked then.
        pages = row.get("pages")
        once = pages is None or sorted(pages.items()) == sorted((str(p), 1) for p in range(1, want + 1))
        rows.append(
            [
                listing.number,
                f"API calls to list {n:,} {listing.noun} (`{listing.module}`), no faults",
                str(ours) if once else f"{ours} (pages read: {pages})",
                other,
                f"{common.ratio(ours, cli['calls']):.2f}",
                f"= ceil(N / {PAGE}) = {want}",
                met(ours == want and once),
            ]
        )
    return rows
