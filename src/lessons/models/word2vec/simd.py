"""The dot product as explicit 8-lane float32 vector instructions, and a row prefetch hint.

Why by hand: the dot product of two rows is most of the work of training.  LLVM would
compute its eight independent partial sums with scalar instructions (numba turns LLVM's
SLP vectoriser off, and the loop vectoriser may not reorder a float sum without
fast-math), so :func:`lane_sums` writes the ``<8 x float>`` IR itself.  The vector
operations carry no fast-math flags, so every lane rounds exactly like the scalar
definition (no fused multiply-add), whether the CPU runs them as one AVX instruction or
two SSE ones: the trained vectors are the same on every x86-64 CPU.

Each jitted helper has a plain-Python twin (the definition, run by the tests); numba's
``@overload(..., inline="always")`` swaps in the LLVM version inside jitted code.
"""
from __future__ import annotations

import numpy as np
from llvmlite import ir as llvm_ir
from numba import njit, types
from numba.core import cgutils
from numba.core.errors import TypingError
from numba.extending import intrinsic, overload

__all__ = ["LANES", "lane_sums", "prefetch_row", "dot"]

LANES = 8  # partial sums of a dot product (the float32 lanes of one 256-bit vector)


def lane_sums(x, i, y, j, blocks):
    """Lane sums ``s_l = sum_{b < blocks} x[i, 8b + l] * y[j, 8b + l]``, combined pairwise.

    This plain-Python version is the definition; jitted code runs :func:`_lane_sums_simd`,
    the same float32 operations in the same order, written as 8-wide vector instructions.
    """
    s = [np.float32(0.0)] * LANES
    for b in range(blocks):
        for lane in range(LANES):
            s[lane] += x[i, LANES * b + lane] * y[j, LANES * b + lane]
    return ((s[0] + s[1]) + (s[2] + s[3])) + ((s[4] + s[5]) + (s[6] + s[7]))


def _row_pointer(context, builder, array_type, array_value, row_value, row_type):
    """LLVM pointer to ``array[row, 0]`` of a 2-d array."""
    array = context.make_array(array_type)(context, builder, array_value)
    row = context.cast(builder, row_value, row_type, types.intp)
    return cgutils.get_item_pointer2(
        context, builder, array.data, cgutils.unpack_tuple(builder, array.shape),
        cgutils.unpack_tuple(builder, array.strides), array_type.layout,
        [row, llvm_ir.Constant(llvm_ir.IntType(64), 0)])


@intrinsic
def _lane_sums_simd(typingctx, x, i, y, j, blocks):
    """LLVM IR for :func:`lane_sums`: one ``<8 x float>`` accumulator, ``fmul`` then ``fadd``.

    Callers guarantee ``i``, ``j`` are valid rows and ``8 * blocks`` is at most the
    row length of both C-contiguous arrays.
    """
    signature = types.float32(x, i, y, j, blocks)

    def codegen(context, builder, sig, args):
        vector = llvm_ir.VectorType(llvm_ir.FloatType(), LANES)
        x_row = _row_pointer(context, builder, sig.args[0], args[0], args[1], sig.args[1])
        y_row = _row_pointer(context, builder, sig.args[2], args[2], args[3], sig.args[3])
        n_blocks = context.cast(builder, args[4], sig.args[4], types.intp)
        accumulator = cgutils.alloca_once_value(builder, llvm_ir.Constant(vector, [0.0] * LANES))
        with cgutils.for_range(builder, n_blocks) as loop:
            offset = builder.mul(loop.index, llvm_ir.Constant(llvm_ir.IntType(64), LANES))
            xs = builder.load(builder.bitcast(builder.gep(x_row, [offset]), vector.as_pointer()),
                              align=4)
            ys = builder.load(builder.bitcast(builder.gep(y_row, [offset]), vector.as_pointer()),
                              align=4)
            builder.store(builder.fadd(builder.load(accumulator), builder.fmul(xs, ys)),
                          accumulator)
        total = builder.load(accumulator)
        s = [builder.extract_element(total, llvm_ir.Constant(llvm_ir.IntType(32), lane))
             for lane in range(LANES)]
        return builder.fadd(builder.fadd(builder.fadd(s[0], s[1]), builder.fadd(s[2], s[3])),
                            builder.fadd(builder.fadd(s[4], s[5]), builder.fadd(s[6], s[7])))

    return signature, codegen


