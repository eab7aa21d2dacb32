"""Accumulates Textract blocks: uuid Ids, Page numbers, Geometry and relationships."""

from __future__ import annotations

import statistics
import uuid
from typing import Any

from textract_pipeline.ocr.forms import KeyValue
from textract_pipeline.ocr.geometry import FULL_PAGE_GEOMETRY, PageFrame, union_all
from textract_pipeline.ocr.layout import LayoutBlock
from textract_pipeline.ocr.model import Line, PageContent, SelectionMark
from textract_pipeline.ocr.tables import Table


class BlockBuilder:
    """Collects the blocks of one response; each `add` returns the new block's Id.

    Blocks are built as single dict literals with all relationships known up front: a
    100-page scan holds ~50,000 blocks, and dicts grown key by key cost twice the memory.
    """

    def __init__(self) -> None:
        self.blocks: list[dict[str, Any]] = []
        self._page_children: dict[int, list[str]] = {}

    def add(
        self,
        block_type: str,
        page: int,
        geometry: dict,
        confidence: float,
        children: list[str] | None = None,
        *,
        block_id: str | None = None,
        related: tuple[str, list[str]] | None = None,
        **fields: Any,
    ) -> str:
        """Append one block; `related` is an extra (Type, Ids) relationship such as VALUE or MERGED_CELL."""
        block_id = block_id or new_id()
        relationships = [{"Type": "CHILD", "Ids": children}] if children else []
        if related and related[1]:
            relationships.append({"Type": related[0], "Ids": related[1]})
        block = {
            "BlockType": block_type,
            "Confidence": round(float(min(max(confidence, 0.0), 100.0)), 4),
            **fields,
            "Geometry": geometry,
            "Id": block_id,
            "Page": page,
        }
        if relationships:
            block["Relationships"] = relationships
        self.blocks.append(block)
        return block_id

    def add_page(self, page: int) -> None:
        children: list[str] = []
        self._page_children[page] = children
        self.blocks.append(
            {
                "BlockType": "PAGE",
                "Geometry": FULL_PAGE_GEOMETRY,
                "Id": new_id(),
                "Relationships": [{"Type": "CHILD", "Ids": children}],
                "Page": page,
            }
        )

    def attach_to_page(self, page: int, child_ids: list[str]) -> None:
        """List blocks as children of their PAGE, as Textract does for LINE, TABLE, KEY_VALUE_SET, LAYOUT_*."""
        self._page_children[page].extend(child_ids)


def new_id() -> str:
    return str(uuid.uuid4())


def add_lines_and_words(builder: BlockBuilder, page: PageContent) -> None:
    """LINE blocks in reading order, each followed by the WORD blocks it contains."""
    line_ids = []
    for line in page.lines:
        line_ids.append(add_line(builder, page.number, page.frame, line))
    builder.attach_to_page(page.number, line_ids)


def add_line(builder: BlockBuilder, page: int, frame: PageFrame, line: Line) -> str:
    """A LINE followed by its WORDs, the order Textract lists them in."""
    for word in line.words:
        word.block_id = new_id()
    line.block_id = builder.add(
        "LINE",
        page,
        frame.geometry(line.box),
        line.confidence,
        [w.block_id for w in line.words],
        Text=line.text,
    )
    for word in line.words:
        builder.add(
            "WORD",
            page,
            frame.geometry(word.box),
            word.confidence,
            block_id=word.block_id,
            Text=word.text,
            TextType="PRINTED",
        )
    return line.block_id


def add_selection_elements(builder: BlockBuilder, page: PageContent, marks: list[SelectionMark]) -> None:
    for mark in marks:
        mark.block_id = builder.add(
            "SELECTION_ELEMENT",
            page.number,
            page.frame.geometry(mark.box),
            mark.confidence,
            SelectionStatus="SELECTED" if mark.selected else "NOT_SELECTED",
        )


def add_key_values(builder: BlockBuilder, page: PageContent, pairs: list[KeyValue]) -> None:
    """KEY and VALUE KEY_VALUE_SET blocks; a VALUE's child is its words or its checkbox."""
    ids = []
    for pair in pairs:
        value_children = [pair.value_mark.block_id] if pair.value_mark else [w.block_id for w in pair.value_words]
        value_id = builder.add(
            "KEY_VALUE_SET",
            page.number,
            page.frame.geometry(pair.value_box),
            pair.confidence,
            value_children,
            EntityTypes=["VALUE"],
        )
        key_id = builder.add(
            "KEY_VALUE_SET",
            page.number,
            page.frame.geometry(pair.key_box),
            pair.confidence,
            [w.block_id for w in pair.key_words],
            related=("VALUE", [value_id]),
            EntityTypes=["KEY"],
        )
        ids += [key_id, value_id]
    builder.attach_to_page(page.number, ids)


def add_tables(builder: BlockBuilder, page: PageContent, tables: list[Table]) -> None:
    """TABLE blocks with one CELL per grid position (RowIndex/ColumnIndex are 1-based)."""
    ids = []
    for table in tables:
        cell_ids = []
        for cell in table.cells:
            confidences = [word.confidence for word in cell.words] + [mark.confidence for mark in cell.marks]
            cell.block_id = builder.add(
                "CELL",
                page.number,
                page.frame.geometry(cell.box),
                statistics.fmean(confidences) if confidences else 90.0,
                [w.block_id for w in cell.words] + [m.block_id for m in cell.marks],
                RowIndex=cell.row,
                ColumnIndex=cell.column,
                RowSpan=cell.row_span,
                ColumnSpan=cell.column_span,
            )
            cell_ids.append(cell.block_id)
        merged_ids = [
            builder.add(
                "MERGED_CELL",
                page.number,
                page.frame.geometry(merged.box),
                80.0,
                [c.block_id for c in table.cells if merged.box.contains_point(c.box.center_x, c.box.center_y)],
                RowIndex=merged.row,
                ColumnIndex=merged.column,
                RowSpan=merged.row_span,
                ColumnSpan=merged.column_span,
            )
            for merged in table.merged
        ]
        table.block_id = builder.add(
            "TABLE",
            page.number,
            page.frame.geometry(table.box),
            90.0 if table.ruled else 70.0,
            cell_ids,
            related=("MERGED_CELL", merged_ids),
            EntityTypes=["STRUCTURED_TABLE"],
        )
        ids.append(table.block_id)
    builder.attach_to_page(page.number, ids)


def add_layout(builder: BlockBuilder, page: PageContent, layout: list[LayoutBlock]) -> None:
    ids = []
    for block in layout:
        box = union_all(line.box for line in block.lines)
        confidence = statistics.fmean(line.confidence for line in block.lines)
        ids.append(
            builder.add(
                block.block_type,
                page.number,
                page.frame.geometry(box),
                confidence,
                [line.block_id for line in block.lines],
            )
        )
    builder.attach_to_page(page.number, ids)
