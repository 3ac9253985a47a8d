"""Row 11: ``model_copy_info`` over 5 accounts x 4 regions against the same task over 1 account x 4 regions.

One copy per (account, region), nothing to find (the endpoint holds no jobs). The 5 accounts are each reached
through a role (``assume_role_arn``, STS the endpoint's through ``AWS_ENDPOINT_URL_STS``); the 1-account side
reads with the task's credentials. Both playbooks run interleaved, each through ``bench/measure.py`` in a fresh
process (wall time, peak RSS of the largest process). The endpoint counts, for the 5-account side, the role
assumptions (one per account, not per copy or poll) and the listings (one per account and region).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from common import Run, median, ratio
from harness import interleaved, met

if TYPE_CHECKING:
    from harness import Bench

REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "ap-northeast-1")
ACCOUNTS = tuple(f"{n:012d}" for n in range(100000000001, 100000000006))
SOURCE = "arn:aws:bedrock:us-east-1::foundation-model/amazon.titan-text-lite-v1"
WALL_TARGET = 1.5
RSS_TARGET = 2.0

PLAY = """\
- name: Read one copy in each account and region
  hosts: localhost
  gather_facts: false
  tasks:
    - name: Read the copies
      amazon.bedrock.model_copy_info:
        endpoint_url: "{{ endpoint }}"
        copies: "{{ copies }}"
"""


def copies(accounts: int) -> list[dict[str, str]]:
    """One copy per region in each account; with 1 account, the task's own (no role)."""
    found = []
    for account in ACCOUNTS[:accounts] if accounts > 1 else (None,):
        for region in REGIONS:
            copy = {"source_model_arn": SOURCE, "target_model_name": "bench-copy", "region": region}
            if account:
                copy["assume_role_arn"] = f"arn:aws:iam::{account}:role/bench-copy-gate"
            found.append(copy)
    return found


def run(bench: Bench) -> None:
    bench.endpoint.reset()
    play = bench.work / "accounts.yml"
    play.write_text(PLAY)
    env = {"AWS_ENDPOINT_URL_STS": bench.endpoint.url}
    sides: dict[str, Any] = {}
    for count in (1, len(ACCOUNTS)):
        variables = bench.work / f"accounts-{count}.json"
        variables.write_text(json.dumps({"copies": copies(count), "endpoint": bench.endpoint.url}))
        sides[f"accounts_{count}"] = (
            count,
            lambda v=variables: bench.playbook(play, "-e", f"@{v}", what="accounts", env=env),
        )
    reps = bench.sizes["task_reps"]
    samples: dict[str, list[dict[str, Any]]] = {name: [] for name in sides}
    for name in interleaved(list(sides), reps):
        count, action = sides[name]
        result, stats = bench.measured(action)
        samples[name].append(_describe(name, count, result, stats))
    summary = {
        name: {key: median([s[key] for s in runs]) for key in ("wall", "max_rss_mb")} for name, runs in samples.items()
    }
    many = len(ACCOUNTS)
    bench.results["accounts"] = {
        "accounts": many,
        "regions": len(REGIONS),
        "reps": reps,
        "samples": samples,
        **summary,
        "assume_roles": samples[f"accounts_{many}"][0]["assume_roles"],
        "wall_ratio": ratio(summary[f"accounts_{many}"]["wall"], summary["accounts_1"]["wall"]),
        "rss_ratio": ratio(summary[f"accounts_{many}"]["max_rss_mb"], summary["accounts_1"]["max_rss_mb"]),
    }


def _describe(name: str, count: int, result: Run, stats: dict[str, Any]) -> dict[str, Any]:
    if result.returncode != 0:
        raise RuntimeError(f"{name} failed: {result.stderr[-500:]}")
    by_account = stats.get("by_account", {})
    listings = {account: ops.get("ListModelCopyJobs", 0) for account, ops in by_account.items()}
    assume_roles = stats["requests"].get("AssumeRole", 0)
    if count > 1:
        expected = dict.fromkeys(ACCOUNTS[:count], len(REGIONS))
        if {a: n for a, n in listings.items() if n} != expected:
            raise RuntimeError(f"{name}: listings by account {listings}, expected {expected}")
        if assume_roles != count:
            raise RuntimeError(f"{name}: {assume_roles} role assumptions for {count} accounts")
    elif stats["requests"]["ListModelCopyJobs"] != len(REGIONS):
        raise RuntimeError(f"{name}: {stats['requests']['ListModelCopyJobs']} listings for {len(REGIONS)} regions")
    return {
        "wall": result.wall,
        "cpu": result.cpu,
        "max_rss_mb": result.max_rss_mb,
        "listings": listings,
        "assume_roles": assume_roles,
    }


def table_rows(r: dict[str, Any]) -> list[list[str]]:
    if "accounts" not in r:
        return []
    g = r["accounts"]
    many, regions = g["accounts"], g["regions"]
    ours, one = g[f"accounts_{many}"], g["accounts_1"]
    reps = f", median of {g['reps']}" if g["reps"] > 1 else ""
    return [
        [
            "12",
            f"`model_copy_info` over {many} accounts (a role each) x {regions} regions, whole `ansible-playbook`, "
            f"wall{reps}",
            f"{ours['wall']:.2f} s; {g['assume_roles']} role assumptions, one listing per account and region",
            f"the same task over 1 account x {regions} regions: {one['wall']:.2f} s",
            f"{g['wall_ratio']:.2f}",
            f"≤ {WALL_TARGET}",
            met(g["wall_ratio"] <= WALL_TARGET and g["assume_roles"] == many),
        ],
        [
            "12",
            f"… peak RSS (largest process of the run){reps}",
            f"{ours['max_rss_mb']:.0f} MiB",
            f"the same task over 1 account: {one['max_rss_mb']:.0f} MiB",
            f"{g['rss_ratio']:.2f}",
            f"≤ {RSS_TARGET}",
            met(g["rss_ratio"] <= RSS_TARGET),
        ],
    ]
