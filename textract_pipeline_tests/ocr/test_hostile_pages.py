"""Pages that must fail their document (or warn) instead of being dropped, hanging or crashing the caller.

Every hostile input is generated here at run time.
"""

from __future__ import annotations

import io
import json
import os
import random
import signal
import time

import pytest
from PIL import Image, ImageDraw

from textract_pipeline.ocr import engine as engine_module
from textract_pipeline.ocr import isolation, preprocess
from textract_pipeline.ocr.budget import PageTimeoutError
from textract_pipeline.ocr.engine import LocalOcrEngine
from textract_pipeline.ocr.errors import UnreadableDocumentError
from textract_pipeline.ocr.isolation import IsolatedOcrEngine
from textract_pipeline.ocr.words import Recognition
from textract_pipeline.resources import textract as textract_resource
from textract_pipeline.resources.textract import AnalysisRequest, JobStatus, LocalTextract
from textract_pipeline_tests.ocr.conftest import blank_page, draw_text, encode


def text_page(text: str) -> Image.Image:
    page = blank_page(1400, 400)
    draw_text(page, (60, 60), text)
    return page


def three_page_tiff(compression: str) -> bytes:
    pages = [text_page(f"Page {n} of the recorded deed").convert("1") for n in (1, 2, 3)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:], compression=compression)
    return buffer.getvalue()


def with_page_scrambled(data: bytes, page_index: int) -> bytes:
    """The TIFF with the bytes of one page's first strip overwritten, its directory left intact."""
    image = Image.open(io.BytesIO(data))
    image.seek(page_index)
    offset, length = image.tag_v2[273][0], image.tag_v2[279][0]
    damaged = bytearray(data)
    for position in range(offset, offset + length):
        damaged[position] = 0xFF ^ (position * 37 & 0xFF)
    return bytes(damaged)


def scribbled_page(seed: int = 1) -> Image.Image:
    """Sixty pen circles the size of large letters: ink, but no text."""
    rng = random.Random(seed)
    page = blank_page(1700, 2200)
    draw = ImageDraw.Draw(page)
    for _ in range(60):
        x, y = rng.randrange(100, 1500), rng.randrange(100, 2000)
        draw.ellipse((x, y, x + 30, y + 30), outline=0, width=3)
    return page


# --- pages that do not decode -------------------------------------------------------------------


@pytest.mark.parametrize("compression", ["group4", "tiff_lzw"])
def test_a_page_that_does_not_decode_fails_the_document_naming_it(engine: LocalOcrEngine, compression: str) -> None:
    damaged = with_page_scrambled(three_page_tiff(compression), 1)
    pages = engine.analyze_pages(damaged)
    number, _ = next(pages)
    assert number == 1
    with pytest.raises(UnreadableDocumentError, match="page 2 of 3 could not be decoded: .*damaged"):
        next(pages)


def test_an_intact_tiff_reads_every_page(engine: LocalOcrEngine) -> None:
    lines = [b["Text"] for b in engine.analyze(three_page_tiff("group4"))["Blocks"] if b["BlockType"] == "LINE"]
    assert lines == [f"Page {n} of the recorded deed" for n in (1, 2, 3)]


# --- pages with ink and no text -----------------------------------------------------------------


def test_a_page_with_ink_but_no_text_is_a_textract_style_warning(engine: LocalOcrEngine) -> None:
    pages = [text_page("A page of text"), scribbled_page(), blank_page(1400, 400)]
    buffer = io.BytesIO()
    pages[0].save(buffer, format="TIFF", save_all=True, append_images=pages[1:])
    response = engine.analyze(buffer.getvalue())
    assert response["DocumentMetadata"]["Pages"] == 3
    # The scribbles warn; the blank page has no ink and does not.
    assert response["Warnings"] == [{"ErrorCode": "NO_TEXT_ON_INKED_PAGE", "Pages": [2]}]


def test_a_page_with_text_has_no_warning(engine: LocalOcrEngine) -> None:
    assert "Warnings" not in engine.analyze(encode(text_page("Grantor: Jane Doe")))


# --- bounded work per page ----------------------------------------------------------------------


def test_the_working_image_of_tiny_text_is_capped(engine: LocalOcrEngine, monkeypatch: pytest.MonkeyPatch) -> None:
    """6-px text on a 2400x2400 page would be upscaled 3x to 52 megapixels; it is read within the cap."""
    page = blank_page(2400, 2400)
    for row in range(40):
        draw_text(page, (40, 40 + row * 55), "the quick brown fox jumps over the lazy dog " * 6, size=8)
    sizes = []

    def recording(api, image, budget=None):
        sizes.append(image.size)
        return Recognition([], 0.0)

    monkeypatch.setattr(engine_module, "recognize", recording)
    engine.analyze(encode(page))
    assert sizes
    assert all(width * height <= preprocess.MAX_WORKING_PIXELS * 1.01 for width, height in sizes)
    assert sizes[0][0] > 2400  # still upscaled, as far as the cap allows


