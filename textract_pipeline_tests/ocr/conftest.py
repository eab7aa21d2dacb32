"""Generated page images with known content, and one shared engine (tesseract loads once)."""

from __future__ import annotations

import io
from importlib import resources
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageFont

from textract_pipeline.ocr import LocalOcrEngine

# Arial as shipped inside amazon-textract-textractor, a dependency already: no system fonts needed.
FONT_PATH = str(resources.files("textractor") / "visualizers" / "arial.ttf")
FONT_PIXELS = 42  # 10 pt at 300 dpi


def font(size: int = FONT_PIXELS) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(FONT_PATH, size)


def blank_page(width: int = 2550, height: int = 1200) -> Image.Image:
    return Image.new("L", (width, height), 255)


def draw_text(page: Image.Image, xy: tuple[int, int], text: str, size: int = FONT_PIXELS) -> None:
    ImageDraw.Draw(page).text(xy, text, font=font(size), fill=0)


def encode(image: Image.Image, fmt: str = "PNG", **options) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=fmt, **options)
    return buffer.getvalue()


def blocks_of(response: dict, block_type: str) -> list[dict]:
    return [block for block in response["Blocks"] if block["BlockType"] == block_type]


def by_id(response: dict) -> dict[str, dict]:
    return {block["Id"]: block for block in response["Blocks"]}


def child_texts(block: dict, blocks: dict[str, dict]) -> str:
    ids = [i for rel in block.get("Relationships", []) if rel["Type"] == "CHILD" for i in rel["Ids"]]
    return " ".join(blocks[i]["Text"] for i in ids if blocks[i]["BlockType"] == "WORD")


@pytest.fixture(scope="session")
def engine() -> LocalOcrEngine:
    return LocalOcrEngine()


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return Path(__file__).parent / "fixtures"
