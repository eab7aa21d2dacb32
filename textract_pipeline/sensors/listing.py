"""Finding uploads by listing incoming/: the per-tick pass over recent hour folders and the periodic full pass.

Passes keep a time watermark and the run keys seen near it, so nothing depends on key order;
where the store lists in key order (S3), a pass is spread over ticks, a bounded number of
objects per tick. Every tick lists only the files directly in incoming/ and the hour folders
(incoming/YYYY/MM/DD/HH/, see `dated_incoming_key`) that can hold anything new, so its cost
follows the uploads of the last hour, not the size of the bucket. A full pass over all of
incoming/ every FULL_PASS_INTERVAL finds what those cannot: objects in older or future hour
folders and in any other sub-folder.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timedelta
from itertools import chain

from pydantic import BaseModel, Field

from textract_pipeline.documents import is_supported_key
from textract_pipeline.records import utc_now
from textract_pipeline.resources.document_store import (
    INCOMING_PREFIX,
    LISTING_PAGE_KEYS,
    DocumentStore,
    StoredObject,
    hours_between,
    incoming_day_prefix,
    incoming_hour_of_key,
    incoming_hour_prefix,
)
from textract_pipeline.sensors.run_requests import run_key_for

# Objects can appear with a modification time slightly behind the newest one already seen
# (clock skew, slow uploads); everything this close to the watermark is looked at again.
LOOKBACK = timedelta(minutes=10)
# Work per tick stays bounded whatever the bucket holds: a pass over 100k keys takes a few
# ticks, and every run request costs a tracking write, so a burst is spread over ticks.
MAX_LISTED_PER_TICK = 20_000
MAX_RUNS_PER_TICK = 500
# Objects the per-tick listing cannot see (older or future hour folders, other sub-folders)
# are found by a full pass over incoming/ this often, at the latest.
FULL_PASS_INTERVAL = timedelta(hours=1)
# Past this many hour folders to list (a sensor stopped for days), list whole days instead.
MAX_HOUR_PREFIXES = 48


class ListingPass(BaseModel):
    """One kind of pass over a listing: the watermark, the run keys seen near it and an unfinished pass."""

    watermark: datetime | None = None
    recent_run_keys: dict[str, datetime] = Field(default_factory=dict)
    sweep_after: str | None = None
    sweep_started_at: datetime | None = None
    sweep_max: datetime | None = None


class UploadCursor(ListingPass):
    """Listing: the per-tick pass (the inherited fields) and the periodic full pass; SQS: messages to delete.

    `full_pass_at` is when the last completed full pass began; a cursor without it starts a full
    pass on its next tick.
    """

    full_pass: ListingPass = Field(default_factory=ListingPass)
    full_pass_at: datetime | None = None
    pending_deletes: list[str] = Field(default_factory=list)

    @classmethod
    def parse(cls, cursor: str | None) -> UploadCursor:
        return cls.model_validate_json(cursor) if cursor else cls()


class Scan(BaseModel):
    new: list[StoredObject]
    skipped: list[str]
    cursor: ListingPass
    complete: bool = True
    listed: int = 0


def _advanced_watermark(watermark: datetime | None, sweep_max: datetime | None, started: datetime) -> datetime | None:
    """Where a pass that saw objects up to `sweep_max` and began at `started` leaves the watermark."""
    if sweep_max is None:
        return watermark
    reached = min(sweep_max, started)
    return max(watermark, reached) if watermark else reached


def scan_incoming(
    objects: Iterable[StoredObject],
    cursor: ListingPass,
    *,
    max_listed: int | None = None,
    max_new: int | None = None,
    now: datetime | None = None,
    ordered: bool = False,
    include: Callable[[StoredObject], bool] | None = None,
) -> Scan:
    """Split (part of) a pass over the listing into new and unsupported objects, and advance the cursor.

    `objects` continues the pass where `cursor.sweep_after` left it. The watermark moves only
    when a pass completes, and then no further than the newest object seen or the time the
    pass began, whichever is earlier: an object written behind the pass while it ran is newer
    than that, so the next pass still looks at it. With an `ordered` listing (S3), run keys
    behind the pass that the next pass will ignore anyway are dropped at once, so a long
    pass over an old backlog does not carry every key it has seen in the cursor. Objects
    `include` refuses are listed (they move the pass on) but neither requested nor remembered.
    The cursor comes back as the same model (an `UploadCursor` keeps its other fields).
    """
    horizon = cursor.watermark - LOOKBACK if cursor.watermark else None
    started = cursor.sweep_started_at or now or utc_now()
    sweep_max, last_key = cursor.sweep_max, cursor.sweep_after
    new: list[StoredObject] = []
    skipped: list[str] = []
    recent = dict(cursor.recent_run_keys)
    listed, complete = 0, True
    for stored in objects:
        listed += 1
        last_key = stored.key
        sweep_max = max(sweep_max, stored.last_modified) if sweep_max else stored.last_modified
        run_key = run_key_for(stored)
        if (
            (horizon is None or stored.last_modified >= horizon)
            and run_key not in recent
            and (include is None or include(stored))
        ):
            recent[run_key] = stored.last_modified
            if is_supported_key(stored.key):
                new.append(stored)
            else:
                skipped.append(stored.key)
        # Stop without peeking further (that could fetch another page); if this was the
        # last object, the next tick finds the listing empty and completes the pass.
        if (max_listed is not None and listed >= max_listed) or (max_new is not None and len(new) >= max_new):
            complete = False
            break
    if not complete:
        if ordered and sweep_max is not None:
            floor = _advanced_watermark(cursor.watermark, sweep_max, started) - LOOKBACK
            recent = {
                run_key: seen
                for run_key, seen in recent.items()
                if seen >= floor or run_key.rsplit("@", 1)[0] > last_key
            }
        progress = {"sweep_after": last_key, "sweep_started_at": started, "sweep_max": sweep_max}
        next_cursor = cursor.model_copy(update={"recent_run_keys": recent, **progress})
        return Scan(new=new, skipped=skipped, cursor=next_cursor, complete=False, listed=listed)
    watermark = _advanced_watermark(cursor.watermark, sweep_max, started)
    if watermark is not None:
        recent = {key: seen for key, seen in recent.items() if seen >= watermark - LOOKBACK}
    done = {"watermark": watermark, "recent_run_keys": recent}
    done |= {"sweep_after": None, "sweep_started_at": None, "sweep_max": None, "pending_deletes": []}
    next_cursor = cursor.model_copy(
        update={key: value for key, value in done.items() if key in type(cursor).model_fields}
    )
    return Scan(new=new, skipped=skipped, cursor=next_cursor, listed=listed)


def listed_each_tick(stored: StoredObject) -> bool:
    """Whether this object version is the ticks' business (else the full pass's): each goes to exactly one.

    Theirs: the files directly in incoming/, and those in the hour folder of their change time
    T give or take LOOKBACK (an uploader's clock a little off, a long upload named when it
    began). A tick lists the hour folders from the one holding (watermark - 2 x LOOKBACK)
    to the one holding (now + LOOKBACK); the first tick that looks at a version changed at T
    (T at or after its watermark - LOOKBACK, as for any listing) so lists every hour folder
    from hour(T - LOOKBACK) to hour(T + LOOKBACK). Any other hour folder, or any other
    sub-folder of incoming/, is left to the full pass, even when a tick happens to list it.
    """
    if "/" not in stored.key.removeprefix(INCOMING_PREFIX):
        return True
    hour = incoming_hour_of_key(stored.key)
    return (
        hour is not None
        and hour <= stored.last_modified + LOOKBACK
        and stored.last_modified - LOOKBACK < hour + timedelta(hours=1)
    )


def tick_prefixes(horizon: datetime, now: datetime) -> list[str]:
    """The hour folders a tick lists: from the one holding `horizon` - LOOKBACK to the one holding now + LOOKBACK.

    Past MAX_HOUR_PREFIXES of them (the sensor was stopped for days) it lists whole days.
    """
    hours = hours_between(horizon - LOOKBACK, now + LOOKBACK)
    if len(hours) <= MAX_HOUR_PREFIXES:
        return [incoming_hour_prefix(hour) for hour in hours]
    return list(dict.fromkeys(incoming_day_prefix(hour) for hour in hours))


def _page_size() -> int:
    # Pages no bigger than a tick can use: in a backlog most listed objects are new.
    return min(MAX_LISTED_PER_TICK, MAX_RUNS_PER_TICK, LISTING_PAGE_KEYS)


def _horizon(state: ListingPass) -> datetime | None:
    return state.watermark - LOOKBACK if state.watermark else None


def _tick_listing(document_store: DocumentStore, state: ListingPass, now: datetime) -> Iterable[StoredObject]:
    """The files directly in incoming/ and those in the hour folders that can hold anything new."""
    horizon = _horizon(state)
    assert horizon is not None
    prefixes = tick_prefixes(horizon, now)
    if document_store.ordered_listing:
        # In key order across all of them, so an unfinished pass resumes after one key.
        after = state.sweep_after
        sources: list[Iterator[StoredObject]] = [
            document_store.list_objects(INCOMING_PREFIX, recursive=False, start_after=after, page_size=_page_size())
        ]
        for prefix in prefixes:
            if after is None or after < prefix or after.startswith(prefix):  # else all of it is behind the pass
                sources.append(document_store.list_objects(prefix, start_after=after, page_size=_page_size()))
        return heapq.merge(*sources, key=lambda stored: stored.key)
    return chain(
        document_store.list_objects(INCOMING_PREFIX, recursive=False, modified_since=horizon),
        *(document_store.list_objects(prefix, modified_since=horizon) for prefix in prefixes),
    )


def _full_listing(document_store: DocumentStore, state: ListingPass) -> Iterable[StoredObject]:
    if document_store.ordered_listing:
        return document_store.list_objects(INCOMING_PREFIX, start_after=state.sweep_after, page_size=_page_size())
    # Unordered: an unfinished pass restarts (its run keys dedupe it), skipping objects changed
    # before the horizon.
    return document_store.list_objects(INCOMING_PREFIX, modified_since=_horizon(state))


def scan_listing(
    document_store: DocumentStore, cursor: UploadCursor, now: datetime
) -> tuple[list[StoredObject], list[str], UploadCursor]:
    """A tick in listing mode: the per-tick pass, then (when due) the full pass with what room is left.

    S3 passes are ordered and cut at MAX_LISTED_PER_TICK objects, resuming next tick; local
    passes are unordered, so an unfinished one restarts and only the number of runs cuts it.
    The first pass of a sensor without a cursor is a full pass that requests everything.
    """
    ordered = document_store.ordered_listing
    max_listed = MAX_LISTED_PER_TICK if ordered else None
    new: list[StoredObject] = []
    skipped: list[str] = []
    listed = 0
    tick_pass = ListingPass(**cursor.model_dump(include=set(ListingPass.model_fields)))
    full, full_pass_at = cursor.full_pass, cursor.full_pass_at
    if tick_pass.watermark is not None:
        listing = _tick_listing(document_store, tick_pass, now)
        scan = scan_incoming(
            listing,
            tick_pass,
            max_listed=max_listed,
            max_new=MAX_RUNS_PER_TICK,
            now=now,
            ordered=ordered,
            include=listed_each_tick,
        )
        new, skipped, listed, tick_pass = scan.new, scan.skipped, scan.listed, scan.cursor
    due = full.sweep_started_at is not None or full_pass_at is None or now - full_pass_at >= FULL_PASS_INTERVAL
    room_new = MAX_RUNS_PER_TICK - len(new)
    room_listed = None if max_listed is None else max_listed - listed
    if due and room_new > 0 and (room_listed is None or room_listed > 0):
        started = full.sweep_started_at or now
        scan = scan_incoming(
            _full_listing(document_store, full),
            full,
            max_listed=room_listed,
            max_new=room_new,
            now=now,
            ordered=ordered,
            include=None if full.watermark is None else lambda stored: not listed_each_tick(stored),
        )
        new, skipped, full = new + scan.new, skipped + scan.skipped, scan.cursor
        if scan.complete:
            full_pass_at = started
            if full.watermark is None:  # incoming/ was empty: later passes look back from when this one began
                full = full.model_copy(update={"watermark": started})
            if tick_pass.watermark is None:  # the first pass ever: the ticks carry on from where it got
                tick_pass = ListingPass(watermark=full.watermark, recent_run_keys=dict(full.recent_run_keys))
    next_cursor = UploadCursor(**tick_pass.model_dump(), full_pass=full, full_pass_at=full_pass_at)
    return new, skipped, next_cursor
