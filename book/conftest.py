"""nbval runs the chapters as the book's execute command does: figures in book mode."""
import os

os.environ["LESSONS_BOOK"] = "1"
