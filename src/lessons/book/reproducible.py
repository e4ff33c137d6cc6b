"""The environment the book's chapters are executed and checked in.

Chapter: none (used by ``scripts/execute.py`` and the nbval run in ``book/conftest.py``).

The committed outputs must be the same on every machine that re-checks them,
whatever its core count and vector instructions.  Seeds and one training thread
take care of the algorithms; this module takes care of the arithmetic libraries,
whose results can differ in the last bits between code paths:

* one BLAS/OpenMP thread (a sum split over more threads is added in another order);
* OpenBLAS's Haswell (AVX2) kernels and numpy's dispatch capped at x86-64-v3
  (AVX2), on x86-64 CPUs that have AVX2, so an AVX-512 machine runs exactly
  the code paths an AVX2 machine runs.

The numba trainer needs none of this: its kernels avoid fast-math and fix the
order of every sum (see :mod:`lessons.models.word2vec`).
"""
from __future__ import annotations

import os
import platform

__all__ = ["pin_environment", "PINNED"]


def _cpu_flags() -> set[str]:
    try:
        with open("/proc/cpuinfo", encoding="ascii", errors="replace") as f:
            for line in f:
                if line.startswith("flags"):
                    return set(line.split(":", 1)[1].split())
    except OSError:
        pass
    return set()


def _pinned() -> dict[str, str]:
    env = {name: "1" for name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    if platform.machine() in ("x86_64", "AMD64") and "avx2" in _cpu_flags():
        env["OPENBLAS_CORETYPE"] = "Haswell"
        if "avx512f" in _cpu_flags():
            env["NPY_DISABLE_CPU_FEATURES"] = "X86_V4 AVX512_ICL AVX512_SPR"
    return env


#: The variables :func:`pin_environment` sets on this machine.
PINNED = _pinned()


def pin_environment(environ=os.environ) -> dict[str, str]:
    """Set the variables in ``environ`` (before numpy is imported by the process that reads them).

    Returns the variables set.  Kernels started afterwards (nbclient, nbval) inherit them.
    """
    environ.update(PINNED)
    return dict(PINNED)
