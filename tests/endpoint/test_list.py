"""ListModelCopyJobs: server-side filters, sort orders, cursor paging, token checks, bad parameters."""

from __future__ import annotations

import statistics
from datetime import datetime, timedelta, timezone
from typing import Any

import pytest

T0 = datetime(2024, 3, 1, tzinfo=timezone.utc)
OTHER_ACCOUNT = "210987654321"


def _iso(dt: datetime) -> str:
    return dt.isoformat().replace("+00:00", "Z")


@pytest.fixture
def catalogue(endpoint: Any) -> dict[str, Any]:
    """Twelve pinned jobs in us-west-2 with every filterable attribute varied; returns the expectation data."""
    src_a = endpoint.source_model("us-east-1", "alpha")
    src_b = endpoint.source_model("us-east-1", "beta", account_id=OTHER_ACCOUNT)
    specs = []
    for i in range(12):
        specs.append(
            {
                "source_model_arn": src_a if i % 2 == 0 else src_b,
                "target_model_name": f"{'blue' if i % 3 == 0 else 'green'}-model-{i}",
                "status": ("InProgress", "Completed", "Failed")[i % 3],
                "creation_time": _iso(T0 + timedelta(hours=i)),
            }
        )
    arns = endpoint.control("POST", "seed", {"region": "us-west-2", "jobs": specs})["job_arns"]
    # Noise elsewhere that no us-west-2 listing may return.
    endpoint.control("POST", "seed", {"region": "us-east-1", "jobs": specs[:3]})
    return {"specs": specs, "arns": arns, "src_a": src_a, "src_b": src_b}


def _list_all(client: Any, **kwargs: Any) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    while True:
        page = client.list_model_copy_jobs(**kwargs)
        jobs.extend(page["modelCopyJobSummaries"])
        if "nextToken" not in page:
            return jobs
        kwargs["nextToken"] = page["nextToken"]


def _expected(catalogue: dict[str, Any], keep: Any) -> list[str]:
    """ARNs of matching jobs, newest first (the default Descending order)."""
    pairs = [(spec, arn) for spec, arn in zip(catalogue["specs"], catalogue["arns"]) if keep(spec)]
    return [arn for _dummy, arn in reversed(pairs)]


FILTERS: dict[str, tuple[dict[str, Any], Any]] = {
    "no filter": ({}, lambda s, c: True),
    "statusEquals": ({"statusEquals": "Failed"}, lambda s, c: s["status"] == "Failed"),
    "sourceAccountEquals": ({"sourceAccountEquals": OTHER_ACCOUNT}, lambda s, c: s["source_model_arn"] == c["src_b"]),
    "sourceModelArnEquals": ({"sourceModelArnEquals": "src_a"}, lambda s, c: s["source_model_arn"] == c["src_a"]),
    "targetModelNameContains": ({"targetModelNameContains": "blue"}, lambda s, c: "blue" in s["target_model_name"]),
    "creationTimeAfter": (
        {"creationTimeAfter": T0 + timedelta(hours=8)},
        lambda s, c: s["creation_time"] > _iso(T0 + timedelta(hours=8)),
    ),
    "creationTimeBefore": (
        {"creationTimeBefore": T0 + timedelta(hours=3)},
        lambda s, c: s["creation_time"] < _iso(T0 + timedelta(hours=3)),
    ),
    "combined": (
        {"statusEquals": "Completed", "targetModelNameContains": "model-1", "sourceModelArnEquals": "src_a"},
        lambda s, c: (
            s["status"] == "Completed" and "model-1" in s["target_model_name"] and s["source_model_arn"] == c["src_a"]
        ),
    ),
}


@pytest.mark.parametrize("name", list(FILTERS))
def test_each_filter_returns_exactly_the_matching_jobs(endpoint: Any, catalogue: dict[str, Any], name: str) -> None:
    kwargs, keep = FILTERS[name]
    kwargs = {k: catalogue.get(v, v) if isinstance(v, str) else v for k, v in kwargs.items()}
    got = [job["jobArn"] for job in _list_all(endpoint.client("us-west-2"), **kwargs)]
    want = _expected(catalogue, lambda spec: keep(spec, catalogue))
    assert got == want
    assert 0 < len(want) < 12 or name == "no filter"  # the catalogue makes every filter select a proper subset


