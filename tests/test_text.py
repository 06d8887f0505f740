"""Vietnamese text helpers."""

from trienkhai.text import fold, key, nfc, normalize_tones, tokens


def test_nfc_composes_decomposed_vietnamese() -> None:
    assert nfc("Nha\u0302n quye\u0302\u0300n") == "Nhân quyền"


def test_fold_ignores_diacritics_and_d() -> None:
    assert fold("Nhân quyền Đắk Hà") == "nhan quyen dak ha"


def test_tones_moved_to_traditional_place() -> None:
    assert normalize_tones("hoà bình, thuỷ lợi, khoẻ") == "hòa bình, thủy lợi, khỏe"
    assert normalize_tones("quý, hoàng") == "quý, hoàng"  # qu- and closed syllables stay


def test_key_equates_tone_styles_and_case() -> None:
    assert key("UỶ BAN  nhân dân") == key("Ủy ban Nhân dân")


def test_tokens_folded() -> None:
    assert tokens("Quyền con người!", folded=True) == ["quyen", "con", "nguoi"]
