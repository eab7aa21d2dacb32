"""The markdown preview of a response that asset metadata shows: its first pages only."""

from __future__ import annotations

import contextlib

from textract_pipeline.textract_document.reader import Source, iter_response_pages, load_page_document

MARKDOWN_PREVIEW_CHARS = 4000


def markdown_preview(source: Source, max_chars: int = MARKDOWN_PREVIEW_CHARS) -> str:
    """textractor's markdown of the document, cut at ``max_chars`` (then ending in "\\n\\n…").

    Parses pages one at a time and stops once the text is longer than ``max_chars``, so memory and
    time depend on the first pages only. Equals the same cut of ``load_document(response).to_markdown()``:
    textractor's document markdown is its pages' markdown joined by the layout separator.
    """
    from textractor.data.markdown_linearization_config import MarkdownLinearizationConfig

    config = MarkdownLinearizationConfig()
    separator = config.layout_element_separator
    texts: list[str] = []
    length = -len(separator)
    with contextlib.closing(iter_response_pages(source)) as pages:
        for page in pages:
            text = load_page_document([page]).to_markdown(config)
            texts.append(text)
            length += len(separator) + len(text)
            if length > max_chars:
                break
    markdown = separator.join(texts)
    return markdown if len(markdown) <= max_chars else markdown[:max_chars] + "\n\n…"
