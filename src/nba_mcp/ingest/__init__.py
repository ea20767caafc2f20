"""Ingest: parse, validate and normalise source data, then load it atomically."""
