"""Persist asset manifests as JSON in the document store, so every run process can read them."""

import json
from typing import Any

import dagster as dg
from pydantic import BaseModel

from textract_pipeline.resources.document_store import DocumentStore

STATE_PREFIX = "pipeline-state/"


class JsonManifestIOManager(dg.ConfigurableIOManager):
    """Stores pydantic manifests at pipeline-state/<asset>/<partition>.json."""

    document_store: dg.ResourceDependency[DocumentStore]

    def _key(self, context: dg.OutputContext | dg.InputContext) -> str:
        asset_path = "/".join(context.asset_key.path)
        partition = context.asset_partition_key if context.has_asset_partitions else "__unpartitioned__"
        return f"{STATE_PREFIX}{asset_path}/{partition}.json"

    def handle_output(self, context: dg.OutputContext, obj: Any) -> None:
        if obj is None:
            return
        text = obj.model_dump_json(indent=2) if isinstance(obj, BaseModel) else json.dumps(obj, indent=2, default=str)
        self.document_store.write_text(self._key(context), text, "application/json")

    def load_input(self, context: dg.InputContext) -> Any:
        text = self.document_store.read_text(self._key(context))
        model = context.dagster_type.typing_type
        if isinstance(model, type) and issubclass(model, BaseModel):
            return model.model_validate_json(text)
        return json.loads(text)
