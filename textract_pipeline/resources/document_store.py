"""Where documents and outputs live: S3 in AWS, a local folder with the same key layout offline."""

from __future__ import annotations

import os
import shutil
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePosixPath
from typing import Any, ClassVar, NamedTuple

import dagster as dg
from pydantic import BaseModel

INCOMING_PREFIX = "incoming/"
# The most keys one listing request returns (S3's ListObjectsV2 limit); listings page by it.
LISTING_PAGE_KEYS = 1000
PROCESSED_PREFIX = "processed/"
FAILED_PREFIX = "failed/"
# Uploads go to hour folders, incoming/YYYY/MM/DD/HH/<name> (UTC), so the sensor lists only
# the folders of the last hour or two on each tick, however much the bucket holds.
_HOUR_FOLDER = "%Y/%m/%d/%H/"


def dated_incoming_key(name: str, when: datetime | None = None) -> str:
    """The key an upload of the file `name` should get: its hour folder (UTC) under incoming/.

    `when` defaults to now; a naive datetime is taken as UTC.
    """
    if not name or "/" in name or "\\" in name or name in (".", ".."):
        raise UnsafeKeyError(f"{name!r} is not a file name")
    return validate_key(incoming_hour_prefix(when or datetime.now(UTC)) + name)


def _utc(when: datetime) -> datetime:
    return when.replace(tzinfo=UTC) if when.tzinfo is None else when.astimezone(UTC)


def incoming_hour_prefix(when: datetime) -> str:
    """incoming/YYYY/MM/DD/HH/ for the hour (UTC) holding `when`."""
    return INCOMING_PREFIX + _utc(when).strftime(_HOUR_FOLDER)


def incoming_day_prefix(when: datetime) -> str:
    """incoming/YYYY/MM/DD/ for the day (UTC) holding `when`: covers all of that day's hour folders."""
    return INCOMING_PREFIX + _utc(when).strftime("%Y/%m/%d/")


def incoming_hour_of_key(key: str) -> datetime | None:
    """The hour folder a key sits in (incoming/YYYY/MM/DD/HH/...), or None for any other place."""
    parts = PurePosixPath(key).parts
    if len(parts) < 6 or parts[0] != INCOMING_PREFIX.rstrip("/"):
        return None
    year, month, day, hour = parts[1:5]
    if not (len(year) == 4 and len(month) == len(day) == len(hour) == 2):
        return None
    try:
        return datetime(int(year), int(month), int(day), int(hour), tzinfo=UTC)
    except ValueError:
        return None


def hours_between(start: datetime, end: datetime) -> list[datetime]:
    """The whole hours (UTC) from the one holding `start` to the one holding `end`, inclusive."""
    hour = _utc(start).replace(minute=0, second=0, microsecond=0)
    last, hours = _utc(end), []
    while hour <= last:
        hours.append(hour)
        hour += timedelta(hours=1)
    return hours


def _read_umask() -> int:
    """The process's umask; it can only be read by setting it, so once, at import, before any thread runs."""
    current = os.umask(0)
    os.umask(current)
    return current


_UMASK = _read_umask()


class UnsafeKeyError(ValueError):
    """An object key that would leave the store (absolute, `..`, empty segments)."""


class StoredObject(BaseModel):
    key: str
    version: str
    size: int
    last_modified: datetime
    # The name's bytes are not UTF-8: `key` shows them escaped and cannot be read back.
    unreadable_name: bool = False


def readable_key(key: str) -> str:
    """The key with bytes that are not UTF-8 (kept by Python as surrogates) shown as `\\xNN` escapes."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return os.fsencode(key).decode("utf-8", errors="backslashreplace")
    return key


def validate_key(key: str) -> str:
    """Refuse keys that could escape the bucket root or a local folder."""
    if not key or key.startswith("/") or "\\" in key or "\x00" in key:
        raise UnsafeKeyError(f"object key {key!r} is not a relative key")
    if any(segment in ("", ".", "..") for segment in key.rstrip("/").split("/")):
        raise UnsafeKeyError(f"object key {key!r} contains empty, '.' or '..' segments")
    return key


class QueueMessage(BaseModel):
    """One SQS message: an S3 event or a Textract completion, its body parsed (None if it is not JSON)."""

    message_id: str
    receipt_handle: str
    body: dict[str, Any] | None


class UploadsQueue(NamedTuple):
    """A queue receiving the bucket's ObjectCreated notifications (SqsQueue: receive, delete)."""

    messages: Any
    bucket: str