def test_filters_are_applied_server_side(endpoint: Any, catalogue: dict[str, Any]) -> None:
    status, _dummy, body = endpoint.raw(
        "GET", "/model-copy-jobs", {"statusEquals": "Completed", "outputModelNameContains": "green"}, region="us-west-2"
    )
    assert status == 200
    assert {job["targetModelName"] for job in body["modelCopyJobSummaries"]} == {
        "green-model-1",
        "green-model-4",
        "green-model-7",
        "green-model-10",
    }


def test_summaries_carry_the_job_fields(endpoint: Any, catalogue: dict[str, Any]) -> None:
    jobs = endpoint.client("us-west-2").list_model_copy_jobs(statusEquals="Failed")["modelCopyJobSummaries"]
    assert jobs
    for job in jobs:
        assert job["failureMessage"]
        assert job["sourceModelName"] in ("alpha", "beta")
        assert job["sourceAccountId"] in ("123456789012", OTHER_ACCOUNT)
        assert set(job) >= {"jobArn", "status", "creationTime", "targetModelArn", "targetModelName", "sourceModelArn"}


def test_sort_orders(endpoint: Any, catalogue: dict[str, Any]) -> None:
    client = endpoint.client("us-west-2")
    default = [j["creationTime"] for j in client.list_model_copy_jobs()["modelCopyJobSummaries"]]
    descending = [
        j["creationTime"]
        for j in client.list_model_copy_jobs(sortBy="CreationTime", sortOrder="Descending")["modelCopyJobSummaries"]
    ]
    ascending = [
        j["creationTime"]
        for j in client.list_model_copy_jobs(sortBy="CreationTime", sortOrder="Ascending")["modelCopyJobSummaries"]
    ]
    assert default == descending == sorted(default, reverse=True)
    assert ascending == sorted(default)
    assert len(ascending) == 12


@pytest.mark.parametrize("order", ["Ascending", "Descending"])
def test_paging_2500_jobs_returns_each_exactly_once(endpoint: Any, order: str) -> None:
    source = endpoint.source_model()
    generate = {"count": 2500, "source_model_arn": source, "statuses": ["Completed"], "step_seconds": 0.5}
    endpoint.control("POST", "seed", {"region": "us-east-1", "generate": generate})
    client = endpoint.client()
    pages = []
    kwargs: dict[str, Any] = {"maxResults": 1000, "sortOrder": order}
    while True:
        page = client.list_model_copy_jobs(**kwargs)
        pages.append(page["modelCopyJobSummaries"])
        if len(pages) == 1:  # jobs created mid-paging must neither repeat nor hide seeded ones
            client.create_model_copy_job(sourceModelArn=source, targetModelName="created-while-paging")
        if "nextToken" not in page:
            break
        kwargs["nextToken"] = page["nextToken"]
    names = [job["targetModelName"] for page in pages for job in page]
    seeded = [n for n in names if n.startswith("copy-")]
    assert [len(p) for p in pages][:2] == [1000, 1000]
    assert len(seeded) == len(set(seeded)) == 2500
    assert names.count("created-while-paging") == (1 if order == "Ascending" else 0)
    times = [job["creationTime"] for page in pages for job in page]
    assert times == sorted(times, reverse=order == "Descending")


def test_last_page_has_no_token(endpoint: Any) -> None:
    source = endpoint.source_model()
    endpoint.control("POST", "seed", {"region": "us-east-1", "generate": {"count": 4, "source_model_arn": source}})
    client = endpoint.client()
    first = client.list_model_copy_jobs(maxResults=2)
    second = client.list_model_copy_jobs(maxResults=2, nextToken=first["nextToken"])
    assert len(second["modelCopyJobSummaries"]) == 2
    assert "nextToken" not in second
    assert "nextToken" not in client.list_model_copy_jobs(maxResults=4)


def _first_token(endpoint: Any, **kwargs: Any) -> str:
    source = endpoint.source_model()
    endpoint.control("POST", "seed", {"region": "us-east-1", "generate": {"count": 5, "source_model_arn": source}})
    return endpoint.client().list_model_copy_jobs(maxResults=2, **kwargs)["nextToken"]


