"""Which implementation backs each resource, read from the environment.

One variable picks the profile (`local`, the embedded default, or `aws`); each resource
can be overridden on its own, e.g. local OCR in front of an S3 bucket.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

ENV_PREFIX = "TEXTRACT_PIPELINE_"
# Sensor batches of new uploads on the embedded default; on AWS each document has its own run.
MAX_DOCUMENTS_PER_RUN = 10


class Settings(BaseModel):
    profile: Literal["local", "aws"] = "local"
    data_dir: Path = Path("./data")
    store: Literal["local", "s3"] | None = None
    tracking: Literal["sqlite", "dynamodb"] | None = None
    ocr: Literal["local", "textract"] | None = None
    extractor: Literal["deterministic", "bedrock", "openai"] | None = None
    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500
    # Documents per run for new uploads (docs/PERFORMANCE.md); default 10 locally, 1 on AWS.
    max_documents_per_run: int | None = None
    parallel_runs: int = 2
    # AWS: read only by the resources the profile or the overrides select (docs/CONFIGURATION.md)
    aws_region: str | None = None
    aws_endpoint_url: str | None = None
    s3_endpoint_url: str | None = None
    aws_max_attempts: int = 8
    bucket: str | None = None
    uploads_queue_url: str | None = None
    tracking_table: str = "textract-processing-tracking"
    results_table: str = "textract-processing-results"
    textract_sns_topic_arn: str | None = None
    textract_role_arn: str | None = None
    textract_completion_queue_url: str | None = None
    bedrock_model_id: str = "amazon.nova-lite-v1:0"
    bedrock_region: str | None = None
    openai_base_url: str | None = None
    openai_model: str | None = None

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        environ = os.environ if environ is None else environ
        values = {
            name: environ[ENV_PREFIX + name.upper()]
            for name in cls.model_fields
            if environ.get(ENV_PREFIX + name.upper())
        }
        settings = cls.model_validate(values)
        aws = settings.profile == "aws"
        return settings.model_copy(
            update={
                "data_dir": settings.data_dir.resolve(),
                "store": settings.store or ("s3" if aws else "local"),
                "tracking": settings.tracking or ("dynamodb" if aws else "sqlite"),
                "ocr": settings.ocr or ("textract" if aws else "local"),
                "extractor": settings.extractor or ("bedrock" if aws else "deterministic"),
                "max_documents_per_run": settings.max_documents_per_run or (1 if aws else MAX_DOCUMENTS_PER_RUN),
            }
        )

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster_home"

    @property
    def tracking_path(self) -> Path:
        return self.data_dir / "tracking.sqlite"
