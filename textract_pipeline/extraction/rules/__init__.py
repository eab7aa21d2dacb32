"""The deterministic extractor's rules, one module per part of a recorded instrument."""
