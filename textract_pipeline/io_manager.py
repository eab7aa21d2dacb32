"""Persist asset manifests as JSON in the document store, so every run process can read them."""

import json
import typing
from typing import Any

import dagster as dg
from pydantic import BaseModel

from textract_pipeline.resources.document_store import DocumentStore
from textract_pipeline.resources.tracking import TrackingStore

STATE_PREFIX = "pipeline-state/"
UNPARTITIONED = "__unpartitioned__"


class JsonManifestIOManager(dg.ConfigurableIOManager):
    """Stores pydantic manifests at pipeline-state/<asset>/<document id>/<attempt>.json.

    Document assets hand over `{document id: manifest}` for the documents they made (one, or a
    range); a document missing from the mapping (it failed, or a newer attempt owns it) gets no
    file, so the next step does not see it. Each manifest is filed under the attempt it belongs
    to and read back for the document's current attempt only, so a superseded run can neither
    overwrite a newer attempt's state nor be read in its place.
    """

    document_store: dg.ResourceDependency[DocumentStore]
    tracking: dg.ResourceDependency[TrackingStore]

    def _key(self, asset_key: dg.AssetKey, *parts: str) -> str:
        return f"{STATE_PREFIX}{'/'.join(asset_key.path)}/{'/'.join(parts)}.json"

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        if not context.has_asset_partitions:
            self._write(self._key(context.asset_key, UNPARTITIONED), obj)
            return
        for document_id, manifest in obj.items():
            self._write(self._key(context.asset_key, document_id, manifest.document.attempt_id), manifest)

    def _write(self, key: str, obj: Any) -> None:
        text = obj.model_dump_json(indent=2) if isinstance(obj, BaseModel) else json.dumps(obj, indent=2, default=str)
        self.document_store.write_text(key, text, "application/json")

    def load_input(self, context: dg.InputContext) -> Any:
        expected = context.dagster_type.typing_type
        if not context.has_asset_partitions:
            return self._parse(self.document_store.read_bytes(self._key(context.asset_key, UNPARTITIONED)), expected)
        model = typing.get_args(expected)[1] if typing.get_origin(expected) is dict else Any
        manifests = {}
        for document_id in context.asset_partition_keys:
            record = self.tracking.get(document_id)
            if record is None or record.attempt_id is None:
                continue
            data = self.document_store.read_bytes_if_present(
                self._key(context.asset_key, document_id, record.attempt_id)
            )
            if data is not None:
                manifests[document_id] = self._parse(data, model)
        return manifests

    def _parse(self, data: bytes, model: Any) -> Any:
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate_json(data)
        return json.loads(data)