class DocumentStore(dg.ConfigurableResource, ABC):
    """The bucket: list, read and write objects by key."""

    # Whether `list_objects` yields keys in order, so an interrupted pass can resume after a key.
    ordered_listing: ClassVar[bool] = False

    @abstractmethod
    def list_objects(
        self,
        prefix: str,
        recursive: bool = True,
        *,
        start_after: str | None = None,
        modified_since: datetime | None = None,
        page_size: int | None = None,
    ) -> Iterator[StoredObject]:
        """Objects under `prefix` (a folder ending in "/"); with `recursive=False` only those directly in it.

        Only keys after `start_after` and objects changed at or after `modified_since`;
        `page_size` bounds one listing request where the store pages.
        """

    def uploads_queue(self) -> UploadsQueue | None:
        """The queue announcing uploads, when the store has one; else uploads are found by listing."""
        return None

    @abstractmethod
    def head(self, key: str) -> StoredObject | None: ...

    @abstractmethod
    def read_bytes(self, key: str) -> bytes: ...

    @abstractmethod
    def read_bytes_if_present(self, key: str) -> bytes | None:
        """The object's bytes, or None when there is no such object: one request, where head + read would take two."""

    @abstractmethod
    def write_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        """Write atomically (readers never see half an object) and return the object's URI."""

    @abstractmethod
    def write_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> str:
        """Write a local file's content as an object, atomically, without reading it into memory."""

    @abstractmethod
    def local_file(self, key: str) -> AbstractContextManager[Path]:
        """A local file holding the object while the context lasts (long responses are read from disk)."""

    @abstractmethod
    def copy(self, source_key: str, destination_key: str) -> str: ...

    @abstractmethod
    def uri(self, key: str) -> str: ...

    def read_text(self, key: str) -> str:
        return self.read_bytes(key).decode("utf-8")

    def write_text(self, key: str, text: str, content_type: str = "text/plain; charset=utf-8") -> str:
        return self.write_bytes(key, text.encode("utf-8"), content_type)


class LocalDocumentStore(DocumentStore):
    """A folder standing in for the bucket; keys map to paths below `root`."""

    root: str = "./data"

    def _path(self, key: str) -> Path:
        return Path(self.root).resolve() / validate_key(key)

    def _stored(self, key: str, stat: os.stat_result) -> StoredObject:
        # ctime catches files moved in with an old mtime; inode catches replacement.
        changed = max(stat.st_mtime, stat.st_ctime)
        readable = readable_key(key)
        return StoredObject(
            key=readable,
            unreadable_name=readable != key,
            version=f"{stat.st_mtime_ns:x}-{stat.st_size:x}-{stat.st_ino:x}",
            size=stat.st_size,
            last_modified=datetime.fromtimestamp(changed, UTC),
        )

    def list_objects(
        self,
        prefix: str,
        recursive: bool = True,
        *,
        start_after: str | None = None,
        modified_since: datetime | None = None,
        page_size: int | None = None,
    ) -> Iterator[StoredObject]:
        """The folder walked in no particular order; `modified_since` is checked on the stat the walk makes.

        So a folder of 100k old scans costs a stat each and nothing more. A file whose name is
        not valid UTF-8 is listed under its name with the bad bytes escaped (`\\xe9`) and
        `unreadable_name` set: it cannot be read back under that key, but it is seen.
        """
        root = Path(self.root).resolve()
        base = root / validate_key(prefix.rstrip("/") or ".") if prefix.strip("/") else root
        if not base.is_dir():
            return
        since = modified_since.timestamp() if modified_since else None
        start = len(str(root)) + 1
        stack = [str(base)]
        while stack:
            with os.scandir(stack.pop()) as entries:
                for entry in entries:
                    if entry.is_dir(follow_symlinks=False):
                        if recursive:
                            stack.append(entry.path)
                    elif entry.is_file(follow_symlinks=False) and not entry.name.startswith(".tmp-"):
                        stat = entry.stat(follow_symlinks=False)
                        if since is not None and max(stat.st_mtime, stat.st_ctime) < since:
                            continue
                        key = entry.path[start:].replace(os.sep, "/")
                        if start_after is not None and key <= start_after:
                            continue
                        yield self._stored(key, stat)

    def head(self, key: str) -> StoredObject | None:
        path = self._path(key)
        return self._stored(key, path.stat()) if path.is_file() else None

    def read_bytes(self, key: str) -> bytes:
        return self._path(key).read_bytes()

    def read_bytes_if_present(self, key: str) -> bytes | None:
        try:
            return self.read_bytes(key)
        except FileNotFoundError:
            return None

    def _replace_atomically(self, key: str, fill: Callable[[Path], None]) -> str:
        """Fill a temp file beside the target, then rename it into place, readable as any file the user makes.

        mkstemp creates its file 0600; outputs are for people to browse, so they get the umask's mode.
        """
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
        os.close(handle)
        try:
            fill(Path(temp_name))
            os.chmod(temp_name, 0o666 & ~_UMASK)
            os.replace(temp_name, path)
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise
        return self.uri(key)

    def write_bytes(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> str:
        return self._replace_atomically(key, lambda temp: temp.write_bytes(data))

    def write_file(self, key: str, path: Path, content_type: str = "application/octet-stream") -> str:
        return self._replace_atomically(key, lambda temp: shutil.copyfile(path, temp))

    @contextmanager
    def local_file(self, key: str) -> Iterator[Path]:
        yield self._path(key)

    def copy(self, source_key: str, destination_key: str) -> str:
        source = self._path(source_key)
        return self._replace_atomically(destination_key, lambda temp: shutil.copyfile(source, temp))

    def uri(self, key: str) -> str:
        return self._path(key).as_uri()
