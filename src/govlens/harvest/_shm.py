"""Handing page bodies to worker processes through shared memory rather than a pipe.

A 17 MB ``package_search`` page sent through a process pool's pipe is pickled,
written and read 64 KiB at a time and unpickled: four copies and hundreds of
system calls on each side. Here the body is copied once into a shared memory
block and the worker copies it out once; the block is reused for later pages.
"""

from __future__ import annotations

from multiprocessing import shared_memory

_ROUND = 1 << 20


class BodyBlocks:
    """Shared memory blocks for page bodies, kept for reuse (at most ``keep`` idle)."""

    def __init__(self, keep: int) -> None:
        self._keep = keep
        self._closed = False
        self._free: list[shared_memory.SharedMemory] = []

    def put(self, body: bytes) -> shared_memory.SharedMemory:
        """A block holding ``body`` at its start."""
        n = len(body)
        for i, blk in enumerate(self._free):
            if blk.size >= n:
                del self._free[i]
                break
        else:
            blk = shared_memory.SharedMemory(create=True, size=max(_ROUND, -(-n // _ROUND) * _ROUND))
        blk.buf[:n] = body
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


def _drop(blk: shared_memory.SharedMemory) -> None:
    blk.close()
    try:
        blk.unlink()
    except FileNotFoundError:  # pragma: no cover - already gone
        pass


def read_block(name: str, size: int) -> bytes:
    """The first ``size`` bytes of the block ``name`` (in the worker process)."""
    blk = shared_memory.SharedMemory(name=name)
    try:
        return bytes(blk.buf[:size])
    finally:
        blk.close()
