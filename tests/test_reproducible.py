import subprocess
import sys

from lessons.book import reproducible


def test_pin_environment_sets_one_thread_and_reports_what_it_set():
    environ = {}
    pinned = reproducible.pin_environment(environ)
    assert environ == pinned
    assert pinned["OPENBLAS_NUM_THREADS"] == "1" and pinned["OMP_NUM_THREADS"] == "1"


def test_pinned_numpy_dispatch_stops_at_avx2():
    """A child process with the pinned variables runs no AVX-512 numpy code path."""
    if "NPY_DISABLE_CPU_FEATURES" not in reproducible.PINNED:
        return  # nothing to cap on this CPU
    env = reproducible.pin_environment({})
    code = ("from numpy._core._multiarray_umath import __cpu_dispatch__ as d, "
            "__cpu_features__ as f;"
            "print(sorted(x for x in d if f.get(x)))")
    import os

    out = subprocess.run([sys.executable, "-c", code], env={**os.environ, **env},
                         capture_output=True, text=True, check=True).stdout
    assert "AVX512" not in out
