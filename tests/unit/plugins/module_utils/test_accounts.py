from __future__ import annotations

import datetime
from typing import Any

import botocore.credentials
import botocore.session
import pytest
from botocore.stub import Stubber

from ansible_collections.amazon.bedrock.plugins.module_utils import _accounts
from ansible_collections.amazon.bedrock.plugins.module_utils._accounts import (
    TASK,
    Accounts,
    AssumeRoleFailed,
    CredentialSource,
    account_from_arn,
    assumed_role_credentials,
    source_of,
    source_sessions,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._clients import sts_config

ROLE_A = "arn:aws:iam::111111111111:role/gate"
ROLE_B = "arn:aws:iam::222222222222:role/gate"
TASK_KEYS = {"aws_access_key_id": "AKIDTASK", "aws_secret_access_key": "task-secret"}
UTC = datetime.timezone.utc


class StubbedBase:
    """The task's botocore session, whose STS clients answer from a script (real ClientErrors included)."""

    def __init__(self) -> None:
        self.core = botocore.session.Session()
        self.sts = self.core.create_client("sts", region_name="us-east-1", **TASK_KEYS)
        self.stub = Stubber(self.sts)
        self.stub.activate()
        self.created: list[dict[str, Any]] = []

    def create_client(self, service: str, **kwargs: Any) -> Any:
        assert service == "sts"
        self.created.append(kwargs)
        return self.sts

    def get_component(self, name: str) -> Any:
        return self.core.get_component(name)

    def get_credentials(self) -> Any:
        return None

    def answers(self, role: str, expires: datetime.datetime, key: str = "ASIAROLE00000000", **expected: Any) -> None:
        credentials = {"AccessKeyId": key, "SecretAccessKey": f"{key}-secret", "SessionToken": "t" * 20}
        self.stub.add_response(
            "assume_role",
            {"Credentials": dict(credentials, Expiration=expires)},
            dict({"RoleArn": role, "RoleSessionName": "amazon.bedrock-model_copy_info"}, **expected),
        )

    def refuses(self, code: str, message: str, status: int = 403) -> None:
        self.stub.add_client_error("assume_role", code, message, http_status_code=status)


def later(**delta: float) -> datetime.datetime:
    return datetime.datetime.now(UTC) + datetime.timedelta(**delta)


def test_a_copy_without_account_keys_is_read_with_the_task_credentials() -> None:
    copy = {"region": "us-west-2", "source_model_arn": "x", "target_model_name": "y"}
    assert source_of(copy) == TASK
    assert source_of(dict(copy, profile="prod")) == CredentialSource(profile="prod")
    role = source_of(dict(copy, assume_role_arn=ROLE_A, external_id="ext-1"))
    assert role == CredentialSource(role_arn=ROLE_A, session_name="amazon.bedrock-model_copy_info", external_id="ext-1")
    assert role.role_account == "111111111111"
    assert str(role) == f"role {ROLE_A}"


def test_each_role_is_assumed_once_however_many_copies_and_regions_it_reads() -> None:
    base = StubbedBase()
    base.answers(ROLE_A, later(hours=1), ExternalId="ext-1")
    base.answers(ROLE_B, later(hours=1), key="ASIAB00000000000")
    a = CredentialSource(role_arn=ROLE_A, session_name="amazon.bedrock-model_copy_info", external_id="ext-1")
    b = CredentialSource(role_arn=ROLE_B, session_name="amazon.bedrock-model_copy_info")
    wanted = [(a, "copies[0]"), (a, "copies[1]"), (TASK, "copies[2]"), (b, "copies[3]"), (a, "copies[4]")]
    sessions = source_sessions(wanted, base, "us-east-1", dict(TASK_KEYS), sts_config())
    base.stub.assert_no_pending_responses()  # two AssumeRole calls, no more
    assert list(sessions) == [a, TASK, b]
    assert sessions[TASK] is base
    assert sessions[a].get_credentials().get_frozen_credentials().access_key == "ASIAROLE00000000"
    assert sessions[b].get_credentials().get_frozen_credentials().access_key == "ASIAB00000000000"
    # The roles' sessions share the task session's loader: the service model is parsed once.
    assert sessions[a].get_component("data_loader") is base.get_component("data_loader")
    assert base.created[0]["region_name"] == "us-east-1"
    assert base.created[0]["aws_access_key_id"] == "AKIDTASK"  # assumed with the task's own credentials


@pytest.mark.parametrize(
    "code, message",
    [
        ("AccessDenied", f"User is not authorized to perform: sts:AssumeRole on resource: {ROLE_B}"),
        ("AccessDenied", "The external id does not match"),
        ("NoSuchEntity", "The role cannot be found"),
    ],
)
def test_a_refused_role_fails_in_one_line_naming_the_role_and_the_copy(code: str, message: str) -> None:
    base = StubbedBase()
    base.answers(ROLE_A, later(hours=1))
    base.refuses(code, message)
    a = CredentialSource(role_arn=ROLE_A, session_name="amazon.bedrock-model_copy_info")
    b = CredentialSource(role_arn=ROLE_B, session_name="amazon.bedrock-model_copy_info")
    with pytest.raises(AssumeRoleFailed) as e:
        source_sessions([(a, "copies[0]"), (b, "copies[3]")], base, "us-east-1", dict(TASK_KEYS), sts_config())
    assert e.value.message == f"copies[3]: could not assume role {ROLE_B}: {code}: {message}"
    assert "\n" not in e.value.message
    assert "ASIAROLE00000000" not in e.value.message


def test_credentials_are_refreshed_before_they_expire(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [datetime.datetime.now(UTC)]

    def clock() -> datetime.datetime:
        return now[0]

    monkeypatch.setattr(botocore.credentials, "_local_now", clock)  # the fetcher's own cache check
    base = StubbedBase()
    base.answers(ROLE_A, now[0] + datetime.timedelta(hours=1), key="ASIAFIRST0000000")
    base.answers(ROLE_A, now[0] + datetime.timedelta(hours=2), key="ASIASECOND000000")
    source = CredentialSource(role_arn=ROLE_A, session_name="amazon.bedrock-model_copy_info")
    credentials = assumed_role_credentials(base, source, "us-east-1", dict(TASK_KEYS), sts_config(), clock)
    assert credentials.get_frozen_credentials().access_key == "ASIAFIRST0000000"  # assumed once, at once
    now[0] += datetime.timedelta(minutes=30)
    assert credentials.get_frozen_credentials().access_key == "ASIAFIRST0000000"  # still fresh: no request
    now[0] += datetime.timedelta(minutes=25)  # 5 minutes left: botocore must refresh before using them
    assert credentials.get_frozen_credentials().access_key == "ASIASECOND000000"
    base.stub.assert_no_pending_responses()


class Identity:
    def __init__(self) -> None:
        self.calls: list[Any] = []

    def __call__(self, *args: Any) -> str:
        self.calls.append(args)
        return "333333333333"


def test_account_ids_cost_no_request_when_an_arn_says_them(monkeypatch: pytest.MonkeyPatch) -> None:
    identity = Identity()
    monkeypatch.setattr(_accounts, "caller_account", identity)
    role = CredentialSource(role_arn=ROLE_A, session_name="s1")
    profile = CredentialSource(profile="prod")
    accounts = Accounts({TASK: object(), role: object(), profile: object()}, "us-east-1", {})
    assert accounts.account_of(role, [None]) == "111111111111"
    job = "arn:aws:bedrock:us-west-2:444444444444:model-copy-job/abcdefghij12"
    assert accounts.account_of(TASK, [None, job]) == "444444444444"
    assert identity.calls == []
    # A profile none of whose copies has a job yet: asked once for the whole run, however many polls.
    assert accounts.account_of(profile, [None]) == "333333333333"
    assert accounts.account_of(profile, [None]) == "333333333333"
    assert len(identity.calls) == 1


@pytest.mark.parametrize(
    "arn, account",
    [
        ("arn:aws:bedrock:us-west-2:444444444444:model-copy-job/abcdefghij12", "444444444444"),
        (None, None),
        ("not-an-arn", None),
    ],
)
def test_account_from_arn(arn: str | None, account: str | None) -> None:
    assert account_from_arn(arn) == account


def test_the_caller_identity_is_asked_once_without_retries_and_is_null_when_sts_cannot_be_reached() -> None:
    core = botocore.session.Session()
    config = sts_config(attempts=1)
    assert config.retries == {"total_max_attempts": 1}
    connection = dict(TASK_KEYS, verify=None)
    # Nothing listens on port 9: a connection error, which costs the account id, never the read.
    os_env = {"AWS_ENDPOINT_URL_STS": "http://127.0.0.1:9"}
    with pytest.MonkeyPatch.context() as m:
        for key, value in os_env.items():
            m.setenv(key, value)
        assert _accounts.caller_account(core, "us-east-1", connection, config) is None


def test_a_profile_that_is_not_configured_names_the_copy(tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config"
    config.write_text("[profile prod]\nregion = us-west-2\n")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    base = botocore.session.Session()
    prod, staging = CredentialSource(profile="prod"), CredentialSource(profile="staging")
    sessions = source_sessions([(prod, "copies[0]")], base, "us-east-1", {}, sts_config())
    assert sessions[prod].profile == "prod"
    with pytest.raises(_accounts.AnsibleBedrockError) as e:
        source_sessions([(prod, "copies[0]"), (staging, "copies[1]")], base, "us-east-1", {}, sts_config())
    assert e.value.message == "copies[1].profile: the profile 'staging' is not configured"
