"""Extraction: Textract JSON -> V1 record (fixed schema) and V2 (schema-free), plus the two reports."""

from textract_pipeline.extraction.base import Extractor
from textract_pipeline.extraction.deterministic import DeterministicExtractor
from textract_pipeline.extraction.document_view import DocumentView, as_view, build_view, read_document_view
from textract_pipeline.extraction.errors import ExtractionError
from textract_pipeline.extraction.llm import BedrockExtractor, OpenAICompatibleExtractor
from textract_pipeline.extraction.pricing import CostEstimate, estimate_cost
from textract_pipeline.extraction.prompts import PROMPT_VERSION
from textract_pipeline.extraction.reports import render_schema_extensions, render_v2_summary
from textract_pipeline.extraction.results import TokenUsage, V1Result
from textract_pipeline.extraction.schema_v1 import SCHEMA_VERSION, DocumentType, EntityKind, V1Record, v1_json_schema
from textract_pipeline.extraction.schema_v2 import V2Document, V2Field, V2Section

__all__ = [
    "SCHEMA_VERSION",
    "PROMPT_VERSION",
    "BedrockExtractor",
    "CostEstimate",
    "DeterministicExtractor",
    "DocumentView",
    "DocumentType",
    "EntityKind",
    "ExtractionError",
    "Extractor",
    "OpenAICompatibleExtractor",
    "TokenUsage",
    "V1Record",
    "V1Result",
    "V2Document",
    "V2Field",
    "V2Section",
    "as_view",
    "build_view",
    "estimate_cost",
    "read_document_view",
    "render_schema_extensions",
    "render_v2_summary",
    "v1_json_schema",
]
