"""How steps that call services or the store are retried: exponential backoff with jitter.

boto3's adaptive mode absorbs short throttling inside a call; this outer policy covers longer
outages (2 s, 4 s, 8 s by default, each +-50 %) before the document is marked FAILED. The base
delay is `TEXTRACT_PIPELINE_RETRY_DELAY_SECONDS` (0 in tests, so retries cost no waiting).
"""

import os

import dagster as dg

RETRY_DELAY_VARIABLE = "TEXTRACT_PIPELINE_RETRY_DELAY_SECONDS"
MAX_RETRIES = 3
BASE_DELAY_SECONDS = float(os.environ.get(RETRY_DELAY_VARIABLE) or 2)

SERVICE_RETRY_POLICY = dg.RetryPolicy(
    max_retries=MAX_RETRIES, delay=BASE_DELAY_SECONDS, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)


def retry_delay(retry_number: int) -> float:
    """The policy's delay before retry `retry_number + 1`, without jitter."""
    return BASE_DELAY_SECONDS * 2**retry_number
