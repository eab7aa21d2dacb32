"""Persist asset manifests as JSON in the document store, so every run process can read them."""

import json
import typing
from typing import Any

import dagster as dg
from pydantic import BaseModel

from textract_pipeline.resources.document_store import DocumentStore

STATE_PREFIX = "pipeline-state/"


class JsonManifestIOManager(dg.ConfigurableIOManager):
    """Stores pydantic manifests at pipeline-state/<asset>/<partition>.json.

    Document assets hand over `{partition key: manifest}` for the documents of their run (one,
    or a batch): each manifest is its own file, and a document missing from the mapping (it
    failed in a batch) is simply not written, so the next step does not see it.
    """

    document_store: dg.ResourceDependency[DocumentStore]

    def _key(self, asset_key: dg.AssetKey, partition: str) -> str:
        return f"{STATE_PREFIX}{'/'.join(asset_key.path)}/{partition}.json"

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        if not context.has_asset_partitions:
            self._write(self._key(context.asset_key, "__unpartitioned__"), obj)
            return
        for partition in context.asset_partition_keys:
            key = self._key(context.asset_key, partition)
            if partition in obj:
                self._write(key, obj[partition])
            elif self.document_store.head(key) is not None:
                self.document_store.write_text(key, "null", "application/json")

    def _write(self, key: str, obj: Any) -> None:
        text = obj.model_dump_json(indent=2) if isinstance(obj, BaseModel) else json.dumps(obj, indent=2, default=str)
        self.document_store.write_text(key, text, "application/json")

    def load_input(self, context: dg.InputContext) -> Any:
        expected = context.dagster_type.typing_type
        if not context.has_asset_partitions:
            key = self._key(context.asset_key, "__unpartitioned__")
            return self._parse(self.document_store.read_bytes(key), expected)
        model = typing.get_args(expected)[1] if typing.get_origin(expected) is dict else Any
        manifests = {}
        for partition in context.asset_partition_keys:
            data = self.document_store.read_bytes_if_present(self._key(context.asset_key, partition))
            manifest = None if data is None else self._parse(data, model)
            if manifest is not None:
                manifests[partition] = manifest
        return manifests

    def _parse(self, data: bytes, model: Any) -> Any:
        if data == b"null":
            return None
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate_json(data)
        return json.loads(data)
