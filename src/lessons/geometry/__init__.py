"""Geometry: what high-dimensional space does to vectors (closed forms, PCA, projections)."""
