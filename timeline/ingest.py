"""Bytes → Document: decode safely (UTF-8, UTF-8 with BOM, GB18030) or refuse with a clear error.

Article text is untrusted input. Anything that is not one of the accepted encodings (Big5, binary,
UTF-16 without BOM, empty) is refused rather than decoded into silent mojibake.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from timeline.errors import EmptyInput, InputTooLarge, UndecodableInput
from timeline.model import Document

MAX_BYTES = 20 * 1024 * 1024
_BOM = b"\xef\xbb\xbf"
# C0 controls other than tab/newline/CR (and form feed) never occur in real news text.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A GB18030 decode of non-Chinese bytes (e.g. Big5) succeeds but yields rare characters; require
# that most non-ASCII characters fall in GB2312 (news: >= 99.9%; Big5 misread as GB18030: ~37%).
_COMMON_RATIO = 0.75


def decode_bytes(data: bytes, *, max_bytes: int = MAX_BYTES) -> str:
    r"""Decode news bytes as UTF-8 (BOM stripped) or GB18030; refuse anything else.

    Newlines are normalised to ``\\n`` (CRLF and CR), which is the text every offset refers to.

    >>> decode_bytes("本报讯".encode("gb18030"))
    '本报讯'
    """
    if len(data) > max_bytes:
        raise InputTooLarge(
            f"input has {len(data)} bytes, more than the limit of {max_bytes}",
            user_message=f"文件太大（{len(data) // 1024} KB），上限为 {max_bytes // 1024} KB。",
        )
    if data.startswith(_BOM):
        data = data[len(_BOM) :]
    if not data.strip():
        raise EmptyInput("input is empty", user_message="文件是空的，没有可读取的文字。")
    text = _decode_ladder(data)
    bad = _CONTROL.search(text)
    if bad:
        raise UndecodableInput(
            f"control character U+{ord(bad.group()):04X} at character {bad.start()}: binary data, not text",
            user_message=f"文件不是文本（第 {bad.start()} 个字符是控制字符），请上传 UTF-8 或 GB18030 编码的文本文件。",
        )
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput("input is empty", user_message="文件是空的，没有可读取的文字。")
    return text


def _decode_ladder(data: bytes) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        first_bad = utf8_error.start
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError as gb_error:
        raise UndecodableInput(
            f"neither UTF-8 (byte {first_bad}) nor GB18030 (byte {gb_error.start})",
            user_message=f"文件不是 UTF-8 或 GB18030 文本（第 {gb_error.start} 字节无法解码）。",
        ) from gb_error
    if not _is_plausible_gb_text(text):
        raise UndecodableInput(
            f"not UTF-8 (byte {first_bad}) and GB18030 gives implausible characters (Big5 or binary?)",
            user_message="文件编码无法识别（不是 UTF-8 或 GB18030，可能是 Big5 或二进制文件）。",
        )
    return text


def _is_plausible_gb_text(text: str) -> bool:
    """Whether a GB18030 decode looks like Chinese prose rather than misread Big5/binary."""
    cjk = [ch for ch in text if ord(ch) > 0x7F]
    if not cjk:
        return True
    common = 0
    for ch in cjk:
        try:
            ch.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            continue
    return common / len(cjk) >= _COMMON_RATIO


def read_document(data: bytes | str, source: str = "<text>") -> Document:
    """Make a Document from raw bytes (decoded safely) or already-decoded text.

    The id is a content hash, so re-reading the same text gives the same id (store key).
    """
    text = decode_bytes(data) if isinstance(data, bytes) else _normalise_str(data)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    return Document(id=digest, source=source, text=text)


def read_path(path: Path) -> Document:
    """Read one file from disk into a Document named after the file."""
    return read_document(path.read_bytes(), source=path.name)


def _normalise_str(text: str) -> str:
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise EmptyInput("input is empty", user_message="没有可读取的文字。")
    return text
