"""Peak RSS of the process running one document, for long documents.

    python -m benchmarks.memory [--tiff-pages 20 200] [--response-pages 50 500]
    python -m benchmarks.memory --mode library [--pages 50 500] [--pages-per-chunk 1] [--legacy]

Mode `process` (the default): each case in a fresh child process that runs
`textract_pipeline.process.process_paths` with one worker; the document's run happens in a
process the daemon starts, and the table gives that run process's peak RSS (VmHWM, sampled
from /proc) and the largest of the others (the `process` command, daemon, code server):
- a Group-4 TIFF of N pages (pages of the generated corpus, repeated), through the local
  OCR engine;
- a one-page TIFF whose Textract response is N pages (a real generated page's response,
  repeated with fresh block ids), put in the content-hash cache first, as a real Textract
  job's result would be: every stage after OCR handles the N-page response.

Mode `library`: no Dagster, no instance; for each N, a fresh child process runs what the
assets do with a long response through the page-streaming API of `textract_document` and
`extraction`: stream-write an N-page response (the same repeated page, generated page by page)
with word statistics computed while writing, re-read the statistics from the file, the
markdown preview, the `DocumentView` read a chunk of pages at a time, deterministic V1 and V2,
and V1 through the Bedrock extractor with a stubbed client (the LLM request chunking). It
prints the peak RSS after each step. `--legacy` adds, per N, a child reading the whole response
at once for comparison: `json.loads` of the whole file, one textractor Document, V1 and V2 from it.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from PIL import Image, ImageSequence

# benchmarks.common imports the resources package: imported where used, so that the library
# children import nothing but textract_document and extraction


PROCESS_COLUMNS = ("status", "seconds", "run_peak_mb", "other_peak_mb")


def long_tiff(pages: int) -> bytes:
    """`pages` pages cycled from the 20-page corpus, as one Group-4 TIFF."""
    from benchmarks.corpus import build_corpus

    sources = []
    for file in build_corpus(20):
        with Image.open(file) as image:
            sources += [frame.copy() for frame in ImageSequence.Iterator(image)]
    frames = [sources[index % len(sources)] for index in range(pages)]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="TIFF", compression="group4", dpi=(300, 300), save_all=True, append_images=frames[1:])
    return buffer.getvalue()


def repeated_pages(page_response: dict, pages: int) -> Iterator[tuple[int, list[dict]]]:
    """`(page_number, blocks)` of one page's blocks again and again, ids made unique, one page at a time."""
    for page in range(1, pages + 1):
        blocks = []
        for block in page_response["Blocks"]:
            copy = {**block, "Id": f"{block['Id']}-{page}", "Page": page}
            if "Relationships" in block:
                copy["Relationships"] = [
                    {**relation, "Ids": [f"{i}-{page}" for i in relation["Ids"]]} for relation in block["Relationships"]
                ]
            blocks.append(copy)
        yield page, blocks


def repeated_response(page_response: dict, pages: int) -> dict:
    """A `pages`-page AnalyzeDocument response: one page's blocks again and again, ids made unique."""
    blocks = [block for _, page_blocks in repeated_pages(page_response, pages) for block in page_blocks]
    return {**page_response, "DocumentMetadata": {"Pages": pages}, "Blocks": blocks}


def child(data_dir: Path, document: Path) -> None:
    """`textract-pipeline process` over one document, in this process: the daemon it starts runs it."""
    from textract_pipeline.process import process_paths
    from textract_pipeline.settings import Settings

    settings = Settings.from_environ(
        {"TEXTRACT_PIPELINE_DATA_DIR": str(data_dir), "TEXTRACT_PIPELINE_MAX_PAGES": "1000"}
    )
    started = time.perf_counter()
    (outcome,) = process_paths([document], settings, workers=1).outcomes
    print(json.dumps({"status": outcome.record.status.value, "seconds": time.perf_counter() - started}))


def peak_mb() -> float:
    """Peak RSS of this process in MB: VmHWM, the high-water mark of this process's own memory.

    Not ``ru_maxrss``: Linux carries that across exec, so a child started by a parent of 1 GB
    reports at least 1 GB whatever it does itself (the parent here has loaded tesseract and built
    the long responses).
    """
    try:
        with open("/proc/self/status") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StubBedrock:
    """A bedrock-runtime client answering every Converse request with the same small valid record."""

    def __init__(self) -> None:
        self.requests = 0
        self.input_chars = 0

    def converse(self, **request) -> dict:
        from textract_pipeline.extraction.prompts import TOOL_NAME

        self.requests += 1
        self.input_chars += sum(len(block.get("text", "")) for block in request["messages"][-1]["content"])
        record = {
            "document_type": {
                "value": "grant_deed",
                "evidence": {"page": 1, "source_text": "GRANT DEED", "confidence": 0.9},
            }
        }
        message = {
            "role": "assistant",
            "content": [{"toolUse": {"toolUseId": f"t{self.requests}", "name": TOOL_NAME, "input": record}}],
        }
        return {"output": {"message": message}, "usage": {"inputTokens": 0, "outputTokens": 0}}


