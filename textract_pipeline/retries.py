"""How steps that call services or the store are retried: exponential backoff with jitter."""

import dagster as dg

# boto3's adaptive mode absorbs short throttling inside a call; this outer policy covers
# longer outages (2 s, 4 s, 8 s, each +-50%) before the document is marked FAILED.
SERVICE_RETRY_POLICY = dg.RetryPolicy(
    max_retries=3, delay=2, backoff=dg.Backoff.EXPONENTIAL, jitter=dg.Jitter.PLUS_MINUS
)
