"""The document store on S3 (or MinIO / LocalStack through `endpoint_url`), built on dagster-aws's S3Resource."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar

from botocore.exceptions import ClientError
from dagster_aws.s3 import S3Resource
from pydantic import Field, PrivateAttr

from textract_pipeline.resources.aws_clients import SqsQueue, resource_client
from textract_pipeline.resources.document_store import (
    LISTING_PAGE_KEYS,
    DocumentStore,
    StoredObject,
    UploadsQueue,
    validate_key,
)

_MISSING = {"404", "NoSuchKey", "NotFound"}


def etag_version(etag: str) -> str:
    """S3 quotes ETags; listings, HEAD and event notifications must yield the same version string."""
    return etag.strip('"')


class S3DocumentStore(DocumentStore, S3Resource):
    """A bucket with the same key layout as the local store.

    The client and every connection setting (region, endpoint, profile, credentials, retries)
    are S3Resource's; the uploads queue's SQS client gets the same settings. The object version
    is the ETag: ListObjectsV2, HeadObject and S3 event notifications all carry it (VersionId is
    missing from listings), so run keys agree whichever way an upload was noticed. Writes are
    single PutObject calls, which S3 makes visible atomically.
    """

    bucket: str = Field(description="Bucket holding incoming/, processed/, failed/ and the caches.")
    uploads_queue_url: str | None = Field(
        default=None, description="SQS queue receiving the bucket's ObjectCreated notifications."
    )
    queue_visibility_timeout: int = Field(
        default=300, description="Seconds a received upload event stays hidden; longer than a sensor tick."
    )
    queue_wait_seconds: int = Field(default=1, description="SQS long-poll wait per receive call.")

    _s3: Any = PrivateAttr(default=None)
    _sqs: Any = PrivateAttr(default=None)

    ordered_listing: ClassVar[bool] = True

    def get_object_to_set_on_execution_context(self) -> Any:
        """Ops asking for `context.resources.document_store` get the store, not S3Resource's bare client."""
        return self

    @property
    def s3(self) -> Any:
        if self._s3 is None:
            self._s3 = self.get_client()
        return self._s3

    def uploads_queue(self) -> UploadsQueue | None:
        if not self.uploads_queue_url:
            return None
        if self._sqs is None:
            self._sqs = resource_client(self, "sqs")
        queue = SqsQueue(self._sqs, self.uploads_queue_url, self.queue_visibility_timeout, self.queue_wait_seconds)
        return UploadsQueue(queue, self.bucket)

    def list_objects(
        self,
        prefix: str,
        recursive: bool = True,
        *,
        start_after: str | None = None,
        modified_since: datetime | None = None,
        page_size: int | None = None,
    ) -> Iterator[StoredObject]:
        """Lazily, page by page, in key order; `start_after` resumes an interrupted pass.

        Without `recursive` the listing stops at "/" (S3's Delimiter): only the objects directly
        under `prefix`, whatever its sub-folders hold. `modified_since` filters what S3 lists.
        """
        arguments: dict[str, Any] = {
            "Bucket": self.bucket,
            "Prefix": prefix,
            "PaginationConfig": {"PageSize": page_size or LISTING_PAGE_KEYS},
        }
        if not recursive:
            arguments["Delimiter"] = "/"
        if start_after:
            arguments["StartAfter"] = start_after
        for page in self.s3.get_paginator("list_objects_v2").paginate(**arguments):
            for item in page.get("Contents", []):
                if modified_since is not None and item["LastModified"] < modified_since:
                    continue
                yield StoredObject(
                    key=item["Key"],
                    version=etag_version(item["ETag"]),
                    size=item["Size"],
                    last_modified=item["LastModified"],
                )

    def head(self, key: str) -> StoredObject | None:
        try:
            response = self.s3.head_object(Bucket=self.bucket, Key=validate_key(key))
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise
        return StoredObject(
            key=key,
            version=etag_version(response["ETag"]),
            size=response["ContentLength"],
            last_modified=response["LastModified"],
        )

    def read_bytes(self, key: str) -> bytes:
        return self.s3.get_object(Bucket=self.bucket, Key=validate_key(key))["Body"].read()

    def read_bytes_if_present(self, key: str) -> bytes | None:
        try:
            return self.read_bytes(key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in _MISSING:
                return None
            raise

    def write_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        self.s3.put_object(Bucket=self.bucket, Key=validate_key(key), Body=data, ContentType=content_type)
        return self.uri(key)

    def write_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> str:
        # Multipart for large files; the object appears only when the upload completes.
        self.s3.upload_file(str(path), self.bucket, validate_key(key), ExtraArgs={"ContentType": content_type})
        return self.uri(key)

    @contextmanager
    def local_file(self, key: str) -> Iterator[Path]:
        with tempfile.TemporaryDirectory(prefix="textract-pipeline-") as folder:
            path = Path(folder) / PurePosixPath(validate_key(key)).name
            self.s3.download_file(self.bucket, key, str(path))
            yield path

    def copy(self, source_key: str, destination_key: str) -> str:
        self.s3.copy_object(
            Bucket=self.bucket,
            Key=validate_key(destination_key),
            CopySource={"Bucket": self.bucket, "Key": validate_key(source_key)},
        )
        return self.uri(destination_key)

    def uri(self, key: str) -> str:
        return f"s3://{self.bucket}/{validate_key(key)}"
