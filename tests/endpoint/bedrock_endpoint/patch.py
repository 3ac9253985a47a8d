"""Attach the model-copy-job operations to moto's Bedrock backend and response classes.

moto 5.2 maps a rest-json request to an operation through botocore's service model and then calls the
snake_case method of that name on ``BedrockResponse``; its catch-all ``{0}/.*$`` URL pattern already routes
``/model-copy-jobs`` there. Adding methods is therefore enough: no URL patterns, no fork of moto.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import parse_qsl, unquote

from moto.bedrock.models import BedrockBackend, CustomModel, bedrock_backends
from moto.bedrock.responses import BedrockResponse
from moto.utilities.utils import get_partition

from .common import BedrockError
from .copy_jobs import ModelRecord, Store
from .custom_models import delete_custom_model as _delete_model
from .custom_models import get_custom_model as _get_model
from .custom_models import list_custom_models as _list_models

_store: Store | None = None
_JSON = {"Content-Type": "application/json"}


def install(store: Store) -> None:
    """Route the three copy-job operations to `store` and mirror its custom models into moto's backend."""
    global _store
    _store = store
    BedrockResponse.bedrock_backend = property(_synced_backend)  # type: ignore[method-assign,assignment]
    BedrockBackend.create_model_copy_job = _backend_create  # type: ignore[attr-defined]
    BedrockBackend.get_model_copy_job = _backend_get  # type: ignore[attr-defined]
    BedrockBackend.list_model_copy_jobs = _backend_list  # type: ignore[attr-defined]
    BedrockResponse.create_model_copy_job = create_model_copy_job  # type: ignore[attr-defined]
    BedrockResponse.get_model_copy_job = get_model_copy_job  # type: ignore[attr-defined]
    BedrockResponse.list_model_copy_jobs = list_model_copy_jobs  # type: ignore[attr-defined]
    # moto's custom-model operations key models by name and compare a URL-encoded ARN as it arrives.
    BedrockResponse.get_custom_model = get_custom_model  # type: ignore[method-assign]
    BedrockResponse.delete_custom_model = delete_custom_model  # type: ignore[method-assign]
    BedrockResponse.list_custom_models = list_custom_models  # type: ignore[method-assign]


def _the_store() -> Store:
    if _store is None:
        raise RuntimeError("bedrock_endpoint.patch.install() has not been called")
    return _store


def _backend(response: BedrockResponse) -> BedrockBackend:
    return bedrock_backends[response.current_account][response.region]


def _synced_backend(response: BedrockResponse) -> BedrockBackend:
    """moto's own Bedrock operations first receive the custom models the endpoint registered since last time.

    Lazily, because a seed of 50,000 completed jobs would otherwise build 50,000 moto objects up front.
    """
    backend = _backend(response)
    store = _the_store()
    with store.lock:
        for record in store.take_new_models(backend.account_id, backend.region_name):
            mirror_into_moto(backend, record)
    return backend


# BedrockBackend methods: one backend exists per account and region, which is exactly the job scope.


def _backend_create(self: BedrockBackend, params: Any) -> str:
    return _the_store().create_job(self.account_id, self.region_name, params)


def _backend_get(self: BedrockBackend, job_arn: str) -> dict[str, Any]:
    return _the_store().get_job(self.account_id, self.region_name, job_arn)


def _backend_list(self: BedrockBackend, query: dict[str, str]) -> str:
    return _the_store().list_jobs(self.account_id, self.region_name, query)


# BedrockResponse methods: (body, headers-with-status) is what moto's call_action turns into a response.


def create_model_copy_job(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    try:
        params = json.loads(self.body or "{}")
    except ValueError:
        raise BedrockError("SerializationException", "The request body is not valid JSON.") from None
    job_arn = _backend(self).create_model_copy_job(params)  # type: ignore[attr-defined]
    return json.dumps({"jobArn": job_arn}), {"status": 201, **_JSON}


def get_model_copy_job(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    # The ARN contains ':' and '/', so take it from the still-encoded path rather than a decoded route match.
    encoded = self.path.split("/model-copy-jobs/", 1)[-1]
    job = _backend(self).get_model_copy_job(unquote(encoded))  # type: ignore[attr-defined]
    return json.dumps(job), {"status": 200, **_JSON}


def list_model_copy_jobs(self: BedrockResponse) -> tuple[bytes, dict[str, Any]]:
    body = _backend(self).list_model_copy_jobs(_query(self))  # type: ignore[attr-defined]
    # Bytes on purpose: moto's _enrich_response regex-scans str bodies for <RequestId>, ~10 ms on a full page.
    return body.encode(), {"status": 200, **_JSON}


def _query(response: BedrockResponse) -> dict[str, str]:
    # moto's own querystring falls back to the request headers when the query is empty; parse it ourselves.
    query: dict[str, str] = {}
    for key, value in parse_qsl(response.parsed_url.query, keep_blank_values=True):
        query.setdefault(key, value)
    return query


def _model_identifier(response: BedrockResponse) -> str:
    # An ARN identifier arrives URL-encoded (':' and '/'); decode it once, from the raw path.
    return unquote(response.path.split("?", 1)[0].split("/custom-models/", 1)[-1])


def get_custom_model(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    backend = _backend(self)
    model = _get_model(_the_store(), backend.account_id, backend.region_name, _model_identifier(self))
    return json.dumps(model), {"status": 200, **_JSON}


def delete_custom_model(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    backend = self.bedrock_backend  # mirrors pending models first, so the one deleted cannot reappear
    record = _delete_model(_the_store(), backend.account_id, backend.region_name, _model_identifier(self))
    mirrored = backend.custom_models.get(record.model_name)
    if mirrored is not None and mirrored.model_arn == record.model_arn:
        del backend.custom_models[record.model_name]
    backend.tagger.delete_all_tags_for_resource(record.model_arn)
    return "{}", {"status": 200, **_JSON}


def list_custom_models(self: BedrockResponse) -> tuple[str, dict[str, Any]]:
    backend = _backend(self)
    page = _list_models(_the_store(), backend.account_id, backend.region_name, _query(self))
    return json.dumps(page), {"status": 200, **_JSON}


def mirror_into_moto(backend: BedrockBackend, record: ModelRecord) -> None:
    """Make moto's GetCustomModel/ListCustomModels see a model the endpoint registered."""
    partition = get_partition(record.region)
    model = CustomModel(
        model_name=record.model_name,
        job_name="",
        job_arn=record.job_arn or "",
        base_model_arn=f"arn:{partition}:bedrock:{record.region}::foundation-model/{record.base_model_id}",
        hyper_parameters={},
        output_data_config={},
        training_data_config={},
        training_metrics={},
        base_model_name=record.base_model_id,
        region_name=record.region,
        account_id=record.account_id,
        customization_type=None,
        model_kms_key_arn=record.kms_key_arn,
        validation_data_config=None,
        validation_metrics=None,
    )
    model.model_arn = record.model_arn  # moto would derive custom-model/<name>, which is not an AWS model ARN
    backend.custom_models[record.model_name] = model
    if record.tags:
        backend.tagger.tag_resource(record.model_arn, [{"Key": k, "Value": v} for k, v in record.tags.items()])
