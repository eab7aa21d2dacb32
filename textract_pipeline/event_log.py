"""Dagster's SQLite event log, keeping each database file's connection open between events.

The stock `SqliteEventLogStorage` builds an engine, connects, checks the schema and disposes
of it all again for every event it writes, and every asset event is written twice (the run's
file and the cross-run index). A document writes 14 asset events (planned and done for each
of its 7 assets), so on the embedded default that bookkeeping was the largest CPU cost the
pipeline added to the OCR (docs/PERFORMANCE.md). This subclass keeps one connection per file,
for the index and the most recently used run files, so an event is one insert and one commit.

It reads and writes the same files with the same schema: an instance can switch between it
and the stock storage at any time. The stock storage's lock already lets one thread at a time
use a connection, so one connection per file is enough.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy
import yaml
from dagster._core.storage.event_log import SqliteEventLogStorage
from dagster._core.storage.event_log.sqlite.sqlite_event_log import INDEX_SHARD_NAME
from dagster._core.storage.sqlite import SQLITE_BUSY_TIMEOUT_SECONDS
from dagster._serdes import ConfigurableClassData
from sqlalchemy.pool import StaticPool

# Run files with an open connection besides the index; older ones are closed when a new one opens.
OPEN_RUN_FILES = 8


class PooledSqliteEventLogStorage(SqliteEventLogStorage):
    """`SqliteEventLogStorage` with the index's and recent runs' connections kept open."""

    def __init__(self, base_dir: str, inst_data: ConfigurableClassData | None = None):
        self._engines: OrderedDict[str, sqlalchemy.Engine] = OrderedDict()  # used under `_db_lock`
        self._tables_present: set[str] = set()
        super().__init__(base_dir, inst_data)

    @classmethod
    def from_config_value(
        cls, inst_data: ConfigurableClassData | None, config_value: Mapping[str, Any]
    ) -> PooledSqliteEventLogStorage:
        return cls(inst_data=inst_data, **config_value)

    @contextmanager
    def _connect(self, shard: str) -> Iterator[sqlalchemy.Connection]:
        with self._db_lock:
            engine = self._engine(shard)
            if shard not in self._initialized_dbs:
                self._initdb(engine)
                self._initialized_dbs.add(shard)
            with engine.connect() as connection, connection.begin():
                yield connection

    def _engine(self, shard: str) -> sqlalchemy.Engine:
        engine = self._engines.get(shard)
        if engine is None:
            # One connection, made in whichever thread first writes; `_db_lock` serialises its use.
            engine = sqlalchemy.create_engine(
                self.conn_string_for_shard(shard),
                poolclass=StaticPool,
                connect_args={"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, "check_same_thread": False},
            )
            self._engines[shard] = engine
        self._engines.move_to_end(shard)
        run_files = [name for name in self._engines if name != INDEX_SHARD_NAME]
        for oldest in run_files[: max(0, len(run_files) - OPEN_RUN_FILES)]:
            self._engines.pop(oldest).dispose()
        return engine

    def has_table(self, table_name: str) -> bool:
        """Tables are only ever added, so a table seen once is not looked up again."""
        if table_name not in self._tables_present and super().has_table(table_name):
            self._tables_present.add(table_name)
        return table_name in self._tables_present

    def _close_connections(self) -> None:
        while self._engines:
            self._engines.popitem()[1].dispose()

    def wipe(self) -> None:
        with self._db_lock:
            self._close_connections()
        super().wipe()

    def dispose(self) -> None:
        with self._db_lock:
            self._close_connections()
        super().dispose()


def event_log_storage_yaml(base_dir: Path) -> str:
    """The `dagster.yaml` section selecting this storage for the event files in `base_dir`."""
    storage = {"module": __name__, "class": PooledSqliteEventLogStorage.__name__, "config": {"base_dir": str(base_dir)}}
    return yaml.safe_dump({"event_log_storage": storage}, sort_keys=False)
