from __future__ import annotations

import socket
import time
from typing import Any

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    EndpointUnreachable,
    ListOperation,
    PagedListing,
    RetriesExhausted,
    RetryPolicy,
    is_transient,
    unreachable_message,
)
from ansible_collections.amazon.bedrock.plugins.module_utils._clients import bedrock_client
from ansible_collections.amazon.bedrock.tests.unit.fakes import client_error

FAST = RetryPolicy(attempts=3, delay=0.01, max_delay=0.01)
WIDGETS = ListOperation("list_widgets", "widgetSummaries", "widgetArn", "list widgets")


class FakeWidgets:
    """Another resource's List* call: its own method, items key and id key."""

    def __init__(self, count: int, faults: list[BaseException | None]) -> None:
        self.items = [{"widgetArn": f"arn:widget/{n}"} for n in range(count)]
        self.faults = faults
        self.calls: list[dict[str, Any]] = []

    def list_widgets(self, **params: Any) -> dict[str, Any]:
        self.calls.append(params)
        if self.faults:
            fault = self.faults.pop(0)
            if fault is not None:
                raise fault
        start = int(params.get("nextToken", "0"))
        end = start + params["maxResults"]
        page: dict[str, Any] = {"widgetSummaries": self.items[start:end]}
        if end < len(self.items):
            page["nextToken"] = str(end)
        return page


def test_any_operation_pages_with_its_own_keys_and_retries_one_page(no_sleep):
    throttle = client_error("ThrottlingException", operation="ListWidgets", status=429)
    fake = FakeWidgets(1500, faults=[None, throttle])
    listing = PagedListing(fake, WIDGETS, {"statusEquals": "InService"}, retry=FAST)
    assert [item["widgetArn"] for item in listing] == [f"arn:widget/{n}" for n in range(1500)]
    assert [call.get("nextToken") for call in fake.calls] == [None, "1000", "1000"]
    assert all(call["statusEquals"] == "InService" for call in fake.calls)
    assert listing.pages == 2


def test_exhausted_retries_name_the_operation_and_page(no_sleep):
    throttle = client_error("ThrottlingException", operation="ListWidgets", status=429)
    fake = FakeWidgets(5, faults=[throttle] * 3)
    with pytest.raises(RetriesExhausted) as info:
        list(PagedListing(fake, WIDGETS, {}, retry=FAST))
    assert info.value.message.startswith("Failed to list widgets (page 1): throttled (ThrottlingException)")


def test_limit_stops_early_and_keeps_the_token(no_sleep):
    fake = FakeWidgets(50, faults=[])
    listing = PagedListing(fake, WIDGETS, {}, limit=20, retry=FAST)
    assert len(list(listing)) == 20
    assert listing.next_token == "20"
    assert fake.calls[0]["maxResults"] == 20


URL = "http://127.0.0.1:9/widgets?maxResults=1000"
# What botocore raises when no connection can be made, as its HTTP layer raises them.
CANNOT_CONNECT = [
    botocore.exceptions.EndpointConnectionError(
        endpoint_url=URL,
        error="AWSHTTPConnection(host='127.0.0.1', port=9): Failed to establish a new connection:"
        " [Errno 111] Connection refused",
    ),
    botocore.exceptions.ConnectTimeoutError(endpoint_url=URL, error="timed out"),
    botocore.exceptions.ProxyConnectionError(proxy_url="http://proxy.invalid:3128", error="refused"),
    botocore.exceptions.SSLError(endpoint_url=URL, error="certificate verify failed"),
]


@pytest.mark.parametrize("error", CANNOT_CONNECT, ids=lambda error: type(error).__name__)
def test_a_connection_that_cannot_be_made_fails_at_once_naming_the_url(no_sleep, error):
    fake = FakeWidgets(5, faults=[error, None])
    listing = PagedListing(fake, WIDGETS, {}, retry=RetryPolicy(attempts=9))
    with pytest.raises(EndpointUnreachable) as info:
        list(listing)
    message = info.value.message
    assert len(fake.calls) == 1 and no_sleep == []
    assert message.startswith(
        f"Failed to list widgets (page 1): cannot connect to the endpoint, not retried ({type(error).__name__})"
    )
    # the URL botocore could not connect to (for a proxy: the proxy's; botocore hides its password)
    assert (URL if "endpoint_url" in error.kwargs else "http://proxy.invalid:3128") in message
    assert "\n" not in message
    assert not is_transient(info.value)


