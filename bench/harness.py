"""The harness every benchmark row runs on: a ``Bench`` (the endpoint, a scratch directory, the installed
collections, the sizes of this run) with the sides rows compare, and the table every row's figures go into.

A row is a module with ``run(bench)``, which stores its figures in ``bench.results``, and ``table_rows(results)``,
which turns them into table rows; run.py lists the rows. Nothing here measures anything by itself.
"""

from __future__ import annotations

import json
import platform
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import common
from common import REGION, Endpoint, Run, list_calls, median

BIN = Path(sys.executable).parent
FULL = {
    "sizes": [1_000, 10_000, 50_000],
    "big": 10_000,
    "huge": 50_000,
    "in_process_reps": 5,
    "task_reps": 3,
    "wait_reps": 3,
}
QUICK = {"sizes": [1_000, 3_000], "big": 3_000, "huge": 3_000, "in_process_reps": 2, "task_reps": 1, "wait_reps": 1}
HEADER = ["#", "measurement", "amazon.bedrock", "compared with", "ratio", "target", "result"]


class Bench:
    def __init__(self, endpoint: Endpoint, work: Path, collections: Path, sizes: dict[str, Any]) -> None:
        self.endpoint = endpoint
        self.work = work
        self.collections = collections
        self.sizes = sizes
        self.env = common.aws_env(work, collections, endpoint.url)
        self.module_env = dict(self.env, PYTHONPATH=str(collections))
        self.module_path = collections / "ansible_collections/amazon/bedrock/plugins/modules/model_copy_job_info.py"
        self.results: dict[str, Any] = {}
        self.counter = 0
        sys.path.insert(0, str(collections))

    def seed(self, count: int) -> str:
        """An endpoint holding ``count`` jobs in REGION (pinned statuses: nothing changes while listing)."""
        self.endpoint.reset()
        source = self.endpoint.model(REGION, "support-bot")
        self.endpoint.generate(REGION, count, source, "copy-", ["Completed", "Completed", "Failed", "InProgress"])
        return source

    def name(self, what: str) -> str:
        self.counter += 1
        return f"{self.counter:03d}-{what}"

    def module(self, args: dict[str, Any], what: str = "module") -> Run:
        """The module file run directly with its arguments as JSON, as Ansible's AnsiballZ wrapper runs it."""
        path = self.work / f"{self.name(what)}-args.json"
        path.write_text(json.dumps({"ANSIBLE_MODULE_ARGS": dict(args, endpoint_url=self.endpoint.url)}))
        return common.run([sys.executable, str(self.module_path), str(path)], self.module_env, self.work, path.stem)

    def cli(self, what: str = "cli") -> Run:
        cmd = [str(BIN / "aws"), "bedrock", "list-model-copy-jobs", "--endpoint-url", self.endpoint.url]
        return common.run([*cmd, "--region", REGION], self.env, self.work, self.name(what))

    def bare_script(self) -> Run:
        script = common.ROOT / "bench" / "bare_boto3.py"
        return common.run(
            [sys.executable, str(script), self.endpoint.url, REGION], self.env, self.work, self.name("bare")
        )

    def playbook(self, path: Path, *extra: str, what: str = "playbook", env: dict[str, str] | None = None) -> Run:
        return common.run(
            self.playbook_command(path, *extra),
            dict(self.env, **(env or {})),
            self.work,
            self.name(what),
            cwd=self.work,
        )

    def playbook_command(self, path: Path, *extra: str) -> list[str]:
        """ansible-playbook on localhost with this Python and the endpoint as ``endpoint``."""
        python, endpoint = f"ansible_python_interpreter={sys.executable}", f"endpoint={self.endpoint.url}"
        return [
            str(BIN / "ansible-playbook"),
            "-i",
            "localhost,",
            "-c",
            "local",
            str(path),
            "-e",
            python,
            "-e",
            endpoint,
            *extra,
        ]

    def measured(self, action: Callable[[], Any]) -> tuple[Any, dict[str, Any]]:
        """Run ``action`` with fresh endpoint statistics; returns its value and what the endpoint saw."""
        self.endpoint.reset_stats()
        value = action()
        return value, self.endpoint.stats()


class Failed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise Failed(message)


def describe(run: Run, stats: dict[str, Any]) -> dict[str, Any]:
    return {
        "wall": run.wall,
        "cpu": run.cpu,
        "max_rss_mb": run.max_rss_mb,
        "returncode": run.returncode,
        "calls": list_calls(stats),
        "server_seconds": stats["server_seconds"],
    }


def medians(samples: list[dict[str, Any]]) -> dict[str, float]:
    return {key: median([s[key] for s in samples]) for key in ("wall", "cpu", "server_seconds")}


def interleaved(names: list[str], reps: int) -> Iterator[str]:
    """The sides of a comparison, ``reps`` times, each repetition starting one side later: no side always runs
    first (cold caches) or right after the same other side."""
    for rep in range(reps):
        yield from names[rep % len(names) :] + names[: rep % len(names)]


def sampled(jobs: int, reps: int, samples: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """A row's figures: every sample, and each side's medians."""
    return {"jobs": jobs, "reps": reps, "samples": samples, **{name: medians(s) for name, s in samples.items()}}


def versions(collections: Path) -> dict[str, str]:
    """The Python packages and collections of this run, for the results' header."""
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for dist in ("ansible-core", "boto3", "botocore", "awscli", "moto"):
        try:
            found[dist] = version(dist)
        except Exception:
            found[dist] = "not installed"
    try:
        out = subprocess.run([str(BIN / "aws"), "--version"], capture_output=True, text=True, check=False).stdout
        found["awscli botocore (vendored)"] = out.split("botocore/")[1].split()[0]
    except Exception:
        pass
    for name in ("aws", "bedrock"):
        manifest = collections / "ansible_collections" / "amazon" / name / "MANIFEST.json"
        found[f"amazon.{name}"] = json.loads(manifest.read_text())["collection_info"]["version"]
    return found


# the table ---------------------------------------------------------------------------------------------


def fmt_ratio(value: float) -> str:
    return f"{value:.2f}"


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.0f} %" if whole else "n/a"


def met(ok: bool) -> str:
    """The result column: a missed target stands out."""
    return "met" if ok else "**missed**"


def error_rows(results: dict[str, Any]) -> list[list[str]]:
    """A row for each measurement that crashed, after the rows of those that ran."""
    return [
        ["!", f"{name}: crashed", error.splitlines()[-1][:200] if error else "", "", "", "", "**error**"]
        for name, error in results.get("errors", {}).items()
    ]


def markdown(rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    lines += ["| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |" for row in rows]
    return "\n".join(lines)


def rst(rows: list[list[str]]) -> str:
    out = [".. list-table::", "   :header-rows: 1", ""]
    for row in [HEADER, *rows]:
        for i, cell in enumerate(row):
            text = cell.replace("`", "``") or " "
            out.append(f"   {'* -' if i == 0 else '  -'} {text}")
    return "\n".join(out)
