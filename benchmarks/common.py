"""Pieces the benchmark scripts share: the OCR floor, timing tables, tracking-store polling."""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from textract_pipeline.resources.tracking import SqliteTrackingStore

_engine = None


def _start_engine() -> None:
    global _engine
    from textract_pipeline.ocr import LocalOcrEngine

    _engine = LocalOcrEngine()


def _ocr(path: str) -> float:
    started = time.process_time()
    _engine.analyze(Path(path).read_bytes())
    return time.process_time() - started


def ocr_floor(files: list[Path], workers: int) -> tuple[float, float]:
    """(wall seconds, summed CPU seconds) of LocalOcrEngine alone over `files` on `workers` processes.

    The pool is started and every engine loaded and warmed on a document before the clock
    starts, so this is the OCR and nothing else, scheduled largest document first.
    """
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_engine) as pool:
        list(pool.map(_ocr, [str(files[0])] * workers))
        ordered = sorted(files, key=lambda file: -file.stat().st_size)
        started = time.perf_counter()
        cpu = sum(pool.map(_ocr, map(str, ordered)))
        return time.perf_counter() - started, cpu


def status_counts(tracking_path: Path) -> Counter:
    if not tracking_path.exists():
        return Counter()
    return Counter(record.status.value for record in SqliteTrackingStore(path=str(tracking_path)).list_documents())


def wait_until_terminal(tracking_path: Path, expected: int, timeout: float) -> Counter:
    """Poll the tracking store until `expected` documents are COMPLETED or FAILED."""
    deadline = time.monotonic() + timeout
    counts = Counter()
    while time.monotonic() < deadline:
        counts = status_counts(tracking_path)
        if counts["COMPLETED"] + counts["FAILED"] >= expected:
            return counts
        time.sleep(0.5)
    raise TimeoutError(f"only {dict(counts)} of {expected} documents finished in {timeout:.0f}s")


def shown_number(value: float) -> str:
    """Two decimals, or three significant digits below 0.1 (a 4 ms tick is not "0.00")."""
    return f"{value:.2f}" if value == 0 or abs(value) >= 0.1 else f"{value:.3g}"


def print_table(headers: list[str], rows: list[list[object]]) -> None:
    cells = [headers] + [
        [shown_number(value) if isinstance(value, float) else str(value) for value in row] for row in rows
    ]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    for index, row in enumerate(cells):
        print("| " + " | ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)) + " |")
        if index == 0:
            print("|" + "|".join("-" * (width + 2) for width in widths) + "|")


def machine_note() -> str:
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    return f"cores available: {len(os.sched_getaffinity(0))}, load average (1/5/15 min): {load}"


CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class SampledProcess:
    command: str
    cpu_seconds: float  # own user + system time, last seen
    peak_mb: float  # VmHWM, the process's own high-water mark, last seen


class ProcessTreeSampler(threading.Thread):
    """A process and all its descendants (the daemon, the code server, the run processes), sampled
    from /proc every `interval` seconds until the root exits.

    Not `RUSAGE_CHILDREN`, which misses every process whose parent did not wait for it, and
    Dagster's run processes are several levels down. A process that lives less than `interval`
    may be missed, and one's last `interval` of CPU is lost: runs last seconds at least.
    """

    def __init__(self, root: int, interval: float = 0.5) -> None:
        super().__init__(daemon=True)
        self._root = root
        self._interval = interval
        self.processes: dict[tuple[int, int], SampledProcess] = {}  # (pid, start time) -> last seen

    def run(self) -> None:
        while Path(f"/proc/{self._root}").exists():
            self._sample()
            time.sleep(self._interval)

    def _sample(self) -> None:
        parents, stats = {}, {}
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                # After the name: state, ppid (index 1), ..., utime 11, stime 12, ..., starttime 19.
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
            stats[int(entry.name)] = (int(fields[19]), (int(fields[11]) + int(fields[12])) / CLOCK_TICKS)
        for pid, (start, cpu) in stats.items():
            ancestor = pid
            while ancestor not in (self._root, 0, 1) and ancestor in parents:
                ancestor = parents[ancestor]
            if ancestor != self._root:
                continue
            try:
                command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
                status = Path(f"/proc/{pid}/status").read_text()
            except OSError:
                continue
            peak = next((int(line.split()[1]) / 1024 for line in status.splitlines() if line.startswith("VmHWM:")), 0)
            # A process that has exited but not been waited for (a zombie) shows no command and no memory.
            seen = self.processes.get((pid, start))
            if seen is not None:
                command, peak = command.strip() or seen.command, max(peak, seen.peak_mb)
            self.processes[(pid, start)] = SampledProcess(command=command.strip(), cpu_seconds=cpu, peak_mb=peak)

    def cpu_seconds(self) -> float:
        return sum(process.cpu_seconds for process in self.processes.values())
