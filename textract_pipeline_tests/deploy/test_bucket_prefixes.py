"""The run role may write every bucket prefix the code writes, and nothing else.

The prefixes come from the code's own constants and key functions, so a new prefix
without a grant in deploy/aws/template.yaml (or a grant nothing uses) fails here.
"""

from __future__ import annotations

from datetime import UTC, datetime
from fnmatch import fnmatchcase

from textract_pipeline.assets.ledger import LEDGER_KEY
from textract_pipeline.io_manager import STATE_PREFIX
from textract_pipeline.outputs import output_key, textract_cache_key
from textract_pipeline.resources.document_store import FAILED_PREFIX, INCOMING_PREFIX, PROCESSED_PREFIX
from textract_pipeline.retention import ARCHIVE_PREFIX
from textract_pipeline_tests.deploy.test_deploy_config import DEPLOY, TEMPLATE, as_list, load_yaml, load_yaml_cfn

BUCKET_OBJECTS = "${DocumentBucket.Arn}/"


def folder_of(key: str) -> str:
    return key.rsplit("/", 1)[0] + "/"


def top_folder(key: str) -> str:
    return key.split("/", 1)[0] + "/"


def prefixes_the_runs_write() -> set[str]:
    """Where run workers put objects: outputs, failed copies, cache, state, ledger, archive, compute logs."""
    some_output = output_key("incoming/deed.tif", "v1_schema", datetime(2026, 1, 2, tzinfo=UTC))
    some_cache_entry = textract_cache_key("engine", "0" * 64)
    compute_logs = load_yaml(DEPLOY / "dagster-ecs.yaml")["compute_logs"]["config"]["prefix"]
    return {
        PROCESSED_PREFIX,
        top_folder(some_output),  # the same folder, unless outputs.py drifts from the constant
        FAILED_PREFIX,
        STATE_PREFIX,
        top_folder(some_cache_entry),
        folder_of(LEDGER_KEY),
        ARCHIVE_PREFIX,
        compute_logs.rstrip("/") + "/",
    }


def object_patterns(role: str, action: str) -> set[str]:
    """Key patterns (as `fnmatch` patterns) of the bucket objects `role` may call `action` on."""
    template = load_yaml_cfn(TEMPLATE)
    patterns: set[str] = set()
    for policy in template["Resources"][role]["Properties"]["Policies"]:
        for statement in policy["PolicyDocument"]["Statement"]:
            if action not in as_list(statement["Action"]):
                continue
            for resource in as_list(statement["Resource"]):
                arn = resource.get("Fn::Sub", "") if isinstance(resource, dict) else resource
                if arn.startswith(BUCKET_OBJECTS):
                    patterns.add(arn.removeprefix(BUCKET_OBJECTS))
    return patterns


def covered(prefix: str, patterns: set[str]) -> bool:
    return any(fnmatchcase(prefix + "some/object.json", pattern) for pattern in patterns)


def test_run_role_may_write_every_prefix_the_code_writes_and_no_other():
    written = prefixes_the_runs_write()
    granted = object_patterns("RunTaskRole", "s3:PutObject")
    assert {prefix for prefix in written if not covered(prefix, granted)} == set()
    assert {pattern for pattern in granted if not any(covered(prefix, {pattern}) for prefix in written)} == set()


def test_uploads_stay_read_only_for_the_runs():
    assert not covered(INCOMING_PREFIX, object_patterns("RunTaskRole", "s3:PutObject"))
    assert covered(INCOMING_PREFIX, object_patterns("RunTaskRole", "s3:GetObject"))
