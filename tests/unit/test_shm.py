from __future__ import annotations

import os

from govlens.harvest import _shm
from govlens.harvest._shm import BlockWriter, BodyBlocks, mapped, read_block


def test_body_written_into_a_block_grows_and_reads_back() -> None:
    blocks = BodyBlocks(keep=2)
    body = os.urandom(3 * 2**20 + 12345)
    sink = BlockWriter(blocks, expected=0)  # no size declared: the block grows as chunks come
    for i in range(0, len(body), 65536):
        sink.write(body[i : i + 65536])
    assert bytes(sink.view()) == body
    assert sink.block is not None and read_block(sink.block.name, sink.size) == body
    first = sink.block.name
    blocks.release(sink.block)
    # the idle block is reused for the next body that fits
    again = BlockWriter(blocks, expected=len(body))
    again.expect(len(body))
    again.write(b"x" * 10)
    assert again.block is not None and again.block.name == first
    assert read_block(first, 10) == b"x" * 10
    again.discard()
    blocks.close()
    late = blocks.take(1)  # a block released after close is dropped, not kept
    blocks.release(late)
    assert blocks._free == []


def test_put_copies_bytes_for_a_worker() -> None:
    blocks = BodyBlocks(keep=1)
    blk = blocks.put(b'{"result": {}}')
    assert read_block(blk.name, 14) == b'{"result": {}}'
    blocks.release(blk)
    blocks.close()


def test_a_worker_keeps_its_mapping_of_a_reused_block_and_reads_what_is_there_now() -> None:
    blocks = BodyBlocks(keep=8)
    blk = blocks.put(b"first page")
    with mapped(blk.name, 10) as view:
        assert bytes(view) == b"first page"
    kept = _shm._MAPPED[blk.name]
    blocks.release(blk)
    again = blocks.put(b"second")  # the same block, reused for the next page
    assert again.name == blk.name
    with mapped(again.name, 6) as view:
        assert bytes(view) == b"second"
    assert _shm._MAPPED[blk.name] is kept  # not mapped again
    blocks.release(again)
    # at most a few blocks stay mapped: the least recently used is unmapped first
    others = [blocks.take(1) for _ in range(_shm._KEEP_MAPPED + 1)]
    for other in others:
        with mapped(other.name, 1):
            pass
    assert len(_shm._MAPPED) == _shm._KEEP_MAPPED and blk.name not in _shm._MAPPED
    for other in others:
        blocks.release(other)
    blocks.close()
    for name in list(_shm._MAPPED):
        _shm._unmap(_shm._MAPPED.pop(name))
