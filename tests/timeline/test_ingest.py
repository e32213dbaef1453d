import pytest
from hypothesis import given
from hypothesis import strategies as st

from timeline.errors import EmptyInput, InputTooLarge, UndecodableInput
from timeline.ingest import decode_bytes, read_document
from timeline.textnorm import fold_digits, fold_width

SAMPLE = "本报枣庄10月19日讯 记者 张三\r\n枣庄市薛城区常庄街道吴庄村召开动员大会……"


@pytest.mark.parametrize(
    "data",
    [SAMPLE.encode("utf-8"), b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"), SAMPLE.encode("gb18030")],
    ids=["utf8", "utf8-bom", "gb18030"],
)
def test_ingest_decodes_accepted_encodings(data: bytes) -> None:
    assert decode_bytes(data) == SAMPLE.replace("\r\n", "\n")


def test_ingest_gb18030_rare_character_round_trips() -> None:
    text = "各塔埠街道垎塔埠社区，𠀀字也能编码。" * 3
    assert decode_bytes(text.encode("gb18030")) == text


@pytest.mark.parametrize(
    ("data", "error", "code"),
    [
        ("本報訊 臺北市政府今天召開記者會，說明颱風災情與復原進度。".encode("big5"), UndecodableInput, "T101"),
        (bytes(range(256)) * 4, UndecodableInput, "T101"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", UndecodableInput, "T101"),
        (b"", EmptyInput, "T103"),
        (b"  \n\t ", EmptyInput, "T103"),
        (b"\xef\xbb\xbf", EmptyInput, "T103"),
    ],
    ids=["big5", "binary", "png", "empty", "blank", "bom-only"],
)
def test_ingest_refuses_with_code(data: bytes, error: type[Exception], code: str) -> None:
    with pytest.raises(error) as excinfo:
        decode_bytes(data)
    assert excinfo.value.code == code  # type: ignore[attr-defined]
    assert excinfo.value.user_message  # type: ignore[attr-defined]


def test_ingest_refuses_oversized() -> None:
    with pytest.raises(InputTooLarge) as excinfo:
        decode_bytes("字".encode() * 100, max_bytes=10)
    assert excinfo.value.code == "T102"


def test_ingest_document_id_is_content_hash() -> None:
    a = read_document(SAMPLE.encode("utf-8"), "a.txt")
    b = read_document(SAMPLE.encode("gb18030"), "b.txt")
    assert a.id == b.id and a.text == b.text and a.source == "a.txt"


@pytest.mark.parametrize("text", ["２０２３年１０月１８日", "……——～", "ＡＢＣ　ｄｅｆ", "二〇二三年"])
def test_textnorm_fold_keeps_length(text: str) -> None:
    assert len(fold_width(text)) == len(text)
    assert len(fold_digits(text)) == len(text)


@given(st.text())
def test_textnorm_fold_keeps_length_property(text: str) -> None:
    assert len(fold_width(text)) == len(text)
    assert len(fold_digits(text)) == len(text)


def test_textnorm_fold_values() -> None:
    assert fold_width("２０２３年１０月１８日") == "2023年10月18日"
    assert fold_digits("二〇二三") == "二0二三"
    assert read_document("１０月".encode()).folded == "10月"
