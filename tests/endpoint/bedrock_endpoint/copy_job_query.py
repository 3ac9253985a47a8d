"""ListModelCopyJobs' query for the Bedrock test endpoint: its parameters read and validated as the service model
constrains them, and the fingerprint a page token is bound to."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass

from .common import QueryReader

MAX_RESULTS = 1000  # AWS documents the range 1-1000 and no default; the endpoint defaults to the maximum


@dataclass
class ListQuery:
    after: int | None
    before: int | None
    status: str | None
    source_account: str | None
    source_arn: str | None
    name_contains: str | None
    max_results: int
    token: str | None
    ascending: bool

    def fingerprint(self, account: str, region: str) -> str:
        """Identifies the filters and sort a token was issued for (maxResults may change between pages)."""
        basis = [account, region, self.after, self.before, self.status, self.source_account]
        basis += [self.source_arn, self.name_contains, self.ascending]
        return hashlib.sha256(json.dumps(basis).encode()).hexdigest()[:16]


def parse_list_query(query: Mapping[str, str]) -> ListQuery:
    """Validate ListModelCopyJobs query parameters (wire names) the way the service model constrains them."""
    q = QueryReader(query)
    after, before = q.timestamp("creationTimeAfter"), q.timestamp("creationTimeBefore")
    status = q.text("statusEquals", "ModelCopyJobStatus")
    source_account = q.text("sourceAccountEquals", "AccountId")
    source_arn = q.text("sourceModelArnEquals", "ModelArn")
    name_contains = q.text(
        "outputModelNameContains", "CustomModelName", "targetModelNameContains (outputModelNameContains)"
    )
    token = q.text("nextToken", "PaginationToken")
    q.text("sortBy", "SortJobsBy")
    order = q.text("sortOrder", "SortOrder")
    max_results = q.max_results(MAX_RESULTS)
    q.raise_validation()
    return ListQuery(
        after, before, status, source_account, source_arn, name_contains, max_results, token, order == "Ascending"
    )
