"""Which implementation backs each resource, read from the environment.

One variable picks the profile (`local`, the embedded default, or `aws`); each resource
can be overridden on its own, e.g. local OCR in front of an S3 bucket. Every field is the
variable `TEXTRACT_PIPELINE_<FIELD>`; an empty variable counts as unset.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Literal

from pydantic import model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, SettingsConfigDict

ENV_PREFIX = "TEXTRACT_PIPELINE_"
# Sensor batches of new uploads on the embedded default; on AWS each document has its own run.
# A run's own cost (a process importing the code location, Dagster's per-run events) is paid
# once per batch: at 50, 200 pages run in 2 runs instead of 10 and the runs' CPU besides OCR
# falls by a third (docs/PERFORMANCE.md).
MAX_DOCUMENTS_PER_RUN = 50


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix=ENV_PREFIX, env_ignore_empty=True)

    profile: Literal["local", "aws"] = "local"
    data_dir: Path = Path("./data")
    # Unset: chosen by the profile.
    store: Literal["local", "s3"] | None = None
    tracking: Literal["sqlite", "dynamodb"] | None = None
    ocr: Literal["local", "textract"] | None = None
    extractor: Literal["deterministic", "bedrock", "openai"] | None = None
    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500
    # Documents per run for new uploads (docs/PERFORMANCE.md); default MAX_DOCUMENTS_PER_RUN locally, 1 on AWS.
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

    @model_validator(mode="after")
    def _profile_defaults(self) -> Settings:
        aws = self.profile == "aws"
        self.data_dir = self.data_dir.resolve()
        self.store = self.store or ("s3" if aws else "local")
        self.tracking = self.tracking or ("dynamodb" if aws else "sqlite")
        self.ocr = self.ocr or ("textract" if aws else "local")
        self.extractor = self.extractor or ("bedrock" if aws else "deterministic")
        self.max_documents_per_run = self.max_documents_per_run or (1 if aws else MAX_DOCUMENTS_PER_RUN)
        return self

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Settings:
        """The settings of `environ` alone (default: the process environment)."""
        if environ is None:
            return cls()
        return cls(_build_sources=((_MappingSource(cls, environ),), {}))

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster_home"

    @property
    def tracking_path(self) -> Path:
        return self.data_dir / "tracking.sqlite"


class _MappingSource(EnvSettingsSource):
    """pydantic-settings' environment source over a given mapping instead of `os.environ`."""

    def __init__(self, settings_cls: type[BaseSettings], environ: Mapping[str, str]) -> None:
        super().__init__(settings_cls)
        # Names match case-insensitively (the source's default): it looks them up lower-cased.
        self.env_vars = {name.lower(): value for name, value in environ.items() if value}