def library_child(page_file: Path, pages: int, work_dir: Path, pages_per_chunk: int) -> None:
    """The streaming API over an N-page response, in this (fresh) process; prints peak RSS after each step."""
    from textract_pipeline.extraction import BedrockExtractor, DeterministicExtractor, read_document_view
    from textract_pipeline.textract_document import markdown_preview, response_stats, write_response

    steps: dict[str, dict] = {"imports": {"seconds": 0.0, "peak_mb": peak_mb()}}
    page_response = json.loads(page_file.read_text())
    extra = {key: value for key, value in page_response.items() if key not in ("Blocks", "DocumentMetadata")}
    response_file = work_dir / f"response-{pages}.json"

    def step(name: str, work):
        started = time.perf_counter()
        value = work()
        steps[name] = {"seconds": time.perf_counter() - started, "peak_mb": peak_mb()}
        return value

    generated = repeated_pages(page_response, pages)
    written = step("write", lambda: write_response(response_file, generated, extra=extra))
    read = step("stats", lambda: response_stats(response_file))
    assert (read.pages, read.words, read.mean_confidence) == (written.pages, written.words, written.mean_confidence)
    preview = step("preview", lambda: markdown_preview(response_file))
    view = step("view", lambda: read_document_view(response_file, pages_per_chunk))
    v1 = step("v1", lambda: DeterministicExtractor().extract_v1(view))
    v2 = step("v2", lambda: DeterministicExtractor().extract_v2(view))
    stub = StubBedrock()
    llm = step("v1_llm", lambda: BedrockExtractor(client=stub).extract_v1(view))
    print(
        json.dumps(
            {
                "pages": written.pages,
                "words": written.words,
                "file_mb": response_file.stat().st_size / 2**20,
                "preview_chars": len(preview),
                "lines": len(view.lines),
                "document_type": v1.record.document_type.value.value,
                "v2_fields": sum(len(section.fields) for section in v2.sections),
                "llm_requests": stub.requests,
                "llm_document_type": llm.record.document_type.value.value,
                "steps": steps,
                "peak_mb": peak_mb(),
            }
        )
    )


def legacy_child(page_file: Path, pages: int, work_dir: Path) -> None:
    """What the assets did before: the whole response as dicts, one textractor Document, V1 and V2."""
    from textract_pipeline.extraction import DeterministicExtractor
    from textract_pipeline.textract_document import load_document, word_stats, write_response

    page_response = json.loads(page_file.read_text())
    extra = {key: value for key, value in page_response.items() if key not in ("Blocks", "DocumentMetadata")}
    response_file = work_dir / f"legacy-{pages}.json"
    write_response(response_file, repeated_pages(page_response, pages), extra=extra)
    del page_response
    imports_mb = peak_mb()
    started = time.perf_counter()
    response = json.loads(response_file.read_text())
    words, _ = word_stats(response)
    v1 = DeterministicExtractor().extract_v1(load_document(json.loads(response_file.read_text())))
    v2 = DeterministicExtractor().extract_v2(load_document(json.loads(response_file.read_text())))
    print(
        json.dumps(
            {
                "pages": pages,
                "words": words,
                "seconds": time.perf_counter() - started,
                "imports_mb": imports_mb,
                "document_type": v1.record.document_type.value.value,
                "v2_fields": sum(len(section.fields) for section in v2.sections),
                "peak_mb": peak_mb(),
            }
        )
    )


def measure(data_dir: Path, document: Path) -> dict:
    """Run one document through `process` in a child; the peak RSS of its run process and of the rest.

    The run happens in a process the daemon's code server starts (Python's multiprocessing
    `spawn`), so every process under the child is sampled and the run's is picked by its command.
    """
    from benchmarks.common import ProcessTreeSampler

    command = [sys.executable, "-m", "benchmarks.memory", "--child", str(data_dir), str(document)]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) as popen:
        tree = ProcessTreeSampler(popen.pid, interval=0.2)
        tree.start()
        stdout, stderr = popen.communicate(timeout=3600)
    tree.join()
    if popen.returncode != 0:
        raise RuntimeError(stderr[-3000:])
    runs = [process.peak_mb for process in tree.processes.values() if "multiprocessing" in process.command]
    others = [process.peak_mb for process in tree.processes.values() if "multiprocessing" not in process.command]
    if not runs:
        raise RuntimeError(f"no run process seen among {[p.command for p in tree.processes.values()]}")
    return {**json.loads(stdout.strip().splitlines()[-1]), "run_peak_mb": max(runs), "other_peak_mb": max(others)}


