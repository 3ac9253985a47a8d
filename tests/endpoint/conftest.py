"""One endpoint subprocess per test session, reset before every test; helpers for boto3 and raw HTTP."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from typing import Any

import boto3
import pytest
from bedrock_endpoint.testing import control, running_endpoint
from botocore.config import Config

SESSION_COPY_DURATION = 30.0  # the CLI default the session endpoint runs with; reset restores it


class Endpoint:
    """The running endpoint: its URL plus thin helpers for the control API and signed raw requests."""

    def __init__(self, url: str) -> None:
        self.url = url

    def control(self, method: str, path: str, payload: Any = None) -> Any:
        return control(self.url, method, path, payload)

    def source_model(self, region: str = "us-east-1", name: str = "source-model", **extra: Any) -> str:
        return self.control("POST", "models", {"region": region, "model_name": name, **extra})["model_arn"]

    def client(self, region: str = "us-east-1", retries: int = 1) -> Any:
        config = Config(retries={"total_max_attempts": retries}, connect_timeout=5, read_timeout=30)
        return boto3.client(
            "bedrock",
            endpoint_url=self.url,
            region_name=region,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
            config=config,
        )

    def raw(
        self, method: str, path: str, query: dict[str, Any] | None = None, body: Any = None, region: str = "us-east-1"
    ) -> tuple[int, dict[str, str], Any]:
        """A Bedrock request without botocore's client-side validation (the endpoint ignores signatures).

        Returns (status, headers with lower-case names, decoded JSON body).
        """
        url = self.url + path + ("?" + urllib.parse.urlencode(query) if query else "")
        scope = f"testing/20240101/{region}/bedrock/aws4_request"
        headers = {"Authorization": f"AWS4-HMAC-SHA256 Credential={scope}, SignedHeaders=host, Signature=0"}
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(url, data=data, method=method, headers=headers)
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, _lower(response.headers.items()), json.load(response)
        except urllib.error.HTTPError as exc:
            return exc.code, _lower(exc.headers.items()), json.loads(exc.read() or b"null")


def _lower(items: Any) -> dict[str, str]:
    return {k.lower(): v for k, v in items}


@pytest.fixture(scope="session")
def endpoint_session() -> Iterator[Endpoint]:
    with running_endpoint(copy_duration=SESSION_COPY_DURATION) as url:
        yield Endpoint(url)


@pytest.fixture
def endpoint(endpoint_session: Endpoint) -> Endpoint:
    endpoint_session.control("POST", "reset")
    return endpoint_session


@pytest.fixture
def error_of() -> Callable[..., Any]:
    """error_of(call, *args, **kwargs) -> the botocore ClientError the call raised (fails if none)."""
    from botocore.exceptions import ClientError

    def run(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with pytest.raises(ClientError) as info:
            call(*args, **kwargs)
        return info.value

    return run
