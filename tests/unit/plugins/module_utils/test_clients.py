from __future__ import annotations

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import CONFIGURED_ATTEMPTS, AnsibleBedrockError
from ansible_collections.amazon.bedrock.plugins.module_utils._clients import (
    CONNECT_TIMEOUT,
    bedrock_client,
    bedrock_clients,
)

KEYS = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="not-a-real-secret", verify=True)
REGIONS = [f"region-{n}" for n in range(20)]


@pytest.fixture(autouse=True)
def plain_environment(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    for name in ("AWS_MAX_ATTEMPTS", "AWS_RETRY_MODE", "AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "credentials"))


def test_every_region_shares_one_loaded_service_model() -> None:
    clients = bedrock_clients(["us-east-1", *REGIONS, "us-east-1"], None, KEYS, warn=lambda text: None)
    assert list(clients) == ["us-east-1", *REGIONS]
    models = {id(client.meta.service_model._service_description) for client in clients.values()}
    assert len(models) == 1
    assert [client.meta.region_name for client in clients.values()] == list(clients)


def test_connection_options_reach_every_client() -> None:
    config = {"read_timeout": 7}
    clients = bedrock_clients(["eu-west-1", "us-west-2"], "http://127.0.0.1:9", dict(KEYS, aws_config=config))
    for client in clients.values():
        assert client.meta.endpoint_url == "http://127.0.0.1:9"
        assert client._request_signer._credentials.access_key == "AKIAIOSFODNN7EXAMPLE"
        assert client.meta.config.read_timeout == 7
        assert client.meta.config.connect_timeout == CONNECT_TIMEOUT
        assert client.meta.config.retries["total_max_attempts"] == 1
        assert "amazon.bedrock" in client.meta.config.user_agent_extra


def test_the_users_retry_settings_reach_the_one_retry_layer(monkeypatch: pytest.MonkeyPatch, tmp_path) -> None:
    client = bedrock_client("us-west-2", None, dict(KEYS, aws_config={"connect_timeout": 30}))
    assert client.meta.config.connect_timeout == 30
    assert getattr(client, CONFIGURED_ATTEMPTS) is None  # the time budget
    # botocore never retries (one layer); the attempts go to _bedrock.call, the mode stays botocore's
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "4")
    monkeypatch.setenv("AWS_RETRY_MODE", "adaptive")
    client = bedrock_client("us-west-2", None, KEYS)
    assert client.meta.config.retries == {"total_max_attempts": 1, "mode": "adaptive"}
    assert getattr(client, CONFIGURED_ATTEMPTS) == 4
    # aws_config's retries win over the environment (max_attempts counts retries, as in botocore)
    retries = {"max_attempts": 2, "mode": "legacy"}
    client = bedrock_client("us-west-2", None, dict(KEYS, aws_config={"retries": retries}))
    assert client.meta.config.retries == {"total_max_attempts": 1, "mode": "legacy"}
    assert getattr(client, CONFIGURED_ATTEMPTS) == 3
    # the profile's
    monkeypatch.delenv("AWS_MAX_ATTEMPTS")
    monkeypatch.delenv("AWS_RETRY_MODE")
    (tmp_path / "config").write_text("[profile patient]\nmax_attempts = 12\nretry_mode = standard\n")
    client = bedrock_client("us-west-2", None, dict(KEYS, profile_name="patient"))
    assert client.meta.config.retries == {"total_max_attempts": 1, "mode": "standard"}
    assert getattr(client, CONFIGURED_ATTEMPTS) == 12


def test_no_region_and_unknown_profile_fail_in_one_line() -> None:
    with pytest.raises(AnsibleBedrockError) as info:
        bedrock_client(None, None, KEYS)
    assert "region" in info.value.message
    with pytest.raises(AnsibleBedrockError) as info:
        bedrock_client("us-west-2", None, dict(verify=True, profile_name="nobody-has-this"))
    assert "nobody-has-this" in info.value.message and "\n" not in info.value.message


@pytest.mark.parametrize(
    "regions, expected",
    [
        (["us-west"], "region 'us-west' (did you mean us-west-1 or us-west-2?): botocore "),
        (["Oregon"], "region 'Oregon' (did you mean us-west-2 (US West (Oregon))?): botocore "),
        (["us-east-1", "mars-1", "us-east-1", "mars-1"], "region 'mars-1': botocore "),
        (
            ["eu-west-1", "us-west", "Frankfurt"],
            "region 'us-west' (did you mean us-west-1 or us-west-2?), 'Frankfurt' (did",
        ),
    ],
)
def test_a_region_botocore_does_not_list_bedrock_in_earns_one_warning(regions: list[str], expected: str) -> None:
    warnings: list[str] = []
    clients = bedrock_clients(regions, None, KEYS, warn=warnings.append)
    assert list(clients) == list(dict.fromkeys(regions))  # a warning, not a failure: botocore may be older than AWS
    [text] = warnings
    assert text.startswith(expected)
    assert "does not list Amazon Bedrock there" in text and "\n" not in text


def test_listed_regions_and_endpoint_url_earn_no_warning() -> None:
    warnings: list[str] = []
    bedrock_clients(["us-east-1", "eu-central-1", "us-gov-west-1"], None, KEYS, warn=warnings.append)
    # The local endpoint (or a VPC endpoint) decides for itself which regions it serves.
    bedrock_clients(["us-west"], "http://127.0.0.1:9", KEYS, warn=warnings.append)
    assert warnings == []
