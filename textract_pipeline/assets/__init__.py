"""One document's way through the pipeline, one module per stage."""
