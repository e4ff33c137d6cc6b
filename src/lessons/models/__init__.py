"""Models: the algorithms that turn text into vectors, one concept per module."""
