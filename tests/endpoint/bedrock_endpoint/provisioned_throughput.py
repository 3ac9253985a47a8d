"""Provisioned Throughput for the Bedrock test endpoint: declarations over the generic table (resources.py).

Custom models come from the copy-job ``Store`` (registered through the control API or produced by completed
copies), whose lock the table shares so a model lookup and a create are one step. Where AWS documents a rule only
in prose (a commitment blocks delete, what ``desiredModelId`` may be, a model-unit quota) it is enforced here,
stricter rather than looser. ``Creating`` becomes ``InService`` ``create_seconds`` after the create (or ``Failed``
if a fail rule matches); ``Updating`` becomes ``InService`` on the desired model ``update_seconds`` after the update.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

from .common import (
    BedrockError,
    ControlError,
    Errors,
    check_keys,
    format_timestamp,
    not_found,
    now_us,
    partition_of,
    validation_error,
)
from .resource_control import control_target
from .resources import Record, ResourceTable, control_number, find_custom_model, model_status, positive_int

CREATING, IN_SERVICE, UPDATING, FAILED = "Creating", "InService", "Updating", "Failed"
DAY = 86400.0
COMMITMENT_SECONDS = {"OneMonth": 30 * DAY, "SixMonths": 180 * DAY}
DEFAULT_PROVISION_SECONDS = 10.0
DEFAULT_FAILURE_MESSAGE = "Provisioning failed: insufficient capacity for the requested model units. Try again later."


@dataclass(eq=False, kw_only=True)
class Throughput(Record):
    model_arn: str
    desired_model_arn: str
    foundation_model_arn: str
    model_units: int
    commitment: str | None = None
    commitment_expiration_us: int | None = None


class Throughputs(ResourceTable):
    """All provisioned throughputs, per account and region."""

    label, api_noun, arn_type = "provisioned model throughput", "ProvisionedModelThroughput", "provisioned-model"
    record_type, name_field, default_failure = Throughput, "provisionedModelName", DEFAULT_FAILURE_MESSAGE
    initial_status: ClassVar[dict[str, str]] = {"create": CREATING, "update": UPDATING}
    in_use_hint = "Delete that Provisioned Throughput or update it to another model first."
    control_prefix, control_id = "provisioned-throughputs", "provisioned_model_id"
    seed_keys = frozenset({"model_id", "model_units", "commitment_duration"})
    seed_prefix, seed_result, pages_stat = "pt-", "provisioned_model_arns", "provisioned_list_pages"

    def __init__(self, models: Any, provision_duration: float = DEFAULT_PROVISION_SECONDS) -> None:
        super().__init__(models, provision_duration)

    def warm_up(self) -> None:
        super().warm_up()
        Errors().string("x", "CommitmentDuration", "x")
        Errors().string("x", "FoundationModelArn", "x")

    # declarations the table calls

    def default_extra(self) -> dict[str, Any]:
        return {"commitment_seconds": dict(COMMITMENT_SECONDS), "model_unit_quota": None}

    def parse_extra(self, p: dict[str, Any], where: str) -> dict[str, Any]:
        quota = p.get("model_unit_quota")
        if quota is not None and (isinstance(quota, bool) or not isinstance(quota, int) or quota < 0):
            raise ControlError(f"{where}: model_unit_quota must be an integer >= 0 or null (no quota)")
        commitment = dict(COMMITMENT_SECONDS)
        raw_commitment = check_keys(p.get("commitment_seconds") or {}, COMMITMENT_SECONDS, f"{where}: commitment")
        for key, value in raw_commitment.items():
            seconds = control_number(value, f"{where}: commitment_seconds.{key}")
            commitment[key] = COMMITMENT_SECONDS[key] if seconds is None else seconds
        return {"commitment_seconds": commitment, "model_unit_quota": quota}

    def view(self, record: Throughput, summary: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "provisionedModelName": record.name,
            "provisionedModelArn": record.arn,
            "modelArn": record.model_arn,
            "desiredModelArn": record.desired_model_arn,
            "foundationModelArn": record.foundation_model_arn,
            "modelUnits": record.model_units,
            "desiredModelUnits": record.model_units,
            "status": record.status,
            "creationTime": format_timestamp(record.creation_us),
            "lastModifiedTime": format_timestamp(record.last_modified_us),
        }
        if record.commitment:
            out["commitmentDuration"] = record.commitment
            if record.commitment_expiration_us is not None:
                out["commitmentExpirationTime"] = format_timestamp(record.commitment_expiration_us)
        if not summary and record.status == FAILED and record.failure_message:
            out["failureMessage"] = record.failure_message
        return out

    def deployed_model(self, record: Throughput) -> str:
        return record.desired_model_arn

    def finish(self, record: Throughput, phase: str) -> None:
        record.status, record.model_arn = IN_SERVICE, record.desired_model_arn

    def fail_phase(self, record: Throughput, phase: str, message: str) -> None:
        record.status, record.failure_message = FAILED, message

    def on_forced_fail(self, record: Throughput) -> None:
        record.desired_model_arn = record.model_arn

    def build(self, account: str, region: str, name: str, creation: int, fields: dict[str, Any]) -> Throughput:
        pt: Throughput = self.new_record(
            account,
            region,
            name,
            creation,
            model_arn=fields["model_arn"],
            desired_model_arn=fields["model_arn"],
            foundation_model_arn=fields["foundation"],
            model_units=fields["units"],
            commitment=fields["commitment"],
            tags=dict(fields["tags"]),
        )
        if pt.commitment:
            term = self.lifecycle.extra["commitment_seconds"][pt.commitment]
            pt.commitment_expiration_us = creation + round(term * 1_000_000)
        return pt

    def seed_fields(self, account: str, region: str, spec: dict[str, Any], where: str) -> dict[str, Any]:
        errors = Errors()
        errors.string(spec.get("model_id"), "ModelIdentifier", "model_id", required=True)
        units = spec.get("model_units", 1)
        positive_int(errors, units, "model_units")
        errors.string(spec.get("commitment_duration"), "CommitmentDuration", "commitment_duration")
        errors.raise_control(f"{where}: ")
        model_arn, foundation = self.resolve_model(account, region, spec["model_id"], "model_id")
        return {
            "model_arn": model_arn,
            "foundation": foundation,
            "units": units,
            "commitment": spec.get("commitment_duration"),
        }

    def extra_routes(self) -> dict[tuple[str, str], Callable[[Any], Any]]:
        return {("POST", f"{self.control_prefix}/expire-commitment"): self.expire_commitment}

    # models

    def resolve_model(self, account: str, region: str, model_id: str, where: str) -> tuple[str, str]:
        """(model ARN, foundation-model ARN) for a modelId that passed the ModelIdentifier pattern."""
        partition = partition_of(region)
        if ":custom-model/" in model_id or not (model_id.startswith("arn:") or "." in model_id):
            record = find_custom_model(self.models, account, region, model_id)
            if record is None or record.account_id != account or record.region != region:
                raise not_found(f"The model {model_id} couldn't be found in {region}. Check {where} and try again.")
            if record.base_model_id == "imported":
                raise validation_error(f"The model {model_id} is an imported model; {where} must be a custom model.")
            status = model_status(self.models, record)
            if status != "Active":
                raise validation_error(f"The custom model {model_id} is {status}; {where} must be an Active model.")
            foundation = f"arn:{partition}:bedrock:{region}::foundation-model/{record.base_model_id}"
            return record.model_arn, foundation
        if model_id.startswith("arn:"):
            arn_region = model_id.split(":")[3]
            if arn_region != region:
                raise validation_error(
                    f"The foundation model {model_id} is in {arn_region}, not in {region}; {where} must be in {region}."
                )
            foundation = model_id
        else:
            foundation = f"arn:{partition}:bedrock:{region}::foundation-model/{model_id}"
        errors = Errors()
        errors.string(foundation, "FoundationModelArn", where)
        errors.raise_validation()
        return foundation, foundation

    def serves(self, record: Throughput, model_arn: str) -> bool:
        return model_arn in (record.model_arn, record.desired_model_arn)

    # operations

    def create(self, account: str, region: str, body: dict[str, Any]) -> str:
        request = self.read_request("create", body)
        name, model_id, units = request["provisionedModelName"], request["modelId"], request["modelUnits"]
        commitment, token, tags = request["commitmentDuration"], request["clientRequestToken"], request["tags"]
        self.check_tag_count(len(tags), "The request has")
        fingerprint = json.dumps([name, model_id, units, commitment, sorted(tags.items())])

        def make() -> Throughput:
            model_arn, foundation = self.resolve_model(account, region, model_id, "modelId")
            self.name_free(account, region, name, "provisionedModelName")
            quota = self.lifecycle.extra["model_unit_quota"]
            rt = self.region_table(account, region)
            used = sum(pt.model_units for pt in rt.items) if quota is not None else 0
            if quota is not None and used + units > quota:
                raise BedrockError(
                    "ServiceQuotaExceededException",
                    f"The request for {units} model units exceeds the quota of {quota} model units in {region} "
                    f"({used} in use). Request a quota increase or delete a Provisioned Throughput.",
                )
            fields = {"model_arn": model_arn, "foundation": foundation, "units": units, "commitment": commitment}
            return self.build(account, region, name, now_us(), {**fields, "tags": tags})

        return self.create_once(account, region, token, fingerprint, make)

    def update(self, account: str, region: str, identifier: str, body: dict[str, Any]) -> tuple[Any, int]:
        # modelUnits and commitmentDuration cannot change in place: AWS has no field for them here.
        request = self.read_request("update", body, {"provisionedModelId": identifier})
        new_name, desired = request["desiredProvisionedModelName"], request["desiredModelId"]
        with self.lock:
            pt = self.find(account, region, identifier)
            if pt.status != IN_SERVICE:
                raise validation_error(
                    f"The provisioned model throughput {pt.name} is {pt.status}; it can only be updated when InService."
                )
            model_arn = None
            if desired is not None:
                if pt.foundation_model_arn == pt.model_arn:
                    raise validation_error(
                        f"The provisioned model throughput {pt.name} serves the base model {pt.model_arn}; "
                        "desiredModelId can't be specified for a base-model Provisioned Throughput."
                    )
                model_arn, foundation = self.resolve_model(account, region, desired, "desiredModelId")
                if foundation != pt.foundation_model_arn:
                    raise validation_error(
                        f"desiredModelId {desired} was customized from {foundation}, but the provisioned model "
                        f"throughput {pt.name} serves models of {pt.foundation_model_arn}. Choose that base model "
                        "or a custom model customized from it."
                    )
            if new_name is not None and new_name != pt.name:
                self.name_free(account, region, new_name, "desiredProvisionedModelName")
            now = now_us()
            if new_name is not None and new_name != pt.name:
                self.region_table(account, region).rename(pt, new_name)
                pt.last_modified_us = now
            if model_arn is not None and model_arn != pt.model_arn:
                pt.desired_model_arn = model_arn
                self.begin(pt, "update", now)
        return {}, 200

    def delete(self, account: str, region: str, identifier: str) -> None:
        with self.lock:
            pt = self.find(account, region, identifier)
            if pt.status in (CREATING, UPDATING):
                raise BedrockError(
                    "ConflictException",
                    f"The provisioned model throughput {pt.name} is {pt.status}; wait until it is InService or "
                    "Failed before deleting it.",
                )
            if pt.commitment_expiration_us is not None and now_us() < pt.commitment_expiration_us:
                raise BedrockError(
                    "ConflictException",
                    f"The provisioned model throughput {pt.name} has a {pt.commitment} commitment that ends at "
                    f"{format_timestamp(pt.commitment_expiration_us)}; it can't be deleted before then.",
                )
            self.region_table(account, region).remove(pt)

    # control API

    def expire_commitment(self, payload: Any) -> dict[str, Any]:
        """Control: the throughput's commitment term ends now, so it can be deleted."""
        where = f"{self.control_prefix}/expire-commitment"
        with self.lock:
            _p, pt = control_target(self, payload, set(), where)
            if pt.commitment is None:
                raise ControlError(f"{where}: {pt.name} has no commitment")
            pt.commitment_expiration_us = now_us()
            return self.view(pt)
