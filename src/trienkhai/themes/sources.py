"""Reading what the theme matcher works on: a directive's themes, articles and label files."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from trienkhai.documents.parser import parse_text
from trienkhai.documents.readers.registry import read_file
from trienkhai.errors import InvalidError
from trienkhai.text import nfc
from trienkhai.themes.features import Article
from trienkhai.themes.scorer import ThemeSpec


def directive_themes(path: Path) -> list[ThemeSpec]:
    """The themes T1..Tn of a directive file, as the reader extracts them."""
    result = read_file(path)
    record = parse_text(result.text, source=str(path), footnotes=result.footnotes)
    themes = [ThemeSpec(t.code, t.text, list(t.keywords)) for t in record.themes]
    if not themes:
        raise InvalidError(f"{path}: văn bản không có nội dung tuyên truyền nào (no themes found)")
    return themes


def read_jsonl(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """Line number and object of each non-blank line of a .jsonl or .jsonl.gz file."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            try:
                item = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InvalidError(f"{path}, dòng {number}: JSON không hợp lệ ({exc.msg})") from exc
            if not isinstance(item, dict):
                raise InvalidError(f"{path}, dòng {number}: cần một đối tượng JSON")
            yield number, item


def to_article(item: dict[str, Any], *, where: str) -> Article:
    """An Article from a JSON object with id, title, text and optional lead."""
    if "id" not in item:
        raise InvalidError(f"{where}: thiếu trường 'id'")
    text = item.get("text") or ""
    title = item.get("title") or (text.split("\n", 1)[0] if text else "")
    if not isinstance(text, str) or not isinstance(title, str):
        raise InvalidError(f"{where}: 'title' và 'text' phải là chuỗi")
    if not (title.strip() or text.strip()):
        raise InvalidError(f"{where}: bài không có 'title' lẫn 'text'")
    return Article(str(item["id"]), nfc(title), nfc(text), nfc(str(item.get("lead") or "")))


def read_articles(path: Path) -> list[Article]:
    """Every article of a .jsonl(.gz) file."""
    return [to_article(item, where=f"{path}, dòng {n}") for n, item in read_jsonl(path)]


def read_examples(path: Path, codes: list[str]) -> list[tuple[Article, frozenset[str]]]:
    """Confirmed examples {"id", "themes", "title", "text"}; unknown theme codes are refused."""
    out = []
    for n, item in read_jsonl(path):
        where = f"{path}, dòng {n}"
        themes = item.get("themes")
        if not isinstance(themes, list) or not all(isinstance(t, str) for t in themes):
            raise InvalidError(f"{where}: 'themes' phải là danh sách mã chủ đề")
        unknown = sorted(set(themes) - set(codes))
        if unknown:
            raise InvalidError(f"{where}: mã chủ đề không có trong văn bản: {', '.join(unknown)}")
        out.append((to_article(item, where=where), frozenset(themes)))
    return out
