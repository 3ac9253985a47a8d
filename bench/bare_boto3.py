"""A bare boto3 listing: the paginator, nothing else. The in-process and memory rows compare against it.

As a script (``python bare_boto3.py ENDPOINT_URL REGION``) it lists every job and prints them as JSON,
which is what the module does with them too, so the peak RSS of the two processes compares like for like.
"""

from __future__ import annotations

import json
import sys
from typing import Any

import boto3


def client(endpoint_url: str, region: str) -> Any:
    return boto3.session.Session().client("bedrock", region_name=region, endpoint_url=endpoint_url)


def list_model_copy_jobs(bedrock: Any) -> list[dict[str, Any]]:
    jobs: list[dict[str, Any]] = []
    for page in bedrock.get_paginator("list_model_copy_jobs").paginate():
        jobs.extend(page["modelCopyJobSummaries"])
    return jobs


def main() -> None:
    jobs = list_model_copy_jobs(client(sys.argv[1], sys.argv[2]))
    json.dump({"model_copy_jobs": jobs}, sys.stdout, default=str)


if __name__ == "__main__":
    main()
