"""Part of the reliability suite: a gate's wait survives an endpoint that goes away for a while and comes back.

Each case is a whole ``ansible-playbook`` run of one ``model_copy_info`` task with ``wait: true``, talking to a
private endpoint through a TCP forwarder on a fixed loopback port. Once the endpoint has answered the wait's first
poll, the forwarder stops listening (and cuts the connections it carries): each connection attempt is refused,
as when the endpoint's host restarts. The copy is InProgress for the first read and Completed for every read
after it. In the first case it listens again a few seconds later: the task must succeed with the copy
``Completed`` as read by a poll after the outage, count the polls that could not connect, and say so in a
progress line. In the second it never comes back: the task must fail at its wait_timeout with one line naming
the URL and since when, and the copy as the last good poll read it (``InProgress``, although the endpoint would
answer Completed now). The output holds no traceback and no credential.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from harness import (
    FAKE,
    Endpoint,
    Playbook,
    PlaybookRun,
    cases_inventory,
    leaks,
    module_defaults,
    running_endpoint,
    workdir,
)

COPY_SECONDS = 12  # the endpoint's default; each case completes its copy by reads instead (see start_wait)
TARGET = "outage-copy"


class Forwarder:
    """Forwards loopback TCP connections on ``port`` to ``target_port``; switched off, nothing listens there."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.listener: socket.socket | None = None
        self.open: list[socket.socket] = []
        self.lock = threading.Lock()

    def on(self) -> None:
        listener = socket.socket()
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(16)
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def off(self) -> None:
        """Stop listening and cut every forwarded connection (a kept-alive one must not outlive the outage)."""
        if self.listener is not None:
            self.listener.close()
            self.listener = None
        with self.lock:
            for conn in self.open:
                with contextlib.suppress(OSError):
                    conn.shutdown(socket.SHUT_RDWR)
                conn.close()
            self.open.clear()

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _addr = listener.accept()
            except OSError:
                return  # switched off
            upstream = socket.create_connection(("127.0.0.1", self.target_port))
            with self.lock:
                self.open += [client, upstream]
            for src, dst in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    @staticmethod
    def _pump(src: socket.socket, dst: socket.socket) -> None:
        with contextlib.suppress(OSError):
            while data := src.recv(65536):
                dst.sendall(data)
        with contextlib.suppress(OSError):
            dst.shutdown(socket.SHUT_WR)


@pytest.fixture(scope="module")
def private() -> Iterator[Endpoint]:
    """An endpoint of this file's own: its request counters and copies see nothing else."""
    with running_endpoint(copy_duration=COPY_SECONDS) as url:
        yield Endpoint(url)


def start_wait(endpoint: Endpoint, case_id: str, url: str, timeout: int) -> Playbook:
    """Start a copy on ``endpoint`` and, at once, a playbook that waits for it through ``url``.

    Case ``gate-*`` runs the model_copy_gate role (poll interval 1 s) instead of model_copy_info.
    """
    endpoint.reset()
    endpoint.reset_stats()
    # The copy is InProgress for the first read and Completed from the second on, whenever they come: the first
    # poll never sees it Completed, however slowly ansible-playbook starts on a loaded machine (a copy completed
    # by time could be read Completed by a late first poll, and the gate would rightly open).
    endpoint.lifecycle(duration_seconds=None, polls=1)
    source = endpoint.source_model("us-east-1")
    endpoint.client().create_model_copy_job(
        sourceModelArn=source, targetModelName=TARGET, clientRequestToken=f"outage-{case_id}"
    )
    copies = [{"region": "us-west-2", "source_model_arn": source, "target_model_name": TARGET}]
    keep = {"content": "{{ kept | to_json }}", "dest": "{{ reliability_outcomes }}"}
    if case_id.startswith("gate"):
        gate_vars = {
            "model_copy_gate_copies": copies,
            "model_copy_gate_timeout": timeout,
            "model_copy_gate_poll_interval": 1,
            "model_copy_gate_report_interval": 3,
        }
        tasks: list[dict[str, Any]] = [
            {
                "name": "Gate",
                "block": [
                    {
                        "name": "The gate",
                        "ansible.builtin.include_role": {"name": "amazon.bedrock.model_copy_gate"},
                        "vars": gate_vars,
                    }
                ],
                "rescue": [
                    {
                        "name": "Keep the failure",
                        "ansible.builtin.copy": keep,
                        "vars": {
                            "kept": {
                                "failure": "{{ ansible_failed_result }}",
                                "open": "{{ model_copy_gate_open | default(None) }}",
                            }
                        },
                    }
                ],
            }
        ]
    else:
        task = {"copies": copies, "wait": True, "wait_sleep": 1, "wait_report_interval": 3, "wait_timeout": timeout}
        tasks = [
            # ignore_errors: the second task must see a failed wait too.
            {
                "name": "Wait for the copy",
                "amazon.bedrock.model_copy_info": task,
                "register": "gate",
                "ignore_errors": True,
            },
            {"name": "Keep the result", "ansible.builtin.copy": keep, "vars": {"kept": "{{ gate }}"}},
        ]
    play = {
        "name": "Gate through an outage",
        "hosts": "all",
        "gather_facts": False,
        "module_defaults": module_defaults(endpoint.url),
        "tasks": tasks,
    }
    inventory = cases_inventory(endpoint, {case_id: {"case_endpoint_url": url}})
    extra = {"reliability_credentials": FAKE.secrets()}
    return Playbook([play], inventory, workdir(f"outage-{case_id}"), extra_vars=extra)