def run_child(arguments: list[str]) -> dict:
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.memory", *arguments],
        capture_output=True,
        text=True,
        timeout=3600,
    )
    if result.returncode != 0:
        raise RuntimeError(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def one_page_response() -> dict:
    from textract_pipeline.ocr import LocalOcrEngine

    return LocalOcrEngine().analyze(long_tiff(1))


def library_mode(pages_list: list[int], pages_per_chunk: int, legacy: bool) -> None:
    from benchmarks.common import machine_note, print_table

    print("at start:", machine_note(), flush=True)
    rows, legacy_rows = [], []
    with tempfile.TemporaryDirectory(prefix="bench-memory-library-") as temp:
        page_file = Path(temp) / "page.json"
        page_file.write_text(json.dumps(one_page_response()))
        for pages in pages_list:
            result = run_child(["--library-child", str(page_file), str(pages), temp, str(pages_per_chunk)])
            steps = result["steps"]
            rows.append(
                [
                    pages,
                    result["file_mb"],
                    result["words"],
                    result["lines"],
                    result["v2_fields"],
                    result["llm_requests"],
                    *(steps[name]["seconds"] for name in ("write", "stats", "preview", "view", "v1", "v2", "v1_llm")),
                    steps["imports"]["peak_mb"],
                    result["peak_mb"],
                ]
            )
            print(
                f"{pages} pages, peak RSS MB after each step: "
                + ", ".join(f"{name} {step['peak_mb']:.1f}" for name, step in steps.items()),
                flush=True,
            )
            if legacy:
                old = run_child(["--legacy-child", str(page_file), str(pages), temp])
                legacy_rows.append(
                    [pages, old["words"], old["v2_fields"], old["seconds"], old["imports_mb"], old["peak_mb"]]
                )
    print(machine_note())
    print(f"streaming API, {pages_per_chunk} page(s) per textractor Document:")
    print_table(
        [
            "pages",
            "file MB",
            "words",
            "lines",
            "V2 fields",
            "LLM requests",
            "write s",
            "stats s",
            "preview s",
            "view s",
            "V1 s",
            "V2 s",
            "V1 LLM s",
            "imports MB",
            "peak RSS MB",
        ],
        rows,
    )
    if legacy_rows:
        print("whole response at once (json.loads + one textractor Document):")
        print_table(["pages", "words", "V2 fields", "V1 + V2 s", "imports MB", "peak RSS MB"], legacy_rows)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=["process", "library"], default="process")
    parser.add_argument("--tiff-pages", type=int, nargs="*", default=[20, 200])
    parser.add_argument("--response-pages", type=int, nargs="*", default=[50, 500])
    parser.add_argument("--pages", type=int, nargs="*", default=[50, 500], help="library mode: response pages")
    parser.add_argument("--pages-per-chunk", type=int, default=1, help="library mode: pages per textractor Document")
    parser.add_argument("--legacy", action="store_true", help="library mode: also measure the whole-response path")
    parser.add_argument("--child", nargs=2, type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--library-child", nargs=4, help=argparse.SUPPRESS)
    parser.add_argument("--legacy-child", nargs=3, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        child(*args.child)
        return
    if args.library_child:
        page_file, pages, work_dir, per_chunk = args.library_child
        library_child(Path(page_file), int(pages), Path(work_dir), int(per_chunk))
        return
    if args.legacy_child:
        page_file, pages, work_dir = args.legacy_child
        legacy_child(Path(page_file), int(pages), Path(work_dir))
        return
    if args.mode == "library":
        library_mode(args.pages, args.pages_per_chunk, args.legacy)
        return
    from benchmarks.common import machine_note, print_table

    print(machine_note())
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as temp:
        for pages in args.tiff_pages:
            document = Path(temp) / f"long-{pages}.tif"
            document.write_bytes(long_tiff(pages))
            result = measure(Path(temp) / f"data-tiff-{pages}", document)
            rows.append([f"{pages}-page TIFF, local OCR", *(result[name] for name in PROCESS_COLUMNS)])
        if args.response_pages:
            from textract_pipeline.outputs import textract_cache_key
            from textract_pipeline.textract_document import write_response

            one_page = long_tiff(1)
            page_response = one_page_response()
            for pages in args.response_pages:
                data_dir = Path(temp) / f"data-response-{pages}"
                document = Path(temp) / f"response-{pages}.tif"
                document.write_bytes(one_page)
                cache = data_dir / textract_cache_key("local-ocr", hashlib.sha256(one_page).hexdigest())
                cache.parent.mkdir(parents=True)
                extra = {k: v for k, v in page_response.items() if k not in ("Blocks", "DocumentMetadata")}
                write_response(cache, repeated_pages(page_response, pages), extra=extra)
                result = measure(data_dir, document)
                rows.append([f"{pages}-page Textract response", *(result[name] for name in PROCESS_COLUMNS)])
    print_table(["document", "status", "process s", "run process peak RSS MB", "largest other process MB"], rows)


if __name__ == "__main__":
    main()
