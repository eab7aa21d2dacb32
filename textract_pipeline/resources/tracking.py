"""Status and results tracking: DynamoDB in AWS, a SQLite file with the same model offline."""

from __future__ import annotations

import json
import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import dagster as dg

from textract_pipeline.records import (
    DocumentRecord,
    DocumentStatus,
    ResultRecord,
    transition_allowed,
    utc_now,
)
from textract_pipeline.resources.document_store import StoredObject


class TrackingStore(dg.ConfigurableResource, ABC):
    """The id <-> key mapping, the status lifecycle and the queryable results."""

    @abstractmethod
    def register_upload(self, document_id: str, stored: StoredObject) -> DocumentRecord:
        """Record a sighting of an object; a new content version resets it to RECEIVED."""

    @abstractmethod
    def get(self, document_id: str) -> DocumentRecord | None: ...

    @abstractmethod
    def list_documents(self, status: DocumentStatus | None = None) -> list[DocumentRecord]: ...

    @abstractmethod
    def start_attempt(self, document_id: str, attempt_id: str, **fields: Any) -> DocumentRecord:
        """Claim the document for a new attempt; older attempts' writes are refused from now on."""

    @abstractmethod
    def set_status(
        self, document_id: str, attempt_id: str, status: DocumentStatus, reason: str | None = None, **fields: Any
    ) -> bool:
        """Conditional write: applied only for the current attempt and a forward transition."""

    def register_refused(self, document_id: str, stored: StoredObject, reason: str) -> DocumentRecord | None:
        """Record an object the pipeline cannot take at all (say, a name it cannot read back) as FAILED."""
        self.register_upload(document_id, stored)
        attempt_id = f"refused-{stored.version}"
        self.start_attempt(document_id, attempt_id)
        self.set_status(document_id, attempt_id, DocumentStatus.FAILED, reason=reason)
        return self.get(document_id)

    @abstractmethod
    def put_result(self, result: ResultRecord, attempt_id: str) -> bool:
        """Upsert by processing id while `attempt_id` is the document's current attempt; False if it is not.

        Re-running a processing replaces its result; a superseded run writes nothing.
        """

    @abstractmethod
    def query_results(
        self,
        *,
        object_key: str | None = None,
        upload_date: str | None = None,
        status: DocumentStatus | None = None,
        document_type: str | None = None,
    ) -> list[ResultRecord]: ...


def _history_entry(status: DocumentStatus, attempt_id: str | None, reason: str | None) -> dict[str, Any]:
    return {"status": status.value, "at": utc_now().isoformat(), "attempt_id": attempt_id, "reason": reason}


def merge_outputs(record: DocumentRecord, fields: dict[str, Any]) -> dict[str, Any]:
    """Steps report their own output keys; the record keeps all of them."""
    if "outputs" in fields:
        return {**fields, "outputs": {**record.outputs, **fields["outputs"]}}
    return fields


_SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    document_id TEXT PRIMARY KEY,
    object_key TEXT NOT NULL,
    status TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS documents_by_key ON documents (object_key);