@overload(lane_sums, inline="always")
def _lane_sums_jit(x, i, y, j, blocks):
    if not (isinstance(x, types.Array) and isinstance(y, types.Array) and x.ndim == y.ndim == 2
            and x.layout == y.layout == "C" and x.dtype == y.dtype == types.float32):
        raise TypingError("lane_sums needs 2-d C-contiguous float32 arrays")
    return lambda x, i, y, j, blocks: _lane_sums_simd(x, i, y, j, blocks)


def prefetch_row(x, i):
    """Ask the CPU to start loading row ``x[i]`` into cache (a hint: no effect on results).

    Plain Python does nothing; jitted code runs :func:`_prefetch_row_hint`.
    """


@intrinsic
def _prefetch_row_hint(typingctx, x, i):
    """``llvm.prefetch`` (for writing) of every 64-byte cache line of row ``x[i]``.

    A hint only: it reads and writes nothing, so results are unchanged; it lets the
    memory loads of the next few (random) rows overlap instead of waiting one by one.
    """
    signature = types.void(x, i)

    def codegen(context, builder, sig, args):
        array = context.make_array(sig.args[0])(context, builder, args[0])
        int32 = llvm_ir.IntType(32)
        int64 = llvm_ir.IntType(64)
        start = _row_pointer(context, builder, sig.args[0], args[0], args[1], sig.args[1])
        row_bytes = builder.mul(cgutils.unpack_tuple(builder, array.shape)[1],
                                llvm_ir.Constant(int64, context.get_abi_sizeof(
                                    context.get_data_type(sig.args[0].dtype))))
        lines = builder.udiv(builder.add(row_bytes, llvm_ir.Constant(int64, 63)),
                             llvm_ir.Constant(int64, 64))
        prefetch = cgutils.get_or_insert_function(
            builder.module, llvm_ir.FunctionType(llvm_ir.VoidType(),
                                                 [llvm_ir.PointerType(), int32, int32, int32]),
            "llvm.prefetch.p0")
        with cgutils.for_range(builder, lines) as loop:
            address = builder.gep(builder.bitcast(start, llvm_ir.IntType(8).as_pointer()),
                                  [builder.mul(loop.index, llvm_ir.Constant(int64, 64))])
            # rw=1 (we will write the row), locality=3 (keep in all cache levels), data cache
            builder.call(prefetch, [address, llvm_ir.Constant(int32, 1),
                                    llvm_ir.Constant(int32, 3), llvm_ir.Constant(int32, 1)])
        return context.get_dummy_value()

    return signature, codegen


@overload(prefetch_row, inline="always")
def _prefetch_row_jit(x, i):
    if not (isinstance(x, types.Array) and x.ndim == 2 and x.layout == "C"):
        raise TypingError("prefetch_row needs a 2-d C-contiguous array")
    return lambda x, i: _prefetch_row_hint(x, i)


@njit(nogil=True, cache=True, inline="always")
def dot(x, i, y, j, d):
    """Dot product of rows ``x[i]`` and ``y[j]`` (float32), with 8 partial sums in a fixed order.

    Independent partial sums keep the result the same whatever the SIMD width of the
    CPU (no fast-math): lane ``l`` adds up the products of columns ``l, l + 8, ...``,
    the 8 lanes are combined pairwise, then the last ``d % 8`` products are added one
    by one.  Rows are indexed, not sliced: a slice is a view whose shared reference
    count every thread would update atomically, which stops Hogwild from scaling.

    Parameters
    ----------
    x, y : (., d') float32, C-contiguous, ``d' >= d``
    i, j : int, the rows
    d : int, the number of columns to use

    Returns
    -------
    float32
    """
    blocks = d // LANES
    s = lane_sums(x, i, y, j, blocks)
    for k in range(blocks * LANES, d):
        s += x[i, k] * y[j, k]
    return s
