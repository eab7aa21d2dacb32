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


class Settings(BaseModel):
    profile: Literal["local", "aws"] = "local"
    data_dir: Path = Path("./data")
    store: Literal["local", "s3"] | None = None
    tracking: Literal["sqlite", "dynamodb"] | None = None
    ocr: Literal["local", "textract"] | None = None
    extractor: Literal["deterministic", "bedrock", "openai"] | None = None
    max_bytes: int = 100 * 1024 * 1024
    max_pages: int = 500

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
            }
        )

    @property
    def dagster_home(self) -> Path:
        return self.data_dir / "dagster_home"

    @property
    def tracking_path(self) -> Path:
        return self.data_dir / "tracking.sqlite"
