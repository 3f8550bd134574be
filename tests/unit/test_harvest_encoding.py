"""Finding the first byte that is not UTF-8, in chunks, and re-encoding a file as UTF-8."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govlens.harvest import _encoding
from govlens.harvest._encoding import first_invalid_utf8, known_charset, to_utf8


def _expected(data: bytes) -> int | None:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start
    return None


@given(st.binary(max_size=64) | st.text(max_size=24).map(lambda s: s.encode("utf-8") + b"\xe9"))
def test_the_first_invalid_byte_is_found_whatever_the_chunks(tmp_path_factory: pytest.TempPathFactory,
                                                             data: bytes) -> None:
    path = tmp_path_factory.mktemp("enc") / "f.json"
    path.write_bytes(data)
    with pytest.MonkeyPatch.context() as mp:
        for chunk in (1, 3, 7, 1 << 20):  # sequences cut by a chunk's end
            mp.setattr(_encoding, "_CHUNK", chunk)
            assert first_invalid_utf8(path) == _expected(data), chunk


def test_a_file_is_re_encoded_as_utf8_in_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = '{"title": "Población económica – “€” año"}'
    src = tmp_path / "cp1252.json"
    src.write_bytes(text.encode("cp1252") + b"\x81")  # 0x81: undefined in Windows-1252
    monkeypatch.setattr(_encoding, "_CHUNK", 5)
    out = to_utf8(src, "cp1252")
    try:
        assert out.read_text("utf-8") == text + "\ufffd"
    finally:
        out.unlink()


def test_known_charsets() -> None:
    assert known_charset("ISO-8859-1") == "iso8859-1" and known_charset("windows-1252") == "cp1252"
    assert known_charset("utf-8") is None and known_charset("UTF8") is None
    assert known_charset("no-such-charset") is None and known_charset(None) is None