def test_a_page_over_its_time_budget_fails_the_document() -> None:
    dense = blank_page(2550, 3300)
    for row in range(70):
        draw_text(dense, (60, 60 + row * 45), "Recorded at the request of the grantee, mail tax statements " * 2)
    slow = LocalOcrEngine(page_time_budget=0.05)
    with pytest.raises(PageTimeoutError, match="page 1 took longer than the OCR time budget of 0.05 seconds"):
        slow.analyze(encode(dense))


# --- a crashed or stuck recogniser --------------------------------------------------------------


@pytest.fixture()
def isolated() -> IsolatedOcrEngine:
    engine = IsolatedOcrEngine()
    yield engine
    engine.close()


def three_pages() -> bytes:
    return three_page_tiff("group4")


def test_the_isolated_engine_gives_the_in_process_engine_s_blocks(
    isolated: IsolatedOcrEngine, engine: LocalOcrEngine
) -> None:
    def canonical(response: dict) -> list:
        return [(b["BlockType"], b.get("Text"), b["Page"]) for b in response["Blocks"]]

    assert canonical(isolated.analyze(three_pages())) == canonical(engine.analyze(three_pages()))
    assert isolated.worker_pid not in (None, os.getpid())


@pytest.mark.parametrize("crash", [signal.SIGSEGV, signal.SIGABRT, signal.SIGKILL])
def test_a_crash_of_the_recogniser_fails_the_document_not_the_caller(
    isolated: IsolatedOcrEngine, crash: signal.Signals
) -> None:
    pages = isolated.analyze_pages(three_pages())
    assert next(pages)[0] == 1
    os.kill(isolated.worker_pid, crash)
    with pytest.raises(UnreadableDocumentError, match=f"the OCR engine crashed \\(signal {crash.value}, .*on page 2"):
        next(pages)
    # The next document gets a fresh child and reads normally.
    assert isolated.analyze(three_pages())["DocumentMetadata"]["Pages"] == 3


def test_a_crash_names_the_document_it_happened_in(isolated: IsolatedOcrEngine) -> None:
    first, second = isolated.analyze_pages(three_pages()), isolated.analyze_pages(three_pages())
    assert next(first)[0] == 1 and next(second)[0] == 1
    os.kill(isolated.worker_pid, signal.SIGKILL)  # while `second` was the last to ask for a page
    time.sleep(0.5)
    with pytest.raises(UnreadableDocumentError, match="crashed while reading another document"):
        next(first)
    with pytest.raises(UnreadableDocumentError, match=r"crashed \(signal 9, SIGKILL\) on page 2"):
        next(second)


def test_a_stuck_recogniser_is_killed_after_the_page_budget(
    isolated: IsolatedOcrEngine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(isolation, "KILL_MARGIN_SECONDS", 0.5)
    isolated.page_time_budget = 0.5
    pages = isolated.analyze_pages(three_pages())
    next(pages)
    stuck = isolated.worker_pid
    os.kill(stuck, signal.SIGSTOP)  # hangs as a page in endless layout analysis would
    started = time.monotonic()
    with pytest.raises(PageTimeoutError, match="page 2 took longer than the OCR time budget"):
        next(pages)
    assert time.monotonic() - started < 30
    isolated.page_time_budget = 60.0
    assert isolated.analyze(three_pages())["DocumentMetadata"]["Pages"] == 3
    assert isolated.worker_pid != stuck


def test_local_textract_survives_a_killed_ocr_process(monkeypatch: pytest.MonkeyPatch) -> None:
    written = textract_resource.write_response

    def killing_after_the_first_page(path, pages, **options):
        def pages_then_kill():
            for number, blocks in pages:
                yield number, blocks
                os.kill(isolation.shared_isolated_engine(300).worker_pid, signal.SIGKILL)

        return written(path, pages_then_kill(), **options)

    monkeypatch.setattr(textract_resource, "write_response", killing_after_the_first_page)
    request = AnalysisRequest(document_id="d", object_key="d.tif", content_hash="0" * 64, content=three_pages())
    with pytest.raises(UnreadableDocumentError, match=r"crashed \(signal 9, SIGKILL\) on page 2"):
        LocalTextract().start_analysis(request)
    monkeypatch.setattr(textract_resource, "write_response", written)
    job = LocalTextract().start_analysis(request)
    assert job.status == JobStatus.SUCCEEDED and job.ocr_cpu_seconds > 0
    os.unlink(job.response_path)


def test_local_textract_reports_pages_with_ink_but_no_text() -> None:
    content = encode(scribbled_page())
    request = AnalysisRequest(document_id="d", object_key="d.png", content_hash="1" * 64, content=content)
    job = LocalTextract().start_analysis(request)
    with open(job.response_path) as response:
        assert json.load(response)["Warnings"] == [{"ErrorCode": "NO_TEXT_ON_INKED_PAGE", "Pages": [1]}]
    os.unlink(job.response_path)
    assert job.status == JobStatus.PARTIAL_SUCCESS
    assert "pages [1]: NO_TEXT_ON_INKED_PAGE" in job.status_message
