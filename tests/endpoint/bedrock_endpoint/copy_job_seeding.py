"""Seeding the Bedrock test endpoint's copy jobs: the ``POST /moto-api/bedrock/seed`` control call.

Many jobs at once, sorted in one pass (a 50,000-job seed must not insert one by one); a given status is pinned,
a ``Completed`` job registers its target model as a completed copy would.
"""

from __future__ import annotations

import time
from typing import Any

from . import DEFAULT_ACCOUNT_ID
from .common import (
    ControlError,
    Errors,
    check_keys,
    control_account,
    control_region,
    new_id,
    now_us,
    parse_timestamp,
    tags_to_list,
)
from .copy_jobs import COMPLETED, DEFAULT_FAILURE_MESSAGE, FAILED, IN_PROGRESS, CopyJob, Store, _split_model_arn


def seed(store: Store, payload: Any) -> dict[str, Any]:
    """Control API: store many jobs at once (sorted in one pass, not one insert per job)."""
    p = check_keys(payload, {"region", "account_id", "jobs", "generate"}, "seed")
    region = control_region(p.get("region"), "seed")
    account = control_account(p.get("account_id"), "seed")
    specs = p.get("jobs") or []
    if not isinstance(specs, list):
        raise ControlError("seed: jobs must be a list")
    with store.lock:
        new_jobs = [_seed_job(store, account, region, spec, f"seed: jobs[{i}]") for i, spec in enumerate(specs)]
        if p.get("generate") is not None:
            new_jobs.extend(_generate(store, account, region, p["generate"]))
        rj = store._region(account, region)
        taken = {job.job_arn for job in new_jobs if job.job_arn in rj.by_arn}
        for job in new_jobs:
            while job.job_arn in taken or job.job_arn in rj.by_arn:  # astronomically rare id collision
                job.job_id = new_id()
                job.job_arn = job.job_arn.rsplit("/", 1)[0] + "/" + job.job_id
        now = time.monotonic()
        for job in new_jobs:
            job.started = now
        rj.add_many(new_jobs)
        for job in new_jobs:
            if job.status == COMPLETED:
                store._register_target(job)
    result: dict[str, Any] = {"count": len(new_jobs)}
    if len(new_jobs) <= 1000:
        result["job_arns"] = [job.job_arn for job in new_jobs]
    return result


def _seed_source(store: Store, source_arn: Any, where: str) -> tuple[str, str]:
    errors = Errors()
    errors.string(source_arn, "ModelArn", "source_model_arn", required=True)
    errors.raise_control(f"{where}: ")
    account, _dummy, segment = _split_model_arn(source_arn)
    return account or DEFAULT_ACCOUNT_ID, segment


def _seed_job(store: Store, account: str, region: str, spec: Any, where: str) -> CopyJob:
    allowed = {
        "source_model_arn",
        "target_model_name",
        "status",
        "creation_time",
        "source_account_id",
        "target_model_tags",
        "target_model_kms_key_arn",
        "failure_message",
    }
    s = check_keys(spec, allowed, where)
    source_account, segment = _seed_source(store, s.get("source_model_arn"), where)
    errors = Errors()
    errors.string(s.get("target_model_name"), "CustomModelName", "target_model_name", required=True)
    errors.string(s.get("status"), "ModelCopyJobStatus", "status")
    errors.string(s.get("source_account_id"), "AccountId", "source_account_id")
    errors.raise_control(f"{where}: ")
    creation = now_us()
    if s.get("creation_time") is not None:
        parsed = parse_timestamp(s["creation_time"])
        if parsed is None:
            raise ControlError(f"{where}: creation_time must be ISO-8601")
        creation = parsed
    kms = s.get("target_model_kms_key_arn")
    message = s.get("failure_message")
    if not isinstance(kms, (str, type(None))) or not isinstance(message, (str, type(None))):
        raise ControlError(f"{where}: target_model_kms_key_arn and failure_message must be strings")
    status = s.get("status")
    if status == FAILED and not message:
        message = DEFAULT_FAILURE_MESSAGE
    return store._make_job(
        account,
        region,
        creation,
        s["source_model_arn"],
        s.get("source_account_id") or source_account,
        s["target_model_name"],
        kms,
        tags_to_list(s.get("target_model_tags"), f"{where}: target_model_tags"),
        segment,
        status or IN_PROGRESS,
        status is not None,
        message,
    )


def _generate(store: Store, account: str, region: str, gen: Any) -> list[CopyJob]:
    allowed = {
        "count",
        "source_model_arn",
        "target_model_name_prefix",
        "statuses",
        "start_time",
        "step_seconds",
        "source_account_ids",
        "tags",
    }
    g = check_keys(gen, allowed, "seed: generate")
    count = g.get("count")
    if isinstance(count, bool) or not isinstance(count, int) or not 0 <= count <= 1_000_000:
        raise ControlError("seed: generate.count must be an integer between 0 and 1000000")
    source_arn: Any = g.get("source_model_arn")
    source_account, segment = _seed_source(store, source_arn, "seed: generate")
    prefix = g.get("target_model_name_prefix", "copy-")
    statuses = g.get("statuses") or [None]
    accounts = g.get("source_account_ids") or [source_account]
    step = g.get("step_seconds", 60)
    if not isinstance(prefix, str) or not isinstance(statuses, list) or not isinstance(accounts, list):
        raise ControlError("seed: generate: target_model_name_prefix is a string; statuses, source_account_ids lists")
    if isinstance(step, bool) or not isinstance(step, (int, float)):
        raise ControlError("seed: generate.step_seconds must be a number")
    errors = Errors()
    for i, status in enumerate(statuses):
        if status is not None:
            errors.string(status, "ModelCopyJobStatus", f"statuses[{i}]")
    for i, acct in enumerate(accounts):
        errors.string(acct, "AccountId", f"source_account_ids[{i}]", required=True)
    width = max(6, len(str(count - 1)))
    if count:
        errors.string(f"{prefix}{count - 1:0{width}d}", "CustomModelName", "target_model_name_prefix")
    errors.raise_control("seed: generate: ")
    step_us = round(step * 1_000_000)
    if g.get("start_time") is None:
        start = now_us() - count * step_us
    else:
        parsed = parse_timestamp(g["start_time"])
        if parsed is None:
            raise ControlError("seed: generate.start_time must be ISO-8601")
        start = parsed
    tags = tags_to_list(g.get("tags"), "seed: generate.tags")
    jobs = []
    for i in range(count):
        status = statuses[i % len(statuses)]
        jobs.append(
            store._make_job(
                account,
                region,
                start + i * step_us,
                source_arn,
                accounts[i % len(accounts)],
                f"{prefix}{i:0{width}d}",
                None,
                tags,
                segment,
                status or IN_PROGRESS,
                status is not None,
                DEFAULT_FAILURE_MESSAGE if status == FAILED else None,
            )
        )
    return jobs
