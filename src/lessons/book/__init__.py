"""The book layer: figures, live panels, exercises and the machinery that keeps outputs
reproducible."""
