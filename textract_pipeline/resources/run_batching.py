"""How the upload sensor groups new documents into runs (see textract_pipeline/batches.py)."""

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

    def batches(self, document_ids: Sequence[str]) -> list[list[str]]:
        """Consecutive slices of `document_ids` of near-equal length."""
        if not document_ids:
            return []
        per_round = max(1, self.max_documents_per_run) * max(1, self.parallel_runs)
        runs = min(len(document_ids), math.ceil(len(document_ids) / per_round) * max(1, self.parallel_runs))
        size, extra = divmod(len(document_ids), runs)
        slices, start = [], 0
        for index in range(runs):
            end = start + size + (1 if index < extra else 0)
            slices.append(list(document_ids[start:end]))
            start = end
        return slices
