from __future__ import annotations

import os

from govlens.harvest._shm import BlockWriter, BodyBlocks, read_block


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
