from __future__ import annotations

from typing import Any

import pytest

from ansible_collections.amazon.bedrock.plugins.module_utils._bedrock import (
    ListOperation,
    PagedListing,
    RetriesExhausted,
    RetryPolicy,
)
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
