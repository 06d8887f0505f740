"""Directive uploads: the API accepts exactly the file types the upload form lists."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from tests.users.factories import api_client, bearer, make_account
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.readers.registry import read_file
from trienkhai.documents.service import UPLOAD_SUFFIXES
from trienkhai.users.models import Role


@pytest.mark.parametrize("name", ["chi-dao.odt", "chi-dao.rtf", "anh.png", "scan.tiff", "a.html"])
def test_api_refuses_types_the_form_does_not_list(session: Session, name: str) -> None:
    coord = make_account(session, role=Role.coordinator)
    response = api_client(session).post(
        "/api/v1/directives",
        headers=bearer(coord),
        files={"file": (name, b"{\\rtf1 x}", "application/octet-stream")},
    )
    assert response.status_code == 415
    assert name in response.json()["detail"]
    assert ".docx, .doc, .pdf hoặc .txt" in response.json()["detail"]


def test_one_list_for_form_and_api() -> None:
    assert UPLOAD_SUFFIXES == (".docx", ".doc", ".pdf", ".txt")


def test_docx_with_a_doctype_is_refused_in_one_line(tmp_path: Path) -> None:
    from docx import Document  # noqa: PLC0415

    plain = tmp_path / "plain.docx"
    Document().save(str(plain))
    path = tmp_path / "doctype.docx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "word/document.xml":
                head, rest = data.split(b"?>", 1)
                data = head + b'?><!DOCTYPE d [<!ENTITY x SYSTEM "http://127.0.0.1:9/x">]>' + rest
            target.writestr(info, data)
    with pytest.raises(ReadError) as caught:
        read_file(path)
    assert "DOCTYPE" in str(caught.value) and "word/document.xml" in str(caught.value)
    assert str(caught.value).startswith(f"{path}: ")
