"""The thing we beat: the common amazon.aws listing pattern, kept here as written in many modules.

``AWSRetry.jittered_backoff`` wraps a function that runs the paginator to the end with
``build_full_result()``. A throttle that outlasts botocore's own retries on page 9 raises out of
``build_full_result``, and the decorator calls the function again: the listing restarts at page 1.

Its default error codes do not include Bedrock's ``ThrottlingException``; without
``catch_extra_error_codes`` it would not retry at all. The benchmark gives it that code (what a module
author writes for Bedrock) and keeps every other default (10 retries, 3 s initial delay, jitter).
"""

from __future__ import annotations

from typing import Any

from ansible_collections.amazon.aws.plugins.module_utils.retries import AWSRetry


@AWSRetry.jittered_backoff(catch_extra_error_codes=["ThrottlingException"])
def list_model_copy_jobs(client: Any, **filters: Any) -> list[dict[str, Any]]:
    paginator = client.get_paginator("list_model_copy_jobs")
    return paginator.paginate(**filters).build_full_result()["modelCopyJobSummaries"]
