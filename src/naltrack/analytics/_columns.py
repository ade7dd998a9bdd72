"""Arrow columns to NumPy and back through their buffers, and the decoding of per-patient day bitmaps.

pyarrow's own ``to_numpy()`` and ``pa.array()`` import pandas on first use (about 0.4 s in a fresh
process, more than all the arithmetic on a 100,000-patient result), so the engine reads and writes
its few fixed-width columns through their Arrow buffers instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.compute as pc

# Leading zero bits of each byte value (8 for zero): the first set bit of a bitmap, most
# significant bit first, as DuckDB orders a BIT value.
_LEADING_ZEROS = np.array([8 - value.bit_length() for value in range(256)], dtype=np.int64)


def numbers(column: pa.ChunkedArray, kind: pa.DataType, dtype: type[np.generic]) -> npt.NDArray[Any]:
    """A fixed-width column as a NumPy array over its Arrow buffer (null slots hold any value)."""
    array = column.combine_chunks()
    if array.type != kind:
        array = pc.cast(array, kind)
    if len(array) == 0:
        return np.empty(0, dtype=dtype)
    itemsize = np.dtype(dtype).itemsize
    return np.frombuffer(array.buffers()[1], dtype=dtype, count=len(array), offset=array.offset * itemsize)


def is_valid(column: pa.ChunkedArray) -> npt.NDArray[np.bool_]:
    """Which values of a column are not null."""
    array = column.combine_chunks()
    if array.null_count == 0:
        return np.ones(len(array), dtype=np.bool_)
    bits = np.unpackbits(np.frombuffer(array.buffers()[0], dtype=np.uint8), bitorder="little")
    return bits[array.offset:array.offset + len(array)].astype(np.bool_)


def to_arrow(values: npt.NDArray[Any], kind: pa.DataType, missing: npt.NDArray[np.bool_] | None = None) -> pa.Array:
    """A NumPy array as an Arrow array over the same buffer; ``missing`` marks the nulls."""
    values = np.ascontiguousarray(values)
    validity, null_count = None, 0
    if missing is not None and missing.any():
        validity, null_count = pa.py_buffer(np.packbits(~missing, bitorder="little")), int(missing.sum())
    return pa.Array.from_buffers(kind, len(values), [validity, pa.py_buffer(values)], null_count=null_count)


def texts(values: tuple[str, ...]) -> pa.Array:
    """A few strings as an Arrow string array."""
    encoded = [value.encode() for value in values]
    offsets = np.cumsum([0, *(len(value) for value in encoded)], dtype=np.int32)
    return pa.Array.from_buffers(pa.string(), len(values),
                                 [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))])


def bit_values(column: pa.ChunkedArray, size_bytes: int) -> npt.NDArray[np.uint8] | None:
    """DuckDB BIT values of one length as a (values x bytes) matrix, or None if they are not so.

    A BIT value is a byte counting the padding bits, then the bits, most significant first, padded
    at the front; with a length that is a multiple of 8 there is no padding and the first byte is 0.
    Anything else (a null, another length, padding) gives None, and the caller takes another path.
    """
    rows = []
    for array in column.chunks:
        if array.null_count or array.type != pa.binary():
            return None
        offsets = np.frombuffer(array.buffers()[1], dtype=np.int32, count=len(array) + 1, offset=array.offset * 4)
        if not np.all(np.diff(offsets) == 1 + size_bytes):
            return None
        data = np.frombuffer(array.buffers()[2], dtype=np.uint8)[offsets[0]:offsets[-1]]
        matrix = data.reshape(len(array), 1 + size_bytes)
        if matrix[:, 0].any():
            return None
        rows.append(matrix[:, 1:])
    return np.concatenate(rows) if rows else np.empty((0, size_bytes), dtype=np.uint8)


def count_bits(bitmaps: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
    """Set bits per row of a (rows x bytes) bitmap matrix."""
    return np.asarray(np.bitwise_count(bitmaps).sum(axis=1, dtype=np.int64), dtype=np.int64)


def first_bits(bitmaps: npt.NDArray[np.uint8]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.bool_]]:
    """Index of the first set bit per row (most significant first), and whether a row has one."""
    nonzero = bitmaps != 0
    byte = nonzero.argmax(axis=1)
    rows = np.arange(len(bitmaps))
    return 8 * byte + _LEADING_ZEROS[bitmaps[rows, byte]], nonzero[rows, byte]


@dataclass(frozen=True)
class DayBitmaps:
    """Per-patient day bitmaps split in blocks: drinking (not heavy), abstinent and heavy days."""

    drinking: npt.NDArray[np.uint8]
    abstinent: npt.NDArray[np.uint8]
    heavy: npt.NDArray[np.uint8]

    @classmethod
    def split(cls, bitmaps: npt.NDArray[np.uint8], block_bytes: int) -> DayBitmaps:
        """The three blocks of a (patients x 3 blocks) bitmap matrix."""
        return cls(bitmaps[:, :block_bytes], bitmaps[:, block_bytes:2 * block_bytes], bitmaps[:, 2 * block_bytes:])

    def any_day(self) -> npt.NDArray[np.uint8]:
        """One bit per recorded day, whatever was drunk."""
        return np.asarray(self.drinking | self.abstinent | self.heavy, dtype=np.uint8)