def await_first_poll(endpoint: Endpoint, playbook: Playbook) -> None:
    deadline = time.monotonic() + 60
    while endpoint.stats()["requests"].get("ListModelCopyJobs", 0) == 0:
        assert playbook.proc.poll() is None, "the playbook ended before its first poll"
        assert time.monotonic() < deadline, "no poll within 60 s"
        time.sleep(0.2)


@pytest.fixture(scope="module")
def runs(private: Endpoint) -> dict[str, tuple[PlaybookRun, str, float]]:
    done: dict[str, tuple[PlaybookRun, str, float]] = {}
    target_port = int(private.url.rsplit(":", 1)[1])
    for case_id, comes_back, timeout in (
        ("comes-back", True, 90),
        ("stays-away", False, 20),
        ("gate-stays-away", False, 20),
    ):
        forwarder = Forwarder(target_port)
        url = f"http://127.0.0.1:{forwarder.port}"
        forwarder.on()
        try:
            playbook = start_wait(private, case_id, url, timeout)
            await_first_poll(private, playbook)
            forwarder.off()
            down_at = time.monotonic()
            if comes_back:
                time.sleep(10)  # an outage of several polls; the copy completes at the first read after it
                forwarder.on()
            run = playbook.wait(timeout=180)
        finally:
            forwarder.off()
        done[case_id] = (run, url, down_at - playbook.started)
        print(f"{case_id}: ansible-playbook took {run.seconds:.1f}s, endpoint gone after {done[case_id][2]:.1f}s")
    return done


def gate(run: PlaybookRun) -> dict[str, Any]:
    assert run.outcomes, f"no result kept:\n{run.output}"
    return run.outcomes


def test_a_passing_outage_is_ridden_out_and_the_gate_opens_on_a_fresh_read(runs: dict[str, Any]) -> None:
    run, _url, _down_after = runs["comes-back"]
    result = gate(run)
    assert run.rc == 0 and not result.get("failed"), run.output
    assert result["copies"][0]["status"] == "Completed"
    assert result["unreachable_polls"] >= 1
    assert "endpoint unreachable since" in run.output
    assert "Traceback" not in run.output and leaks(run.output) == []


def test_an_outage_that_outlasts_the_wait_fails_naming_the_url_and_keeps_the_last_read(
    runs: dict[str, Any],
) -> None:
    run, url, _down_after = runs["stays-away"]
    result = gate(run)
    assert result["failed"] is True and result["timed_out"] is True
    msg = result["msg"]
    assert msg.startswith(f"Cannot connect to the endpoint {url}/") and "\n" not in msg
    assert f"since {result['unreachable_since']}:" in msg
    # The endpoint would answer Completed now; no poll could read that, so the copy stays InProgress.
    assert result["copies"][0]["status"] == "InProgress"
    assert result["status_counts"]["Completed"] == 0
    assert 20 <= run.seconds <= 20 + 30
    assert "Traceback" not in run.output and leaks(run.output) == []


def test_a_gate_cut_off_at_its_deadline_stays_shut_and_says_it_could_not_read_the_copies(
    runs: dict[str, Any],
) -> None:
    run, url, _down_after = runs["gate-stays-away"]
    kept = gate(run)
    msg = kept["failure"]["msg"]
    assert msg.startswith("The model copy gate can neither open nor shut: it could not read the copies (")
    assert f"Cannot connect to the endpoint {url}/" in msg and " since " in msg
    assert kept["open"] in (False, "False")
    assert "Traceback" not in run.output and leaks(run.output) == []
