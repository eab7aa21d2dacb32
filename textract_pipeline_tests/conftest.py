from __future__ import annotations

import io
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

# Retries back off for 0 s in tests (read when textract_pipeline.retries is imported, just below).
os.environ.setdefault("TEXTRACT_PIPELINE_RETRY_DELAY_SECONDS", "0")

import dagster as dg
import pytest
from PIL import Image, ImageDraw

from textract_pipeline.assets import extraction, reports, results, source, textract
from textract_pipeline.documents import document_id_for_key, documents_partitions
from textract_pipeline.io_manager import JsonManifestIOManager
from textract_pipeline.resources.document_store import LocalDocumentStore
from textract_pipeline.resources.extractor import DeterministicExtractorResource
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.settings import Settings
from textract_pipeline.validation import DocumentLimits
from textract_pipeline_tests.fakes import FixtureTextract

DOCUMENT_ASSETS = dg.load_assets_from_modules([source, textract, extraction, reports, results])


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.from_environ({"TEXTRACT_PIPELINE_DATA_DIR": str(tmp_path / "data")})


@pytest.fixture
def document_store(settings: Settings) -> LocalDocumentStore:
    return LocalDocumentStore(root=str(settings.data_dir))


@pytest.fixture
def tracking(settings: Settings) -> SqliteTrackingStore:
    return SqliteTrackingStore(path=str(settings.tracking_path))


def tiff_bytes(pages: int = 1, size: tuple[int, int] = (850, 1100), text: str = "GRANT DEED") -> bytes:
    """A small bilevel Group-4 TIFF, like a recorder's scan."""
    images = []
    for page in range(pages):
        image = Image.new("1", size, 1)
        ImageDraw.Draw(image).text((100, 100), f"{text} page {page + 1}", fill=0)
        images.append(image)
    buffer = io.BytesIO()
    images[0].save(buffer, format="TIFF", compression="group4", dpi=(300, 300), save_all=True, append_images=images[1:])
    return buffer.getvalue()


@pytest.fixture
def make_tiff():
    return tiff_bytes


@pytest.fixture
def instance():
    with dg.instance_for_test() as instance:
        yield instance


@pytest.fixture
def fake_textract(tmp_path):
    def build(kind: type[FixtureTextract] = FixtureTextract, **options) -> FixtureTextract:
        return kind(state_dir=str(tmp_path / "textract"), **options)

    return build


@pytest.fixture
def run_document(instance, document_store, tracking):
    """Upload (if needed), register as the sensor would, and materialize one document's partition."""

    def run(key: str, data: bytes | None, textract_service, selection=None, **overrides) -> dg.ExecuteInProcessResult:
        store = overrides.get("document_store", document_store)
        if data is not None and (store.head(key) is None or store.read_bytes(key) != data):
            store.write_bytes(key, data)
        document_id = document_id_for_key(key)
        stored = store.head(key) if data is not None else overrides.pop("stored")
        tracking.register_upload(document_id, stored)
        instance.add_dynamic_partitions(documents_partitions.name, [document_id])
        resources = {
            "document_store": store,
            "tracking": tracking,
            "textract": textract_service,
            "extractor": DeterministicExtractorResource(),
            "document_limits": DocumentLimits(),
            "io_manager": JsonManifestIOManager(document_store=store, tracking=tracking),
            **overrides,
        }
        return dg.materialize(
            DOCUMENT_ASSETS,
            selection=selection,
            partition_key=document_id,
            instance=instance,
            raise_on_error=False,
            resources=resources,
        )

    return run


@pytest.fixture
def shared_folder() -> Iterator[Path]:
    """A folder another user may enter (pytest's tmp_path is private to its owner)."""
    folder = Path(tempfile.mkdtemp(prefix="status-read-only-"))
    folder.chmod(0o755)
    yield folder
    for path in (folder, *folder.rglob("*")):
        path.chmod(0o755 if path.is_dir() else 0o644)
    shutil.rmtree(folder)
