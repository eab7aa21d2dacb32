from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

from textract_pipeline.resources.document_store import LocalDocumentStore
from textract_pipeline.resources.tracking import SqliteTrackingStore
from textract_pipeline.settings import Settings


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
