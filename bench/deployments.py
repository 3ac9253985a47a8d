"""Row 11: API calls to list N custom model deployments with custom_model_deployment_info (see info_listing.py).

The AWS CLI's ``list-custom-model-deployments`` (default settings) lists the same deployments for comparison.
Both must return all N; the module must make ceil(N / 1000) calls, each page read once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import info_listing

if TYPE_CHECKING:
    from harness import Bench

LISTING = info_listing.InfoListing(
    number="11",
    key="deployments",
    noun="custom model deployments",
    module="custom_model_deployment_info",
    result_key="custom_model_deployments",
    operation="ListCustomModelDeployments",
    pages_stat="deployment_list_pages",
    seed_path="custom-model-deployments",
    seed_model_field="model_arn",
    cli_command="list-custom-model-deployments",
    cli_items="modelDeploymentSummaries",
)


def run(bench: Bench) -> None:
    info_listing.run(bench, LISTING)


def table_rows(results: dict[str, Any]) -> list[list[str]]:
    return info_listing.table_rows(results, LISTING)
