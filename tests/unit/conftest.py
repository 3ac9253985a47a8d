# Fixtures shared by the unit tests.
from __future__ import annotations

import json
import time
from typing import Any, Callable

import pytest
from ansible.module_utils.testing import patch_module_args


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A request's retries (``_bedrock.call``) pause on a clock of their own that moves only when they sleep;
    record those pauses, and any other time.sleep, instead of sleeping."""
    from ansible_collections.amazon.bedrock.plugins.module_utils import _bedrock

    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(_bedrock, "_monotonic", lambda: now[0])
    monkeypatch.setattr(_bedrock, "_sleep", sleep)
    monkeypatch.setattr(time, "sleep", sleep)  # the other pauses (a read back after a create) too
    return slept


@pytest.fixture
def run_module(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> Callable[..., dict[str, Any]]:
    """Run a module's main() against a fake client; returns the parsed result (failed or not).

    ``client`` is one fake for every client, or a dict of fakes by the region the module asks for.
    """
    from ansible_collections.amazon.aws.plugins.module_utils.modules import AnsibleAWSModule

    from ansible_collections.amazon.bedrock.plugins.module_utils import _accounts, _clients

    def run(main: Callable[[], None], args: dict[str, Any], client: Any = None) -> dict[str, Any]:
        created: list[str] = []

        def fake_client(self: Any, service: str, **kwargs: Any) -> Any:
            created.append(service)
            if client is None:
                raise AssertionError("the module asked for a client although none was expected")
            return client[kwargs["region"]] if isinstance(client, dict) else client

        def fake_session_client(session: Any, region: Any, endpoint_url: Any, config: Any, params: Any) -> Any:
            return fake_client(None, "bedrock", region=region)

        monkeypatch.setattr(AnsibleAWSModule, "client", fake_client)
        monkeypatch.setattr(_clients, "_create_client", fake_session_client)
        identities: list[Any] = []  # STS GetCallerIdentity: the account of copies that have no job yet
        monkeypatch.setattr(_accounts, "caller_account", lambda *a: identities.append(a) or "123456789012")
        args = {"region": "us-west-2", **args}
        with patch_module_args(args), pytest.raises(SystemExit):
            main()
        result = json.loads(capsys.readouterr().out)
        result["_clients_created"] = created
        result["_caller_identity_calls"] = len(identities)
        return result

    return run


@pytest.fixture
def fake_time(monkeypatch):
    """The wait's clock moves only when it sleeps, so waiting tests take no real time."""
    from ansible_collections.amazon.bedrock.plugins.module_utils import _waiting

    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds):
        sleeps.append(seconds)
        now[0] += seconds

    monkeypatch.setattr(_waiting, "_monotonic", lambda: now[0])
    monkeypatch.setattr(_waiting, "_sleep", sleep)
    return sleeps
