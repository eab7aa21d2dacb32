"""Rebuild the OCR development and held-out corpora from the public repositories they come from.

    python -m benchmarks.ocr_corpus OWNER/NAME=GIT_DIR... --out /work/ocr-corpus

`ocr_corpus.csv` names every document: its set (`development`, tuned on; `held_out`, measured
only to report), the repository, commit and paths of the document and of the real Textract
response saved beside it. GIT_DIR is a clone (or bare mirror) of that repository; each document
is written to OUT/SET/NAME and its response to OUT/SET/NAME.textract.json, the layout
`python -m benchmarks.ocr_vs_textract` reads. The files themselves stay out of this repository.
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
from pathlib import Path

MANIFEST = Path(__file__).with_name("ocr_corpus.csv")


def git_show(git_dir: Path, commit: str, path: str) -> bytes:
    return subprocess.run(
        ["git", "--git-dir", str(git_dir), "show", f"{commit}:{path}"], check=True, capture_output=True
    ).stdout


def build(git_dirs: dict[str, Path], out: Path) -> list[Path]:
    written = []
    with MANIFEST.open(newline="") as manifest:
        for row in csv.DictReader(manifest):
            folder = out / row["set"]
            folder.mkdir(parents=True, exist_ok=True)
            git_dir = git_dirs[row["repo"]]
            document = folder / row["name"]
            document.write_bytes(git_show(git_dir, row["commit"], row["document"]))
            response = json.loads(git_show(git_dir, row["commit"], row["response"]))
            if isinstance(response, str):  # some saved responses are JSON strings holding the JSON
                response = json.loads(response)
            document.with_name(document.name + ".textract.json").write_text(json.dumps(response))
            written.append(document)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("repositories", nargs="+", help="OWNER/NAME=GIT_DIR for every repository in the manifest")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    git_dirs = dict((name, Path(path)) for name, path in (item.split("=", 1) for item in args.repositories))
    for document in build(git_dirs, args.out):
        print(document)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
