"""Embedded OCR engine that stands in for Amazon Textract's AnalyzeDocument offline."""

from textract_pipeline.ocr.engine import LocalOcrEngine, analyze_document

__all__ = ["LocalOcrEngine", "analyze_document"]
