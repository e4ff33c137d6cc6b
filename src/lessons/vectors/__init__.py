"""Vectors: word vectors and their queries, analogies, evaluation, files and search."""
