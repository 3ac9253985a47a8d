"""The CLI contract other scripts rely on: listening line, port file, loopback only, clean signal stop."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import pytest
from bedrock_endpoint.testing import ENDPOINT_DIR, control


def _start(*args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ENDPOINT_DIR)}
    return subprocess.Popen(
        [sys.executable, "-m", "bedrock_endpoint", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_listening_line_port_file_and_clean_stop(tmp_path: Path, signum: int) -> None:
    port_file = tmp_path / "port"
    proc = _start("--port", "0", "--port-file", str(port_file), "--copy-duration", "5", "--provision-duration", "4")
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        match = re.fullmatch(r"bedrock endpoint listening on http://127\.0\.0\.1:(\d+)\n", line)
        assert match, line
        assert port_file.read_text().strip() == match.group(1)
        url = f"http://127.0.0.1:{match.group(1)}"
        assert control(url, "GET", "lifecycle")["duration_seconds"] == 5.0
        assert control(url, "GET", "provisioned-throughputs/lifecycle")["create_seconds"] == 4.0
        proc.send_signal(signum)
        assert proc.wait(timeout=15) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()


def test_refuses_to_bind_anything_but_loopback() -> None:
    proc = _start("--host", "0.0.0.0", "--port", "0")
    _dummy, err = proc.communicate(timeout=60)
    assert proc.returncode == 2
    assert "loopback" in err


def test_deployment_duration_sets_the_deployment_lifecycle_and_negatives_are_refused() -> None:
    for option in ("--copy-duration", "--provision-duration", "--deployment-duration"):
        refused = _start("--port", "0", option, "-1")
        assert refused.communicate(timeout=60)[1].count(f"{option} must be >= 0") == 1 and refused.returncode == 2
    proc = _start("--port", "0", "--deployment-duration", "3")
    try:
        assert proc.stdout is not None
        url = proc.stdout.readline().strip().rsplit(" ", 1)[-1]
        assert control(url, "GET", "custom-model-deployments/lifecycle")["update_seconds"] == 3.0
    finally:
        proc.terminate()
        proc.wait(timeout=15)
