"""nbval runs the chapters the way the book's execute command does (scripts/execute.py):
figures in book mode, one BLAS thread."""
import os

os.environ["LESSONS_BOOK"] = "1"
for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[name] = "1"
