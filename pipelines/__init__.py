"""Einklang pipelines: read ERP exports, validate, store versions, compute the gap model."""
