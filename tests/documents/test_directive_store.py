"""Directive storage: original bytes, SHA-256, record; re-import of the same bytes dedups."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from trienkhai.documents import service as directives
from trienkhai.documents.models import Directive


def test_import_stores_bytes_hash_and_record(session: Session, sample_path: Path) -> None:
    content = sample_path.read_bytes() + b"\n<!-- store-1 -->\n"
    stored = directives.import_directive(
        session=session, filename="cong-van.txt", content=content, actor=None
    )
    assert stored.content == content
    assert stored.size == len(content)
    assert stored.sha256 == directives.sha256_of(content)
    assert stored.media_type == "text/plain"
    assert stored.filename == "cong-van.txt"
    record = directives.record_of(stored)
    assert record.source == "cong-van.txt"
    assert "text" not in stored.record  # the full text lives in its own column


def test_reimport_same_bytes_returns_existing(session: Session, sample_path: Path) -> None:
    content = sample_path.read_bytes() + b"\n<!-- store-2 -->\n"
    first = directives.import_directive(
        session=session, filename="a.txt", content=content, actor=None
    )
    again = directives.import_directive(
        session=session, filename="b.txt", content=content, actor=None
    )
    assert again.id == first.id
    count = session.scalar(select(func.count(Directive.id)).where(Directive.sha256 == first.sha256))
    assert count == 1
    other = directives.import_directive(
        session=session, filename="c.txt", content=content + b" ", actor=None
    )
    assert other.id != first.id


def test_empty_and_unsupported_files_are_refused(session: Session) -> None:
    with pytest.raises(directives.DirectiveError, match="rỗng"):
        directives.import_directive(session=session, filename="x.txt", content=b"", actor=None)
    with pytest.raises(directives.DirectiveError, match=r"x\.xyz"):
        directives.import_directive(
            session=session, filename="x.xyz", content=b"\x00\x01binary", actor=None
        )
    assert (
        session.scalar(select(func.count(Directive.id)).where(Directive.filename == "x.xyz")) == 0
    )
