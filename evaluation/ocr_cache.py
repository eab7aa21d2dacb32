"""OCR responses of evaluation documents, cached by content hash and OCR engine version.

Scoring a rule change on real documents should not pay for OCR again: the response of a
document is kept under the SHA-256 of its bytes and a version of the engine that includes a
digest of the engine's own source, so an OCR change (even one that keeps tesseract's version)
reads every document again. The CPU seconds the engine spent are kept beside the response,
so the extraction-to-OCR time ratio can be reported from a cached run.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

DEFAULT_CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "textract-pipeline" / "ocr"


@dataclass(frozen=True)
class OcrRun:
    response: dict[str, Any]
    cpu_seconds: float  # the engine's CPU time when the response was made (cached or not)
    cached: bool


@functools.cache
def engine_version() -> str:
    """The local engine's model version plus a digest of its source files."""
    import textract_pipeline.ocr as ocr_package
    from textract_pipeline.ocr.engine import MODEL_VERSION

    digest = hashlib.sha256()
    for source in sorted(Path(ocr_package.__file__).parent.glob("*.py")):
        digest.update(source.name.encode())
        digest.update(source.read_bytes())
    return f"{MODEL_VERSION}-{digest.hexdigest()[:12]}"


def ocr_document(path: Path, cache_dir: Path = DEFAULT_CACHE_DIR) -> OcrRun:
    """The local engine's response for the file at ``path``, from the cache when it has one."""
    data = path.read_bytes()
    key = f"{hashlib.sha256(data).hexdigest()}.{engine_version()}"
    response_file, meta_file = cache_dir / f"{key}.json", cache_dir / f"{key}.meta.json"
    if response_file.is_file() and meta_file.is_file():
        meta = json.loads(meta_file.read_text(encoding="utf-8"))
        return OcrRun(json.loads(response_file.read_text(encoding="utf-8")), meta["cpu_seconds"], cached=True)
    from textract_pipeline.ocr import analyze_document

    started = time.process_time()
    response = analyze_document(data)
    cpu_seconds = time.process_time() - started
    cache_dir.mkdir(parents=True, exist_ok=True)
    response_file.write_text(json.dumps(response), encoding="utf-8")
    meta_file.write_text(json.dumps({"file": path.name, "cpu_seconds": cpu_seconds}), encoding="utf-8")
    return OcrRun(response, cpu_seconds, cached=False)
