"""nbval runs the chapters the way the book's execute command does (scripts/execute.py):
figures in book mode, the arithmetic pinned by lessons.book.reproducible."""
import os

from lessons.book.reproducible import pin_environment

os.environ["LESSONS_BOOK"] = "1"
pin_environment()
