"""Custom model deployments (on-demand inference) for the Bedrock test endpoint: declarations over resources.py.

A deployment serves one custom model of its own account and region. ``Creating`` becomes ``Active`` (or
``Failed``) ``create_seconds`` after the create. An update points it at another model in place: the status stays
``Active`` and ``updateDetails`` goes ``Updating`` -> ``UpdateCompleted`` (``modelArn`` becomes the new model) or
``UpdateFailed`` (it keeps serving the old one) ``update_seconds`` later. Where the API reference leaves a case
open the endpoint takes the strict reading, with the error the operation lists: an update while ``Creating``,
``Failed`` or already ``Updating`` is a ``ValidationException`` (UpdateCustomModelDeployment lists no
ConflictException); a delete while ``Creating`` or ``Updating`` is a ``ConflictException``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, ClassVar

from .common import BedrockError, Errors, format_timestamp, not_found, now_us, validation_error
from .copy_jobs import ModelRecord
from .resources import Record, ResourceTable, find_custom_model, model_status

CREATING, ACTIVE, FAILED = "Creating", "Active", "Failed"
UPDATING, UPDATE_COMPLETED, UPDATE_FAILED = "Updating", "UpdateCompleted", "UpdateFailed"
DEFAULT_DEPLOYMENT_SECONDS = 10.0
DEFAULT_FAILURE_MESSAGE = "The deployment failed: the model could not be loaded for on-demand inference. Try again."


@dataclass(eq=False, kw_only=True)
class Deployment(Record):
    model_arn: str = ""
    description: str | None = None
    update_model_arn: str | None = None  # updateDetails.modelArn: the model of the last update
    update_status: str | None = None  # updateDetails.updateStatus


class Deployments(ResourceTable):
    """All custom model deployments, per account and region."""

    label, api_noun, arn_type = "custom model deployment", "CustomModelDeployment", "custom-model-deployment"
    phases = ("create", "update", "delete")  # delete_seconds: None = at once
    record_type, name_field, default_failure = Deployment, "modelDeploymentName", DEFAULT_FAILURE_MESSAGE
    initial_status: ClassVar[dict[str, str]] = {"create": CREATING}  # an update leaves the status Active
    in_use_hint = "Delete that deployment or update it to another model first."
    control_prefix, control_id = "custom-model-deployments", "deployment_id"
    seed_keys = frozenset({"model_arn", "description"})
    seed_prefix, seed_result, pages_stat = "deployment-", "custom_model_deployment_arns", "deployment_list_pages"

    def __init__(self, models: Any, deployment_duration: float = DEFAULT_DEPLOYMENT_SECONDS) -> None:
        super().__init__(models, deployment_duration)

    def default_seconds(self) -> dict[str, float | None]:
        return {**super().default_seconds(), "delete": None}

    # declarations the table calls

    def view(self, record: Deployment, summary: bool = False) -> dict[str, Any]:
        out: dict[str, Any] = {
            "customModelDeploymentArn": record.arn,
            "customModelDeploymentName" if summary else "modelDeploymentName": record.name,
            "modelArn": record.model_arn,
            "createdAt": format_timestamp(record.creation_us),
            "status": record.status,
            "lastUpdatedAt": format_timestamp(record.last_modified_us),
        }
        if record.failure_message and (record.status == FAILED or record.update_status == UPDATE_FAILED):
            out["failureMessage"] = record.failure_message
        if summary:
            return out
        if record.description is not None:
            out["description"] = record.description
        if record.update_status is not None:
            out["updateDetails"] = {"modelArn": record.update_model_arn, "updateStatus": record.update_status}
        return out

    def deployed_model(self, record: Deployment) -> str:
        return record.update_model_arn if record.phase == "update" and record.update_model_arn else record.model_arn

    def finish(self, record: Deployment, phase: str) -> None:
        if phase == "update":
            record.model_arn, record.update_status = record.update_model_arn or record.model_arn, UPDATE_COMPLETED
        else:
            record.status = ACTIVE

    def fail_phase(self, record: Deployment, phase: str, message: str) -> None:
        record.failure_message = message
        if phase == "update":
            record.update_status = UPDATE_FAILED  # it keeps serving the model it had
        else:
            record.status = FAILED

    def on_forced_fail(self, record: Deployment) -> None:
        if record.update_status == UPDATING:
            record.update_status = UPDATE_FAILED

    def build(self, account: str, region: str, name: str, creation: int, fields: dict[str, Any]) -> Deployment:
        deployment: Deployment = self.new_record(account, region, name, creation, tags=dict(fields["tags"]))
        deployment.model_arn, deployment.description = fields["model_arn"], fields.get("description")
        return deployment

    def seed_fields(self, account: str, region: str, spec: dict[str, Any], where: str) -> dict[str, Any]:
        errors = Errors()
        errors.string(spec.get("model_arn"), "CustomModelArn", "model_arn", required=True)
        errors.string(spec.get("description"), "CustomModelDeploymentDescription", "description")
        errors.raise_control(f"{where}: ")
        model = self.model(account, region, spec["model_arn"], "model_arn", need_active=False)
        return {"model_arn": model.model_arn, "description": spec.get("description")}

    # models

    def model(self, account: str, region: str, arn: str, where: str, need_active: bool = True) -> ModelRecord:
        """The custom model an ARN names in (account, region); it must be Active to be deployed."""
        record = find_custom_model(self.models, account, region, arn)
        if record is None or (record.account_id, record.region) != (account, region):
            raise not_found(f"The model {arn} couldn't be found in {region}. Check {where} and try again.")
        status = model_status(self.models, record)
        if need_active and status != ACTIVE:
            raise validation_error(f"The model {arn} is {status}; only an Active custom model can be deployed.")
        return record

    def serves(self, record: Deployment, model_arn: str) -> bool:
        return model_arn == record.model_arn or (
            record.update_status == UPDATING and model_arn == record.update_model_arn
        )

    # operations

    def create(self, account: str, region: str, body: dict[str, Any]) -> str:
        request = self.read_request("create", body)
        name, model_arn, description = request["modelDeploymentName"], request["modelArn"], request["description"]
        token, tags = request["clientRequestToken"], request["tags"]
        self.check_tag_count(len(tags), "The request has")
        fingerprint = json.dumps([name, model_arn, description, sorted(tags.items())])

        def make() -> Deployment:
            self.model(account, region, model_arn, "modelArn")
            self.name_free(account, region, name, "modelDeploymentName")
            fields = {"model_arn": model_arn, "description": description, "tags": tags}
            return self.build(account, region, name, now_us(), fields)

        return self.create_once(account, region, token, fingerprint, make)

    def update(self, account: str, region: str, identifier: str, body: dict[str, Any]) -> tuple[Any, int]:
        model_arn = self.read_request("update", body, {self.id_param: identifier})["modelArn"]
        with self.lock:
            d = self.find(account, region, identifier)
            if d.status != ACTIVE or d.phase is not None:
                state = "being deleted" if d.phase == "delete" else "Updating" if d.phase == "update" else d.status
                raise validation_error(
                    f"The custom model deployment {d.name} is {state}; it can only be updated when Active "
                    "and no other update is in progress."
                )
            self.model(account, region, model_arn, "modelArn")
            if model_arn != d.model_arn:
                d.update_model_arn, d.update_status = model_arn, UPDATING
                self.begin(d, "update", now_us())
            return {"customModelDeploymentArn": d.arn}, 202

    def delete(self, account: str, region: str, identifier: str) -> None:
        with self.lock:
            d = self.find(account, region, identifier)
            busy = {"update": UPDATING, "delete": "being deleted"}.get(d.phase or "")
            busy = busy or (CREATING if d.status == CREATING else None)
            if busy:
                raise BedrockError(
                    "ConflictException",
                    f"The custom model deployment {d.name} is {busy}; wait until it is Active or Failed "
                    "before deleting it.",
                )
            self.delete_now_or_later(d, now_us())