def test_the_reason_urllib3_gave_is_kept() -> None:
    error = CANNOT_CONNECT[0]
    assert unreachable_message("list widgets", error).endswith(
        f'"{URL}": Failed to establish a new connection: [Errno 111] Connection refused;'
        " check endpoint_url, the region and the network (proxy, firewall, TLS)"
    )


@pytest.mark.parametrize(
    "error",
    [
        botocore.exceptions.ConnectionClosedError(endpoint_url=URL),
        botocore.exceptions.ReadTimeoutError(endpoint_url=URL),
        botocore.exceptions.HTTPClientError(error="reset by peer"),
    ],
    ids=lambda error: type(error).__name__,
)
def test_a_connection_lost_mid_request_is_retried_from_its_page(no_sleep, error):
    fake = FakeWidgets(1500, faults=[None, error, error])
    listing = PagedListing(fake, WIDGETS, {}, retry=FAST)
    assert len(list(listing)) == 1500
    assert [call.get("nextToken") for call in fake.calls] == [None, "1000", "1000", "1000"]
    assert len(no_sleep) == 2 and is_transient(error)


def test_a_connection_lost_on_every_attempt_says_so(no_sleep):
    fake = FakeWidgets(5, faults=[botocore.exceptions.ConnectionClosedError(endpoint_url=URL)] * 3)
    with pytest.raises(RetriesExhausted) as info:
        list(PagedListing(fake, WIDGETS, {}, retry=FAST))
    assert info.value.message.startswith(
        "Failed to list widgets (page 1): lost the connection (RequestConnectionError) on all 3 attempts"
    )
    assert is_transient(info.value)


def test_a_real_client_fails_at_once_on_a_closed_port(no_sleep):
    with socket.socket() as sock:  # a loopback port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    keys = dict(aws_access_key_id="AKIAIOSFODNN7EXAMPLE", aws_secret_access_key="not-a-real-secret", verify=True)
    client = bedrock_client("us-west-2", f"http://127.0.0.1:{port}", keys)
    started = time.monotonic()
    with pytest.raises(EndpointUnreachable) as info:
        list(
            PagedListing(
                client, ListOperation("list_model_copy_jobs", "modelCopyJobSummaries", "jobArn", "list jobs"), {}
            )
        )
    assert time.monotonic() - started < 2 and no_sleep == []
    assert f'Could not connect to the endpoint URL: "http://127.0.0.1:{port}/model-copy-jobs' in info.value.message
    assert "Connection refused" in info.value.message


def test_request_token_is_the_same_for_the_same_request_only():
    from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import request_token

    token = request_token(["bot", "arn:model", None, []])
    assert token == request_token(["bot", "arn:model", None, []])
    assert token != request_token(["bot", "arn:model", None, [], "arn:replaced"])
    assert len(token) == len("ansible-") + 64 and token.startswith("ansible-")


def test_listed_returns_facts_and_the_token_of_a_capped_listing():
    from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import listed, option_filters

    class Widgets:
        def __init__(self) -> None:
            self.calls: list[dict[str, Any]] = []

        def list_widgets(self, **params: Any) -> dict[str, Any]:
            self.calls.append(params)
            start = int(params.get("nextToken", "0"))
            end = min(start + params["maxResults"], 5)
            page: dict[str, Any] = {"widgetSummaries": [{"widgetArn": f"w{n}"} for n in range(start, end)]}
            if end < 5:
                page["nextToken"] = str(end)
            return page

    client = Widgets()
    options = {"status": "Active", "model_arn": None, "max_results": 3}
    filters = option_filters(options, {"status": "statusEquals", "model_arn": "modelArnEquals"})
    assert filters == {"statusEquals": "Active"}
    first = listed(client, WIDGETS, filters, options, "widgets", lambda w: {"arn": w["widgetArn"]})
    assert first == {"widgets": [{"arn": "w0"}, {"arn": "w1"}, {"arn": "w2"}], "next_token": "3"}
    rest = listed(client, WIDGETS, filters, {"next_token": "3"}, "widgets", lambda w: {"arn": w["widgetArn"]})
    assert rest == {"widgets": [{"arn": "w3"}, {"arn": "w4"}]}
    assert client.calls[0] == {"statusEquals": "Active", "maxResults": 3}
