"""What every benchmark row needs: the endpoint's control API, a fixed AWS environment, timed subprocesses.

Nothing here measures anything by itself; run.py decides what to run and how to compare it.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
MEASURE = Path(__file__).resolve().parent / "measure.py"

# The control API client lives with the endpoint; bench runs from the repository root.
sys.path.insert(0, str(ROOT / "tests" / "endpoint"))
from bedrock_endpoint.testing import control

ACCOUNT = "123456789012"
REGION = "us-east-1"


class Endpoint:
    """The local endpoint's control API (tests/endpoint/README.md); every call returns the decoded JSON."""

    def __init__(self, url: str) -> None:
        self.url = url.rstrip("/")

    def call(self, method: str, path: str, payload: Any = None) -> Any:
        return control(self.url, method, path, payload, timeout=120)

    def reset(self) -> None:
        self.call("POST", "reset")

    def model(self, region: str, name: str) -> str:
        return self.call("POST", "models", {"region": region, "model_name": name})["model_arn"]

    def generate(self, region: str, count: int, source_model_arn: str, prefix: str, statuses: Sequence[Any]) -> None:
        spec = {
            "count": count,
            "source_model_arn": source_model_arn,
            "target_model_name_prefix": prefix,
            "statuses": list(statuses),
            "tags": {"team": "search", "cost-center": "42"},
        }
        self.call("POST", "seed", {"region": region, "generate": spec})

    def faults(self, rules: list[dict[str, Any]], seed: int = 7) -> None:
        self.call("PUT", "faults", {"seed": seed, "rules": rules})

    def clear_faults(self) -> None:
        self.call("DELETE", "faults")

    def lifecycle(self, **config: Any) -> None:
        self.call("POST", "lifecycle", config)

    def stats(self) -> dict[str, Any]:
        return self.call("GET", "stats")

    def reset_stats(self) -> None:
        self.call("POST", "stats/reset")


def list_calls(stats: dict[str, Any], region: str | None = None) -> int:
    """ListModelCopyJobs requests that reached the endpoint (in one region, or in all)."""
    if region is None:
        return stats["requests"]["ListModelCopyJobs"]
    return sum(1 for e in stats["log"] if e["operation"] == "ListModelCopyJobs" and e["region"] == region)


def restarts(stats: dict[str, Any]) -> int:
    """Listings started again from page 1 after the client had got past page 1.

    A retried request for page 1 (throttled, then sent again) is not a restart; a request for page 1
    after a request for any later page is.
    """
    count, furthest = 0, 0
    for entry in stats["log"]:
        page = entry.get("page") if entry["operation"] == "ListModelCopyJobs" else None
        if page is None:
            continue
        if page == 1 and furthest > 1:
            count += 1
            furthest = 1
        furthest = max(furthest, page)
    return count


@dataclasses.dataclass
class Run:
    """One finished subprocess: wall and CPU seconds (its whole process tree), peak RSS, exit status, output."""

    wall: float
    cpu: float
    max_rss_mb: float
    returncode: int
    stdout: Path
    stderr: str

    def json(self) -> Any:
        with open(self.stdout, "rb") as f:
            return json.load(f)


def run(cmd: Sequence[str], env: dict[str, str], workdir: Path, name: str, cwd: Path | None = None) -> Run:
    """Run ``cmd`` to completion through measure.py, its stdout to a file under ``workdir``.

    Wall and CPU seconds and the peak RSS come from measure.py (see there why it is a separate process);
    CPU includes every descendant the command waited for (Ansible's workers and module processes), the
    peak RSS is that of the largest single process in that tree.
    """
    out = workdir / f"{name}.out"
    err = workdir / f"{name}.err"
    report = workdir / f"{name}.measure.json"
    with open(out, "wb") as stdout, open(err, "wb") as stderr:
        subprocess.run(
            [sys.executable, str(MEASURE), str(report), *cmd],
            stdout=stdout,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
            env=env,
            cwd=cwd,
            check=True,
        )
    measured = json.loads(report.read_text())
    return Run(
        wall=measured["wall"],
        cpu=measured["cpu"],
        max_rss_mb=measured["max_rss_mb"],
        returncode=measured["returncode"],
        stdout=out,
        stderr=err.read_text(errors="replace")[-3000:],
    )


def aws_env(workdir: Path, collections: Path, url: str) -> dict[str, str]:
    """The environment of every subprocess: fake credentials, no AWS config files, every SDK default.

    Settings a developer may have (AWS_RETRY_MODE, AWS_MAX_ATTEMPTS, a profile, ~/.aws/config) would
    change what is compared, so none of them gets through.
    """
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "BOTO"))}
    env.update(
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
        AWS_DEFAULT_REGION=REGION,
        AWS_CONFIG_FILE=str(workdir / "no-aws-config"),
        AWS_SHARED_CREDENTIALS_FILE=str(workdir / "no-aws-credentials"),
        AWS_EC2_METADATA_DISABLED="true",
        BEDROCK_ENDPOINT_URL=url,
        ANSIBLE_COLLECTIONS_PATH=str(collections),
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
        ANSIBLE_LOCAL_TEMP=str(workdir / "ansible-local"),
        ANSIBLE_REMOTE_TMP=str(workdir / "ansible-remote"),
        ANSIBLE_HOME=str(workdir / "ansible-home"),
        ANSIBLE_NOCOLOR="1",
        ANSIBLE_RETRY_FILES_ENABLED="false",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


@contextlib.contextmanager
def collections_snapshot(workdir: Path) -> Iterator[Path]:
    """A private copy of the installed collections (amazon.aws and amazon.bedrock).

    Others may rebuild .work/collections while the benchmarks run; the copy is taken under the same lock
    hacking/build.sh holds, so it is never half-installed and never changes mid-run.
    """
    source = Path(os.environ.get("ANSIBLE_COLLECTIONS_PATH", str(ROOT / ".work" / "collections")).split(":")[0])
    if not (source / "ansible_collections" / "amazon" / "bedrock" / "MANIFEST.json").is_file():
        raise SystemExit(f"amazon.bedrock is not installed under {source}: run `make bench` (it builds it first)")
    target = workdir / "collections"
    lock_path = ROOT / ".work" / ".build.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with open(lock_path, "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        for name in ("aws", "bedrock"):
            shutil.copytree(
                source / "ansible_collections" / "amazon" / name, target / "ansible_collections" / "amazon" / name
            )
    yield target


@contextlib.contextmanager
def scratch() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="bedrock-bench-") as tmp:
        yield Path(tmp)


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def ratio(ours: float, other: float) -> float:
    return ours / other if other else float("inf")


def python() -> str:
    return sys.executable
