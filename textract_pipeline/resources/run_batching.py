"""How the upload sensor groups new documents into partition-range runs (see sensors/run_requests.py)."""

import bisect
import itertools
import math
from collections.abc import Sequence

import dagster as dg

from textract_pipeline.settings import MAX_DOCUMENTS_PER_RUN


class RunBatching(dg.ConfigurableResource):
    """How the upload sensor groups new documents into runs.

    `parallel_runs` is how many runs the deployment runs at once: a tick's documents are cut
    into a multiple of it, so no run slot idles while another works through a long batch.
    `max_documents_per_run=1` gives one run per document.
    """

    max_documents_per_run: int = MAX_DOCUMENTS_PER_RUN
    parallel_runs: int = 2

    def batches(self, document_ids: Sequence[str], sizes: Sequence[int] | None = None) -> list[list[str]]:
        """Consecutive slices of `document_ids`, as many as the counts require, of near-equal work.

        Work is `sizes` (the objects' bytes: OCR time grows with a scan's ink, and so does a
        compressed scan's size); without sizes every document counts the same. Runs of equal work
        finish together, so no worker idles at the end of a tick's runs while another finishes a
        long one.
        """
        if not document_ids:
            return []
        if sizes is not None and len(sizes) != len(document_ids):
            raise ValueError("sizes must give one size per document id")
        most = max(1, self.max_documents_per_run)
        per_round = most * max(1, self.parallel_runs)
        runs = min(len(document_ids), math.ceil(len(document_ids) / per_round) * max(1, self.parallel_runs))
        work = list(itertools.accumulate(max(1, size) for size in sizes or [1] * len(document_ids)))
        slices, start = [], 0
        for index in range(runs):
            later_runs = runs - index - 1
            # Leave at least one document for every later run and no more than they can hold.
            lowest = max(start + 1, len(document_ids) - later_runs * most)
            highest = min(start + most, len(document_ids) - later_runs)
            share = work[-1] * (index + 1) / runs
            end = bisect.bisect_left(work, share) + 1  # the first cut at or past this run's share
            if end > 1 and share - work[end - 2] < work[end - 1] - share:
                end -= 1  # the cut before it is nearer
            end = min(max(end, lowest), highest)
            slices.append(list(document_ids[start:end]))
            start = end
        return slices