CREATE INDEX IF NOT EXISTS documents_by_status ON documents (status);
CREATE TABLE IF NOT EXISTS results (
    processing_id TEXT PRIMARY KEY,
    timestamp TEXT NOT NULL,
    document_id TEXT NOT NULL,
    object_key TEXT NOT NULL,
    upload_date TEXT NOT NULL,
    status TEXT NOT NULL,
    document_type TEXT,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS results_by_key ON results (object_key);
CREATE INDEX IF NOT EXISTS results_by_upload_date ON results (upload_date);
CREATE INDEX IF NOT EXISTS results_by_status ON results (status);
CREATE INDEX IF NOT EXISTS results_by_document_type ON results (document_type);
"""


_NOT_WRITABLE = ("SQLITE_READONLY", "SQLITE_CANTOPEN")


class SqliteTrackingStore(TrackingStore):
    """The two DynamoDB tables as two SQLite tables, with the same indexes as the GSIs."""

    path: str = "./data/tracking.sqlite"

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        connection = self._begin()
        try:
            try:
                yield connection
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
        finally:
            connection.close()

    def _begin(self) -> sqlite3.Connection:
        """A connection in a write transaction, or in a read-only one where the file or folder cannot be written.

        Reading needs no write access (`textract-pipeline status` on a read-only copy); a write
        through the read-only connection fails with SQLite's "attempt to write a readonly database".
        """
        path = Path(self.path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            connection = sqlite3.connect(path, timeout=30, isolation_level=None)
        except (OSError, sqlite3.OperationalError) as error:
            return self._begin_read_only(error)
        try:
            connection.execute("PRAGMA journal_mode=WAL")
            connection.executescript(_SCHEMA)
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            connection.close()
            if not (error.sqlite_errorname or "").startswith(_NOT_WRITABLE):
                raise
            return self._begin_read_only(error)
        return connection

    def _begin_read_only(self, cause: Exception) -> sqlite3.Connection:
        if not Path(self.path).is_file():
            raise cause
        uri = Path(self.path).resolve().as_uri()
        # A WAL database opens read-only only beside its -shm file, which a read-only folder may
        # not have: then it is read as immutable (a writer elsewhere would go unnoticed by this read).
        for options in ("mode=ro", "mode=ro&immutable=1"):
            connection = sqlite3.connect(f"{uri}?{options}", uri=True, timeout=30, isolation_level=None)
            try:
                connection.execute("BEGIN")
                connection.execute("SELECT count(*) FROM sqlite_master").fetchone()
                return connection
            except sqlite3.OperationalError:
                connection.close()
        raise cause

    @staticmethod
    def _load(connection: sqlite3.Connection, document_id: str) -> DocumentRecord | None:
        row = connection.execute("SELECT body FROM documents WHERE document_id = ?", (document_id,)).fetchone()
        return DocumentRecord.model_validate_json(row[0]) if row else None

    @staticmethod
    def _save(connection: sqlite3.Connection, record: DocumentRecord) -> None:
        record.updated_at = utc_now()
        connection.execute(
            "INSERT OR REPLACE INTO documents (document_id, object_key, status, updated_at, body) VALUES (?, ?, ?, ?, ?)",
            (
                record.document_id,
                record.object_key,
                record.status.value,
                record.updated_at.isoformat(),
                record.model_dump_json(),
            ),
        )

    def register_upload(self, document_id: str, stored: StoredObject) -> DocumentRecord:
        with self._transaction() as connection:
            record = self._load(connection, document_id)
            if record is not None and record.version == stored.version:
                return record
            record = DocumentRecord(
                document_id=document_id,
                object_key=stored.key,
                version=stored.version,
                size=stored.size,
                received_at=utc_now(),
                history=(record.history if record else []) + [_history_entry(DocumentStatus.RECEIVED, None, None)],
            )
            self._save(connection, record)
            return record

    def get(self, document_id: str) -> DocumentRecord | None:
        with self._transaction() as connection:
            return self._load(connection, document_id)

    def list_documents(self, status: DocumentStatus | None = None) -> list[DocumentRecord]:
        with self._transaction() as connection:
            query, parameters = "SELECT body FROM documents", ()
            if status is not None:
                query, parameters = query + " WHERE status = ?", (status.value,)
            rows = connection.execute(query + " ORDER BY updated_at", parameters).fetchall()
        return [DocumentRecord.model_validate_json(row[0]) for row in rows]

    def start_attempt(self, document_id: str, attempt_id: str, **fields: Any) -> DocumentRecord:
        with self._transaction() as connection:
            record = self._load(connection, document_id)
            if record is None:
                raise KeyError(f"document {document_id!r} was never registered")
            record = record.model_copy(
                update={
                    **fields,
                    "attempt_id": attempt_id,
                    "status": DocumentStatus.RECEIVED,
                    "reason": None,
                    "history": record.history
                    + [_history_entry(DocumentStatus.RECEIVED, attempt_id, "attempt started")],
                }
            )
            self._save(connection, record)
            return record

    def set_status(
        self, document_id: str, attempt_id: str, status: DocumentStatus, reason: str | None = None, **fields: Any
    ) -> bool:
        with self._transaction() as connection:
            record = self._load(connection, document_id)
            if record is None or record.attempt_id != attempt_id or not transition_allowed(record.status, status):
                return False
            fields = merge_outputs(record, fields)
            record = record.model_copy(
                update={
                    **fields,
                    "status": status,
                    "reason": reason,
                    "history": record.history + [_history_entry(status, attempt_id, reason)],
                }
            )
            self._save(connection, record)
            return True

    def put_result(self, result: ResultRecord, attempt_id: str) -> bool:
        with self._transaction() as connection:
            record = self._load(connection, result.document_id)
            if record is None or record.attempt_id != attempt_id:
                return False
            connection.execute(
                "INSERT OR REPLACE INTO results (processing_id, timestamp, document_id, object_key, upload_date, status,"
                " document_type, body) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    result.processing_id,
                    result.timestamp.isoformat(),
                    result.document_id,
                    result.object_key,
                    result.upload_date,
                    result.status.value,
                    result.document_type,
                    result.model_dump_json(),
                ),
            )
            return True

    def query_results(
        self,
        *,
        object_key: str | None = None,
        upload_date: str | None = None,
        status: DocumentStatus | None = None,
        document_type: str | None = None,
    ) -> list[ResultRecord]:
        filters = {
            "object_key": object_key,
            "upload_date": upload_date,
            "status": status,
            "document_type": document_type,
        }
        clauses = [(f"{column} = ?", str(value)) for column, value in filters.items() if value is not None]
        query = "SELECT body FROM results"
        if clauses:
            query += " WHERE " + " AND ".join(clause for clause, _ in clauses)
        with self._transaction() as connection:
            rows = connection.execute(query + " ORDER BY timestamp", [value for _, value in clauses]).fetchall()
        return [ResultRecord.model_validate(json.loads(row[0])) for row in rows]
