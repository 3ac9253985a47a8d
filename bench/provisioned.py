"""Row 9: API calls to list N Provisioned Throughputs with provisioned_model_throughput_info (see info_listing.py).

The AWS CLI's ``list-provisioned-model-throughputs`` (default settings) lists the same throughputs for comparison.
Both must return all N; the module must make ceil(N / 1000) calls.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import info_listing

if TYPE_CHECKING:
    from harness import Bench

LISTING = info_listing.InfoListing(
    number="9",
    key="provisioned",
    noun="provisioned throughputs",
    module="provisioned_model_throughput_info",
    result_key="provisioned_model_throughputs",
    operation="ListProvisionedModelThroughputs",
    pages_stat="provisioned_list_pages",
    seed_path="provisioned-throughputs",
    seed_model_field="model_id",
    cli_command="list-provisioned-model-throughputs",
    cli_items="provisionedModelSummaries",
)


def run(bench: Bench) -> None:
    info_listing.run(bench, LISTING)


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    return info_listing.table_rows(results, LISTING)
