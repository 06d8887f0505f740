"""Password policy: long enough, not a common password, not the username dressed up."""

from __future__ import annotations

from functools import lru_cache
from importlib import resources

from trienkhai.errors import InvalidError
from trienkhai.text import nfc

MIN_LENGTH = 10
COMMON_FILE = "common-passwords.txt"  # the 5,000 most common (Django's list, BSD-3-Clause)


@lru_cache(maxsize=1)
def common_passwords() -> frozenset[str]:
    """The shipped list of common passwords, case-folded."""
    text = resources.files("trienkhai.data").joinpath(COMMON_FILE).read_text(encoding="utf-8")
    return frozenset(line.strip().casefold() for line in text.splitlines() if line.strip())


def check_password(password: str, *, username: str = "") -> None:
    """Refuse a password too short, too common, or the username (InvalidError)."""
    value = nfc(password)
    if len(value) < MIN_LENGTH:
        raise InvalidError(f"Mật khẩu: phải có ít nhất {MIN_LENGTH} ký tự")
    folded = value.casefold()
    if folded in common_passwords() or len(set(folded)) < 3:
        raise InvalidError("Mật khẩu: quá phổ biến, dễ đoán; hãy chọn mật khẩu khác")
    name = _letters(nfc(username).strip().casefold())
    if name and _letters(folded) == name:  # "dieuphoi", "DieuPhoi2024!" for user dieuphoi
        raise InvalidError("Mật khẩu: không được giống tên đăng nhập")


def _letters(text: str) -> str:
    """Only the letters of a text (digits and punctuation added to a name do not disguise it)."""
    return "".join(ch for ch in text if ch.isalpha())
