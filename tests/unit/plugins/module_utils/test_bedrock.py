from __future__ import annotations

import socket
import time
from typing import Any

import botocore.exceptions
import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    CONFIGURED_ATTEMPTS,
    EndpointUnreachable,
    ListOperation,
    PagedListing,
    RetriesCutShort,
    RetriesExhausted,
    RetryPolicy,
    call,
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
    # scheme, host and port of the URL botocore could not connect to (for a proxy: the proxy's), first
    where = "http://127.0.0.1:9" if "endpoint_url" in error.kwargs else "the proxy http://proxy.invalid:3128"
    assert message.startswith(f"Failed to list widgets (page 1): cannot connect to {where} ({type(error).__name__}: ")
    assert "not retried" in message and "maxResults" not in message
    assert "\n" not in message and len(message) < 300
    assert not is_transient(info.value)


def test_the_reason_urllib3_gave_is_kept_and_the_url_shortened() -> None:
    long_url = "https://user:pw@bedrock.example:8443/model-copy-jobs?" + "sourceModelArnEquals=arn%3Aaws%3A" * 10
    error = botocore.exceptions.EndpointConnectionError(endpoint_url=long_url, error=CANNOT_CONNECT[0].kwargs["error"])
    assert unreachable_message("list widgets", error) == (
        "Failed to list widgets: cannot connect to https://bedrock.example:8443 (EndpointConnectionError: Failed to"
        " establish a new connection: [Errno 111] Connection refused), not retried; check endpoint_url, the region"
        " and the network (proxy, firewall, TLS)"
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
        "Failed to list widgets (page 1): lost the connection (RequestConnectionError) on all 3 attempts over 0 s"
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
    assert f"cannot connect to http://127.0.0.1:{port} (EndpointConnectionError: " in info.value.message
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


class Clock:
    """A monotonic clock that moves only when the retry sleeps (or a request takes ``per_request`` seconds)."""

    def __init__(self, per_request: float = 0.0) -> None:
        self.now = 1000.0
        self.per_request = per_request
        self.pauses: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0
        self.pauses.append(seconds)
        self.now += seconds

    def policy(self, **overrides: Any) -> RetryPolicy:
        return RetryPolicy(clock=self, sleep=self.sleep, **overrides)


class Throttled:
    """An operation throttled until ``until`` on ``clock`` (for ever when None), then answering."""

    def __init__(self, clock: Clock, until: float | None = None, error: BaseException | None = None) -> None:
        self.clock, self.until, self.calls = clock, until, 0
        self.error = error or client_error("ThrottlingException", operation="ListWidgets", status=429)

    def __call__(self, **params: Any) -> dict[str, Any]:
        self.calls += 1
        self.clock.now += self.clock.per_request
        if self.until is None or self.clock.now < self.until:
            raise self.error
        return {"widgetSummaries": []}


@pytest.mark.parametrize("jitter", [1.0, 0.5, 0.0001])
def test_three_minutes_of_throttling_are_survived_by_default(jitter: float) -> None:
    clock = Clock(per_request=0.2)
    operation = Throttled(clock, until=clock.now + 180)
    assert call(clock.policy(jitter=lambda: jitter), "list widgets", operation) == {"widgetSummaries": []}
    assert max(clock.pauses) <= 20.0  # capped
    assert clock.pauses[:3] == pytest.approx([jitter, 2 * jitter, 4 * jitter])  # exponential, jittered


@pytest.mark.parametrize("jitter", [1.0, 0.3])
def test_a_throttle_that_never_ends_fails_within_the_budget_plus_one_backoff(jitter: float) -> None:
    clock = Clock(per_request=0.2)
    started = clock.now
    operation = Throttled(clock)
    with pytest.raises(RetriesExhausted) as info:
        call(clock.policy(jitter=lambda: jitter), "list widgets (page 2)", operation)
    took = clock.now - started
    assert 300 <= took <= 300 + 20 + 0.2
    assert not isinstance(info.value, RetriesCutShort)
    assert info.value.message == (
        f"Failed to list widgets (page 2): throttled (ThrottlingException) on all {operation.calls} attempts"
        f" over {took:.0f} s"
    )
    assert "\n" not in info.value.message and is_transient(info.value)


@pytest.mark.parametrize(
    ("code", "kind"),
    [("InternalServerException", "got a server error"), ("ServiceUnavailableException", "got a server error")],
)
def test_server_errors_are_retried_on_the_same_budget(code: str, kind: str) -> None:
    clock = Clock(per_request=0.1)
    operation = Throttled(clock, error=client_error(code, operation="ListWidgets", status=500))
    with pytest.raises(RetriesExhausted) as info:
        call(clock.policy(budget=60.0), "list widgets", operation)
    assert f"{kind} ({code}) on all {operation.calls} attempts over 6" in info.value.message
    assert operation.calls > 5


def test_a_wait_s_request_retries_until_the_wait_s_deadline_and_no_longer() -> None:
    clock = Clock(per_request=0.3)
    policy = clock.policy().until(10.0)
    started = clock.now
    operation = Throttled(clock)
    with pytest.raises(RetriesCutShort) as info:
        call(policy, "list widgets (page 1)", operation)
    took = clock.now - started
    assert 10.0 <= took <= 10.0 + 0.3  # the last pause ends at the deadline; one last attempt follows
    assert info.value.message.startswith("Failed to list widgets (page 1): throttled (ThrottlingException) on ")
    assert info.value.message.endswith(f"attempts over {took:.0f} s until wait_timeout")
    # a request sent once the deadline has passed is tried once
    operation.calls = 0
    with pytest.raises(RetriesCutShort):
        call(policy, "list widgets (page 2)", operation)
    assert operation.calls == 1


def test_a_wait_s_deadline_outlasts_the_budget() -> None:
    clock = Clock(per_request=0.2)
    operation = Throttled(clock, until=clock.now + 400)
    assert call(clock.policy(attempts=3).until(1800.0), "list widgets", operation) == {"widgetSummaries": []}


class Configured:
    """A client whose user configured max_attempts (what _clients.configure_attempts leaves on it)."""

    def __init__(self, clock: Clock, attempts: int | None) -> None:
        self.list_widgets = Throttled(clock)
        setattr(self, CONFIGURED_ATTEMPTS, attempts)

    def bound(self) -> Any:
        operation = self.list_widgets

        def list_widgets(**params: Any) -> dict[str, Any]:
            return operation(**params)

        list_widgets.__self__ = self  # type: ignore[attr-defined]
        return list_widgets


@pytest.mark.parametrize("attempts", [1, 4])
def test_the_users_max_attempts_replace_the_time_budget(attempts: int) -> None:
    clock = Clock()
    client = Configured(clock, attempts)
    with pytest.raises(RetriesExhausted) as info:
        call(clock.policy(), "list widgets", client.bound())
    assert client.list_widgets.calls == attempts
    assert ("its only attempt" if attempts == 1 else f"all {attempts} attempts") in info.value.message
    # inside a wait only the wait's deadline counts
    client.list_widgets.calls = 0
    with pytest.raises(RetriesCutShort):
        call(clock.policy().until(60.0), "list widgets", client.bound())
    assert client.list_widgets.calls > attempts


def test_the_test_only_backoff_variable_sets_base_and_cap_and_nothing_else(monkeypatch: pytest.MonkeyPatch) -> None:
    from ansible_collections.amazon.bedrock.plugins.module_utils import _bedrock

    monkeypatch.setenv(_bedrock.TEST_BACKOFF_ENV, "0.01,0.05")
    assert _bedrock._default_retry() == RetryPolicy(delay=0.01, max_delay=0.05)
    assert _bedrock._default_retry().budget == 300.0
    monkeypatch.delenv(_bedrock.TEST_BACKOFF_ENV)
    assert _bedrock._default_retry() == RetryPolicy(delay=1.0, max_delay=20.0)
