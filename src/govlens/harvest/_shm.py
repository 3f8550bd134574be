"""Handing page bodies to worker processes through shared memory rather than a pipe.

A 17 MB ``package_search`` page sent through a process pool's pipe is pickled,
written and read 64 KiB at a time and unpickled: four copies and hundreds of
system calls on each side. Here the body is written into a shared memory block
as it arrives (:class:`BlockWriter`) and the worker copies it out once; blocks
are reused for later pages.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing import shared_memory

_ROUND = 1 << 20


class BodyBlocks:
    """Shared memory blocks for page bodies, kept for reuse (at most ``keep`` idle)."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._closed = False
        self._free: list[shared_memory.SharedMemory] = []

    def take(self, n: int) -> shared_memory.SharedMemory:
        """A block of at least ``n`` bytes (an idle one if it is big enough)."""
        for i, blk in enumerate(self._free):
            if blk.size >= n:
                del self._free[i]
                return blk
        if self._free:  # too small for what pages have grown to: make room for a bigger one
            _drop(self._free.pop(0))
        return shared_memory.SharedMemory(create=True, size=max(_ROUND, -(-n // _ROUND) * _ROUND))

    def put(self, body: bytes) -> shared_memory.SharedMemory:
        """A block holding ``body`` at its start."""
        blk = self.take(len(body))
        _buf(blk)[: len(body)] = body
        return blk

    def release(self, blk: shared_memory.SharedMemory) -> None:
        """Give a block back once the worker is done with it."""
        if not self._closed and len(self._free) < self._keep:
            self._free.append(blk)
        else:
            _drop(blk)

    def close(self) -> None:
        """Drop the idle blocks now, and the busy ones as they are released."""
        self._closed = True
        while self._free:
            _drop(self._free.pop())


class BlockWriter:
    """A response body written straight into a block as it arrives (see ``fetch``'s ``sink``),
    so the body is never joined from its chunks in the harvesting process."""

    def __init__(self, blocks: BodyBlocks, expected: int) -> None:
        self.blocks = blocks
        self.block: shared_memory.SharedMemory | None = None
        self.size = 0
        self._expected = expected

    def expect(self, size: int) -> None:
        """The size the server declared (Content-Length), when it did."""
        self._expected = size

    def write(self, chunk: bytes) -> None:
        end = self.size + len(chunk)
        if self.block is None:
            self.block = self.blocks.take(max(end, self._expected))
        elif end > self.block.size:
            bigger = self.blocks.take(max(end, self.block.size * 3 // 2))
            _buf(bigger)[: self.size] = _buf(self.block)[: self.size]
            self.blocks.release(self.block)
            self.block = bigger
        _buf(self.block)[self.size : end] = chunk
        self.size = end

    def view(self) -> memoryview:
        return _buf(self.block)[: self.size] if self.block is not None else memoryview(b"")

    def discard(self) -> None:
        if self.block is not None:
            self.blocks.release(self.block)
            self.block = None


def _buf(blk: shared_memory.SharedMemory) -> memoryview:
    buf = blk.buf
    assert buf is not None  # None only once closed
    return buf


def _drop(blk: shared_memory.SharedMemory) -> None:
    try:
        blk.close()
    except BufferError:  # a view of it is still referenced: unmapped when collected
        pass
    try:
        blk.unlink()
    except FileNotFoundError:  # pragma: no cover - already gone
        pass


def read_block(name: str, size: int) -> bytes:
    """A copy of the first ``size`` bytes of the block ``name``."""
    with mapped(name, size) as view:
        return bytes(view)


#: Blocks this process has mapped, by name, most recently used last (see :func:`mapped`).
_MAPPED: dict[str, shared_memory.SharedMemory] = {}
_KEEP_MAPPED = 4


@contextmanager
def mapped(name: str, size: int) -> Iterator[memoryview]:
    """The first ``size`` bytes of the block ``name``, read in place (in the worker process).
    Views taken from it must not outlive the ``with``. The mapping is kept for the next page
    handed over in the same block (blocks are reused), so its pages are not faulted in again."""
    blk = _MAPPED.pop(name, None)
    if blk is None or (blk.buf is not None and len(blk.buf) < size):
        if blk is not None:
            _unmap(blk)
        blk = shared_memory.SharedMemory(name=name)
    _MAPPED[name] = blk
    while len(_MAPPED) > _KEEP_MAPPED:
        _unmap(_MAPPED.pop(next(iter(_MAPPED))))
    view = _buf(blk)[:size]
    try:
        yield view
    finally:
        try:
            view.release()
        except BufferError:  # an exception still holds a view: the mapping goes when that is collected
            _MAPPED.pop(name, None)


def _unmap(blk: shared_memory.SharedMemory) -> None:
    try:
        blk.close()
    except BufferError:
        pass