def _token_error(endpoint: Any, error_of: Any, token: str, **kwargs: Any) -> str:
    err = error_of(endpoint.client().list_model_copy_jobs, maxResults=2, nextToken=token, **kwargs)
    assert err.response["Error"]["Code"] == "ValidationException"
    message = err.response["Error"]["Message"]
    assert "nextToken" in message
    return message


def test_tampered_token_is_rejected(endpoint: Any, error_of: Any) -> None:
    token = _first_token(endpoint)
    flipped = token[:5] + ("A" if token[5] != "A" else "B") + token[6:]
    _token_error(endpoint, error_of, flipped)
    _token_error(endpoint, error_of, "garbage")
    _token_error(endpoint, error_of, "0")


def test_token_for_other_filters_or_sort_is_rejected(endpoint: Any, error_of: Any) -> None:
    token = _first_token(endpoint)
    _token_error(endpoint, error_of, token, sortOrder="Ascending")
    _token_error(endpoint, error_of, token, statusEquals="InProgress")
    err = error_of(endpoint.client("us-west-2").list_model_copy_jobs, nextToken=token)
    assert "nextToken" in err.response["Error"]["Message"]
    # The same filters with another page size are the same listing: allowed.
    assert endpoint.client().list_model_copy_jobs(maxResults=3, nextToken=token)["modelCopyJobSummaries"]


def test_token_from_before_a_reset_is_expired(endpoint: Any, error_of: Any) -> None:
    token = _first_token(endpoint)
    endpoint.control("POST", "reset")
    assert "expired" in _token_error(endpoint, error_of, token)


BAD_QUERIES = [
    ({"maxResults": "0"}, "maxResults"),
    ({"maxResults": "1001"}, "maxResults"),
    ({"maxResults": "ten"}, "maxResults"),
    ({"statusEquals": "Done"}, "statusEquals"),
    ({"sortOrder": "Sideways"}, "sortOrder"),
    ({"sortBy": "Name"}, "sortBy"),
    ({"sourceAccountEquals": "12345"}, "sourceAccountEquals"),
    ({"sourceModelArnEquals": "arn:aws:bedrock:us-east-1:123456789012:model/x"}, "sourceModelArnEquals"),
    ({"outputModelNameContains": "bad name!"}, "outputModelNameContains"),
    ({"creationTimeAfter": "yesterday"}, "creationTimeAfter"),
    ({"creationTimeBefore": "2024-13-45"}, "creationTimeBefore"),
    ({"nextToken": ""}, "nextToken"),
]


@pytest.mark.parametrize(("query", "parameter"), BAD_QUERIES)
def test_bad_parameters_are_rejected_with_their_name(endpoint: Any, query: dict[str, str], parameter: str) -> None:
    status, headers, body = endpoint.raw("GET", "/model-copy-jobs", query)
    assert status == 400
    assert headers["x-amzn-errortype"] == "ValidationException"
    assert parameter in body["message"]


def test_max_results_bounds_are_accepted(endpoint: Any) -> None:
    for value in ("1", "1000"):
        assert endpoint.raw("GET", "/model-copy-jobs", {"maxResults": value})[0] == 200


def test_a_page_is_cheap_with_50000_jobs(endpoint: Any) -> None:
    """Benchmarks page through 50k jobs; each page must not cost a scan or sort of the whole region."""
    source = endpoint.source_model()
    generate = {"count": 50_000, "source_model_arn": source, "statuses": ["Completed", "Failed", "InProgress"]}
    seeded = endpoint.control("POST", "seed", {"region": "us-east-1", "generate": generate})
    assert seeded == {"count": 50_000}
    endpoint.control("POST", "stats/reset")
    query: dict[str, str] = {"maxResults": "1000"}
    pages = 0
    while True:
        status, _dummy, body = endpoint.raw("GET", "/model-copy-jobs", query)
        assert status == 200
        pages += 1
        if "nextToken" not in body:
            break
        query["nextToken"] = body["nextToken"]
    assert pages == 50
    stats = endpoint.control("GET", "stats")
    assert stats["list_pages"] == {str(n): 1 for n in range(1, 51)}
    elapsed = [entry["elapsed_ms"] for entry in stats["log"]]
    assert statistics.median(elapsed) < 50, elapsed
