"""Bytes -> text: BOMs, UTF-8, legacy Arabic code pages, UTF-16 without BOM, mojibake, binary."""
from __future__ import annotations

import pytest

from rasd.ingest.encoding import UndecodableError, arabic_ratio, decode, decode_bytes, repair_mojibake

ARABIC = "فرّقت قوات الأمن المتظاهرين في وسط المدينة، واعتقلت 12 شخصاً بحسب مصادر محلية."


@pytest.mark.parametrize(
    "encoding, expected",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16-le"),  # Python writes a little-endian BOM
        ("utf-32", "utf-32-le"),
    ],
)
def test_unicode_with_and_without_bom(encoding: str, expected: str) -> None:
    text, enc = decode_bytes(ARABIC.encode(encoding))
    assert text == ARABIC
    assert enc == expected


@pytest.mark.parametrize("encoding", ["utf-16-be", "utf-32-be"])
def test_big_endian_boms(encoding: str) -> None:
    bom = {"utf-16-be": b"\xfe\xff", "utf-32-be": b"\x00\x00\xfe\xff"}[encoding]
    assert decode_bytes(bom + ARABIC.encode(encoding)) == (ARABIC, encoding)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_guessed_with_a_warning(encoding: str) -> None:
    dec = decode(ARABIC.encode(encoding))
    assert dec.text == ARABIC
    assert dec.encoding == encoding
    assert any("guessed" in w for w in dec.warnings)


@pytest.mark.parametrize("encoding", ["cp1256", "iso-8859-6"])
def test_legacy_arabic_code_pages(encoding: str) -> None:
    text = ARABIC.replace("ّ", "") if encoding == "iso-8859-6" else ARABIC
    dec = decode(text.encode(encoding))
    assert dec.text == text
    assert dec.encoding == encoding
    assert dec.warnings == [f"encoding guessed: {encoding}"]


def test_cp1256_is_not_read_as_cp1252() -> None:
    # cp1252 decodes every cp1256 byte too, into accented Latin soup; the Arabic reading must win.
    dec = decode(("الرياض " * 3 + ARABIC).encode("cp1256"))
    assert dec.encoding == "cp1256"
    assert arabic_ratio(dec.text) > 0.9


def test_latin_text_in_cp1252_stays_latin() -> None:
    dec = decode("Les manifestants ont été dispersés à Sfax, selon des témoins.".encode("cp1252"))
    assert dec.text.startswith("Les manifestants ont été")
    assert dec.encoding == "cp1252"


def _mojibake(text: str) -> str:
    """UTF-8 bytes shown through cp1252, undefined bytes passed through as latin-1 (as browsers do)."""
    out = []
    for b in text.encode("utf-8"):
        try:
            out.append(bytes([b]).decode("cp1252"))
        except UnicodeDecodeError:
            out.append(chr(b))
    return "".join(out)


def test_mojibake_is_repaired() -> None:
    garbled = _mojibake(ARABIC)
    assert garbled.startswith("Ù")
    fixed, changed = repair_mojibake(garbled)
    assert changed and fixed == ARABIC
    # A UTF-8 file whose content is mojibake gets repaired on decode, with a warning.
    dec = decode(garbled.encode("utf-8"))
    assert dec.text == ARABIC
    assert any("mojibake" in w for w in dec.warnings)


def test_mojibake_repair_leaves_genuine_latin_alone() -> None:
    text = "Café crème à Paris. " + _mojibake("قالت الشرطة إن الوضع هادئ")
    fixed, changed = repair_mojibake(text)
    assert changed
    assert fixed == "Café crème à Paris. قالت الشرطة إن الوضع هادئ"
    assert repair_mojibake("Café crème, Øresund") == ("Café crème, Øresund", False)


@pytest.mark.parametrize(
    "data",
    [b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", b"\x89PNG\r\n\x1a\n\x00\x00", b"PK\x03\x04\x14\x00", bytes(range(256)) * 8],
)
def test_binary_data_is_refused(data: bytes) -> None:
    with pytest.raises(UndecodableError):
        decode(data)


def test_utf8_cut_inside_a_character_keeps_the_rest() -> None:
    data = ARABIC.encode("utf-8")[:-1]  # the last character loses a byte
    dec = decode(data)
    assert dec.encoding == "utf-8"
    assert ARABIC.startswith(dec.text) and len(dec.text) == len(ARABIC) - 1


def test_arabic_ratio() -> None:
    assert arabic_ratio(ARABIC) == 1.0
    assert arabic_ratio("Reuters reported clashes near the border.") == 0.0
    assert 0.2 < arabic_ratio("قالت رويترز Reuters said") < 0.8
    assert arabic_ratio("12345 ...") == 0.0
