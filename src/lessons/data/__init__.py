"""Data: corpora, vocabularies and the data sets (text in, integer ids out)."""
