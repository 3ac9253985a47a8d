"""What the reliability suite shares: paths, fake credentials, the local endpoint and ansible-playbook runs.

Used by the pytest files (the short CI version) and by soak.py (``make soak``, the long version). Real task runs
go through ``ansible-playbook`` against the collection as built and installed in .work/collections; in-process
runs import the same installed module_utils.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
COLLECTIONS = ROOT / ".work" / "collections"
ENDPOINT_DIR = ROOT / "tests" / "endpoint"
# Playbooks, inventories, outputs and private HOMEs of the runs; tests/reliability/run.sh drops old ones.
WORKDIRS = ROOT / ".work" / "reliability"
# The venv that runs the suite also runs ansible-playbook and, as ansible_python_interpreter, the modules.
PYTHON = sys.executable
ANSIBLE_PLAYBOOK = str(Path(sys.executable).parent / "ansible-playbook")

for _path in (str(ENDPOINT_DIR), str(COLLECTIONS)):
    if _path not in sys.path:
        sys.path.insert(0, _path)

from bedrock_endpoint.testing import control, running_endpoint  # needs the path above

# Regions the endpoint (moto) knows for Bedrock; requests signed for other names fail inside moto.
REGIONS = (
    "af-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "ca-central-1",
    "eu-central-1",
    "eu-central-2",
    "eu-north-1",
    "eu-south-1",
    "eu-south-2",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
)


@dataclasses.dataclass(frozen=True)
class Credentials:
    access_key: str
    secret_key: str
    session_token: str

    def secrets(self) -> dict[str, str]:
        return dataclasses.asdict(self)


# Recognisable and fake: none of these can sign a real AWS request. Every task in the suite gets them through
# module_defaults, the way a playbook passes vaulted credentials, so any output that shows one is a leak.
FAKE = Credentials(
    access_key="AKIAFAKERELIABILITY7",
    secret_key="fake+Reliability/Secret0Key1Do2Not3Log4Me5",
    session_token="FakeReliabilitySessionToken//6Do7Not8Log9Me0==",
)


def leaks(text: str, credentials: Credentials = FAKE) -> list[str]:
    """Names of the credentials that appear in ``text``, whole or as a recognisable 12-character core."""
    found = []
    for name, value in credentials.secrets().items():
        core = value[len(value) // 2 - 6 : len(value) // 2 + 6]
        if value in text or core in text:
            found.append(name)
    return found


class Endpoint:
    """The local Bedrock endpoint (tests/endpoint) and its control API."""

    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, method: str, path: str, payload: Any = None) -> Any:
        return control(self.url, method, path, payload)

    def reset(self) -> None:
        self.control("POST", "reset")

    def stats(self) -> dict[str, Any]:
        return self.control("GET", "stats")

    def reset_stats(self) -> None:
        self.control("POST", "stats/reset")

    def faults(self, rules: list[dict[str, Any]], seed: int | None = None, max_in_a_row: int | None = None) -> None:
        self.control("PUT", "faults", {"seed": seed, "max_in_a_row": max_in_a_row, "rules": rules})

    def lifecycle(self, **config: Any) -> None:
        self.control("POST", "lifecycle", config)

    def source_model(self, region: str = "us-east-1", name: str = "reliability-base") -> str:
        return self.control("POST", "models", {"region": region, "model_name": name})["model_arn"]

    def seed(self, region: str, **payload: Any) -> dict[str, Any]:
        return self.control("POST", "seed", {"region": region, **payload})

    def client(self, region: str = "us-west-2", attempts: int = 1) -> Any:
        """A boto3 bedrock client with a session of its own, as ``module.client()`` makes.

        ``attempts`` is botocore's own attempts per request (1 = botocore does not retry).
        """
        import boto3
        from botocore.config import Config

        config = Config(retries={"total_max_attempts": attempts}, connect_timeout=5, read_timeout=60)
        return boto3.session.Session().client(
            "bedrock",
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id=FAKE.access_key,
            aws_secret_access_key=FAKE.secret_key,
            aws_session_token=FAKE.session_token,
            config=config,
        )


@contextlib.contextmanager
def endpoint_for_run() -> Iterator[Endpoint]:
    """The endpoint hacking/with-endpoint.sh started (BEDROCK_ENDPOINT_URL), else a fresh one for this run."""
    url = os.environ.get("BEDROCK_ENDPOINT_URL")
    if url:
        yield Endpoint(url.rstrip("/"))
        return
    with running_endpoint(copy_duration=20) as started:
        yield Endpoint(started)


def closed_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclasses.dataclass
class PlaybookRun:
    rc: int
    output: str
    outcomes: dict[str, Any]
    seconds: float


class Playbook:
    """One ansible-playbook process over generated plays and inventory, started now, awaited with ``wait()``.

    The plays and inventory are JSON (which is YAML). The process gets a private HOME (no ~/.aws, no
    ~/.ansible.cfg), an empty ansible.cfg, no AWS_* variables (each task brings its own endpoint, region and
    credentials through module_defaults), and IMDS disabled so a missing credential fails at once.
    Whatever the plays write to ``{{ reliability_outcomes }}`` (JSON) comes back as ``PlaybookRun.outcomes``.
    """

    def __init__(
        self,
        plays: list[dict[str, Any]],
        inventory: dict[str, Any],
        workdir: Path,
        verbosity: int = 0,
        forks: int = 5,
        extra_vars: dict[str, Any] | None = None,
        env: dict[str, str] | None = None,
    ) -> None:
        workdir.mkdir(parents=True, exist_ok=True)
        self.workdir = workdir
        home = workdir / "home"
        home.mkdir(exist_ok=True)
        (workdir / "ansible.cfg").write_text("[defaults]\n")
        (workdir / "playbook.yml").write_text(json.dumps(plays, indent=1))
        (workdir / "inventory.yml").write_text(json.dumps(inventory, indent=1))
        self.outcomes_file = workdir / "outcomes.json"
        variables = {"reliability_outcomes": str(self.outcomes_file), **(extra_vars or {})}
        (workdir / "extra_vars.json").write_text(json.dumps(variables))
        environ = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "ANSIBLE_", "BOTO"))}
        environ.update(
            HOME=str(home),
            ANSIBLE_CONFIG=str(workdir / "ansible.cfg"),
            ANSIBLE_COLLECTIONS_PATH=str(COLLECTIONS),
            ANSIBLE_COLLECTIONS_SCAN_SYS_PATH="false",
            ANSIBLE_RETRY_FILES_ENABLED="false",
            ANSIBLE_NOCOLOR="1",
            ANSIBLE_LOCALHOST_WARNING="false",
            AWS_EC2_METADATA_DISABLED="true",
            AWS_CONFIG_FILE=str(home / "aws-config"),
            AWS_SHARED_CREDENTIALS_FILE=str(home / "aws-credentials"),
        )
        environ.update(env or {})
        cmd = [ANSIBLE_PLAYBOOK, "-i", str(workdir / "inventory.yml"), "-f", str(forks)]
        cmd += ["-e", "@" + str(workdir / "extra_vars.json"), str(workdir / "playbook.yml")]
        if verbosity:
            cmd.append("-" + "v" * verbosity)
        self.log = workdir / "output.txt"
        self.started = time.monotonic()
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(cmd, cwd=workdir, env=environ, stdout=log, stderr=subprocess.STDOUT)

    def wait(self, timeout: float = 900) -> PlaybookRun:
        try:
            rc = self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
            raise
        seconds = time.monotonic() - self.started
        output = self.log.read_text(errors="replace")
        outcomes = json.loads(self.outcomes_file.read_text()) if self.outcomes_file.exists() else {}
        return PlaybookRun(rc, output, outcomes, seconds)


def workdir(prefix: str) -> Path:
    """A fresh directory for one ansible-playbook run under .work/reliability (kept for a look after a failure)."""
    WORKDIRS.mkdir(parents=True, exist_ok=True)
    return Path(tempfile.mkdtemp(prefix=f"{prefix}-", dir=WORKDIRS))


def module_defaults(endpoint_url: str) -> dict[str, Any]:
    """Endpoint, region and credentials for every amazon.bedrock task, from host variables.

    A host that sets ``case_omit`` to a list of these option names runs without them (no region, no
    credentials); ``case_endpoint_url`` replaces the endpoint.
    """
    options = {
        "endpoint_url": "case_endpoint_url | default(reliability_endpoint_url)",
        "region": "case_region | default('us-west-2')",
        "access_key": "reliability_credentials.access_key",
        "secret_key": "reliability_credentials.secret_key",
        "session_token": "reliability_credentials.session_token",
    }
    return {
        "group/amazon.bedrock.aws": {
            name: "{{ omit if '" + name + "' in case_omit | default([]) else " + expr + " }}"
            for name, expr in options.items()
        }
    }


def case_plays(name: str, strategy: str = "linear") -> list[dict[str, Any]]:
    """Each inventory host runs one case: a module call or the role with its host variables, failure kept.

    Host variables: ``case_target`` (info: model_copy_job_info, job: model_copy_job, copies: model_copy_info,
    gate: the model_copy_gate role, pt: provisioned_model_throughput, pt_info: provisioned_model_throughput_info,
    cmd: custom_model_deployment, cmd_info: custom_model_deployment_info),
    ``case_args`` (module options; for the role, the role's variables are host variables themselves). Every outcome
    is written to ``reliability_outcomes`` at the end: ``failure`` (ansible_failed_result or null), ``failed_task``
    (the name of the task that failed, or null), ``result`` (the module's result), ``gate_open``/``gate_results``.
    """
    run_case = {
        "name": "Run the case",
        "block": [
            {
                "name": "model_copy_job_info",
                "amazon.bedrock.model_copy_job_info": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'info'",
                "register": "case_info",
            },
            {
                "name": "model_copy_job",
                "amazon.bedrock.model_copy_job": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'job'",
                "register": "case_job",
            },
            {
                "name": "model_copy_info",
                "amazon.bedrock.model_copy_info": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'copies'",
                "register": "case_copies",
            },
            {
                "name": "model_copy_gate",
                "ansible.builtin.include_role": {"name": "amazon.bedrock.model_copy_gate"},
                "when": "case_target == 'gate'",
            },
            {
                "name": "provisioned_model_throughput",
                "amazon.bedrock.provisioned_model_throughput": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'pt'",
                "register": "case_pt",
            },
            {
                "name": "provisioned_model_throughput_info",
                "amazon.bedrock.provisioned_model_throughput_info": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'pt_info'",
                "register": "case_pt_info",
            },
            {
                "name": "custom_model_deployment",
                "amazon.bedrock.custom_model_deployment": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'cmd'",
                "register": "case_cmd",
            },
            {
                "name": "custom_model_deployment_info",
                "amazon.bedrock.custom_model_deployment_info": None,
                "args": "{{ case_args }}",
                "when": "case_target == 'cmd_info'",
                "register": "case_cmd_info",
            },
        ],
        "rescue": [
            {
                "name": "Keep the failure",
                "ansible.builtin.set_fact": {
                    "case_failure": "{{ ansible_failed_result }}",
                    "case_failed_task": "{{ ansible_failed_task.name }}",
                },
            }
        ],
    }
    keep = {
        "name": "Keep the outcome",
        "ansible.builtin.set_fact": {
            "case_outcome": {
                "failure": "{{ case_failure | default(none) }}",
                "failed_task": "{{ case_failed_task | default(none) }}",
                "result": (
                    "{{ case_info if case_target == 'info' else case_job if case_target == 'job'"
                    " else case_copies if case_target == 'copies' else case_pt if case_target == 'pt'"
                    " else case_pt_info if case_target == 'pt_info' else case_cmd if case_target == 'cmd'"
                    " else case_cmd_info if case_target == 'cmd_info' else none }}"
                ),
                "gate_open": "{{ model_copy_gate_open | default(none) }}",
                "gate_results": "{{ model_copy_gate_results | default(none) }}",
            }
        },
    }
    outcomes = "groups['all'] | map('extract', hostvars) | map(attribute='case_outcome', default=none)"
    return [
        {
            "name": name,
            "hosts": "all",
            "gather_facts": False,
            "strategy": strategy,
            "module_defaults": None,  # filled in by run_cases
            "tasks": [run_case, keep],
        },
        {
            "name": "Write every outcome",
            "hosts": "localhost",
            "gather_facts": False,
            "connection": "local",
            "vars": {"ansible_python_interpreter": PYTHON},
            "tasks": [
                {
                    "name": "Write the outcomes",
                    "ansible.builtin.copy": {
                        "dest": "{{ reliability_outcomes }}",
                        "content": "{{ dict(groups['all'] | zip(" + outcomes + ")) | to_json }}",
                        "mode": "0600",
                    },
                }
            ],
        },
    ]


def start_cases(
    endpoint: Endpoint,
    hosts: dict[str, dict[str, Any]],
    work: Path,
    verbosity: int = 0,
    forks: int = 5,
    strategy: str = "linear",
    env: dict[str, str] | None = None,
) -> Playbook:
    """Start one ansible-playbook process that runs every case in ``hosts`` (host name -> host variables)."""
    plays = case_plays("Reliability cases", strategy)
    plays[0]["module_defaults"] = module_defaults(endpoint.url)
    extra = {"reliability_credentials": FAKE.secrets()}
    return Playbook(
        plays, cases_inventory(endpoint, hosts), work, verbosity=verbosity, forks=forks, extra_vars=extra, env=env
    )


def cases_inventory(endpoint: Endpoint, hosts: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """An inventory of local case hosts (host name -> host variables) that talk to ``endpoint``."""
    return {
        "all": {
            "vars": {
                "ansible_connection": "local",
                "ansible_python_interpreter": PYTHON,
                "reliability_endpoint_url": endpoint.url,
            },
            "hosts": hosts,
        }
    }


def failure_message(outcome: dict[str, Any] | None) -> str | None:
    """The message a failed case ended with, or None when it did not fail."""
    if not outcome or not outcome.get("failure"):
        return None
    return str(outcome["failure"].get("msg", ""))
