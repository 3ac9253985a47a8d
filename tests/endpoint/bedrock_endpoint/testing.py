"""Helpers for pytest and benchmarks: run the endpoint in a subprocess and talk to its control API.

A subprocess rather than an in-process thread: the endpoint patches moto's Bedrock classes, and tests or
benchmarks that also use moto in-process must not see those patches or share its state.
"""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

ENDPOINT_DIR = Path(__file__).resolve().parent.parent  # tests/endpoint: what PYTHONPATH must hold


@contextlib.contextmanager
def running_endpoint(
    copy_duration: float | None = None,
    extra_args: Sequence[str] = (),
    startup_timeout: float = 60.0,
) -> Iterator[str]:
    """Start the endpoint on a free loopback port, yield its base URL, stop it (SIGTERM, then SIGKILL)."""
    with tempfile.TemporaryDirectory(prefix="bedrock-endpoint-") as tmp:
        port_file = Path(tmp) / "port"
        log_path = Path(tmp) / "endpoint.log"
        cmd = [sys.executable, "-m", "bedrock_endpoint", "--host", "127.0.0.1", "--port", "0"]
        cmd += ["--port-file", str(port_file)]
        if copy_duration is not None:
            cmd += ["--copy-duration", str(copy_duration)]
        cmd += list(extra_args)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ENDPOINT_DIR), env.get("PYTHONPATH")) if p)
        with open(log_path, "wb") as log:
            proc = subprocess.Popen(cmd, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env)
        try:
            port = _wait_for_port(proc, port_file, log_path, startup_timeout)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def _wait_for_port(proc: subprocess.Popen[bytes], port_file: Path, log_path: Path, timeout: float) -> int:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = port_file.read_text().strip() if port_file.exists() else ""
        if text.isdigit():
            return int(text)
        if proc.poll() is not None:
            raise RuntimeError(f"bedrock endpoint exited with {proc.returncode}:\n{log_path.read_text()[-4000:]}")
        time.sleep(0.05)
    raise RuntimeError(f"bedrock endpoint did not start within {timeout}s:\n{log_path.read_text()[-4000:]}")


class ControlAPIError(RuntimeError):
    def __init__(self, status: int, payload: Any) -> None:
        super().__init__(f"HTTP {status}: {payload}")
        self.status = status
        self.payload = payload


def control(base_url: str, method: str, path: str, payload: Any = None, timeout: float = 60.0) -> Any:
    """Call ``/moto-api/bedrock/<path>``; returns the decoded JSON, raises ControlAPIError on HTTP errors."""
    data = None if payload is None else json.dumps(payload).encode()
    request = urllib.request.Request(
        f"{base_url}/moto-api/bedrock/{path.lstrip('/')}",
        data=data,
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return json.load(response)
    except urllib.error.HTTPError as exc:
        body = exc.read()
        try:
            detail = json.loads(body)
        except ValueError:
            detail = body.decode(errors="replace")
        raise ControlAPIError(exc.code, detail) from None
