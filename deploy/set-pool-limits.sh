#!/bin/sh
# Sets the Dagster pool limits for the services the pipeline calls. Pool limits are
# stored in the instance's event-log database, not in dagster.yaml, so this runs once
# per database (and again whenever a quota changes); it is idempotent.
#
#   TEXTRACT_POOL_LIMIT  concurrent textract_raw steps, i.e. async Textract jobs in
#                        flight (default 5; the account's StartDocumentAnalysis TPS and
#                        concurrent-job quotas are the ceiling)
#   BEDROCK_POOL_LIMIT   concurrent LLM steps (default 3; size to the model's
#                        requests-per-minute and tokens-per-minute quotas)
#
# Needs DAGSTER_HOME (with the production dagster.yaml) and the DAGSTER_PG_* variables.
set -eu

: "${DAGSTER_HOME:?DAGSTER_HOME must point at the directory holding dagster.yaml}"
DAGSTER="${DAGSTER_BIN:-dagster}"

"$DAGSTER" instance concurrency set textract "${TEXTRACT_POOL_LIMIT:-5}"
"$DAGSTER" instance concurrency set bedrock "${BEDROCK_POOL_LIMIT:-3}"
"$DAGSTER" instance concurrency get --all
