"""One way in to a Textract response: amazon-textract-textractor's entity graph, whole or page by page.

Every stage (extraction, reports, metadata) reads Textract JSON through this package so that the
embedded OCR engine and the real service are consumed identically, and long documents page by
page with memory flat in the page count:

- ``reader``: ``iter_response_pages`` / ``ResponseReader`` stream a response file's pages;
  ``load_document``, ``load_page_document`` and ``iter_page_documents`` make textractor Documents.
- ``malformed``: what makes a file unreadable, each case named in one line (``MalformedResponseError``).
- ``writer``: ``write_response`` writes a response page by page (``write_response_dict`` one in memory).
- ``statistics``: pages, words and mean WORD confidence (``response_stats``, ``StatsCounter``).
- ``preview``: ``markdown_preview``, textractor's markdown of the first pages.
"""

from textract_pipeline.textract_document.malformed import MalformedResponseError
from textract_pipeline.textract_document.preview import MARKDOWN_PREVIEW_CHARS, markdown_preview
from textract_pipeline.textract_document.reader import (
    DEFAULT_PAGES_PER_CHUNK,
    Block,
    PageBlocks,
    PageChunk,
    ResponseReader,
    Source,
    block_page,
    iter_page_documents,
    iter_response_pages,
    load_document,
    load_page_document,
)
from textract_pipeline.textract_document.statistics import (
    ResponseStats,
    StatsCounter,
    page_count,
    response_stats,
    word_stats,
)
from textract_pipeline.textract_document.writer import pages_of_response, write_response, write_response_dict

__all__ = [
    "DEFAULT_PAGES_PER_CHUNK",
    "MARKDOWN_PREVIEW_CHARS",
    "Block",
    "MalformedResponseError",
    "PageBlocks",
    "PageChunk",
    "ResponseReader",
    "ResponseStats",
    "Source",
    "StatsCounter",
    "block_page",
    "iter_page_documents",
    "iter_response_pages",
    "load_document",
    "load_page_document",
    "markdown_preview",
    "page_count",
    "pages_of_response",
    "response_stats",
    "word_stats",
    "write_response",
    "write_response_dict",
]
