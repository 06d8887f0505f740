"""Word .docx reader: paragraphs and table cells in document order, footnotes from footnotes.xml."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import ClassVar

from lxml import etree  # type: ignore[import-untyped]

from trienkhai import zipcheck
from trienkhai.documents.readers.base import ReadError
from trienkhai.documents.schemas import Footnote, ReadResult
from trienkhai.text import nfc

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
DOCX_SUFFIXES = {".docx", ".docm", ".dotx"}
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def superscript(number: str) -> str:
    """Digits as superscript characters ("12" → "¹²"), as a footnote marker is printed."""
    return number.translate(_SUPERSCRIPT)


def read_member(path: Path, archive: zipfile.ZipFile, name: str, *, required: bool) -> bytes | None:
    """One archive member, read with a hard size cap whatever its header claims."""
    try:
        return zipcheck.read_member(archive, name)
    except KeyError:
        if required:
            raise ReadError(path, f"không phải tệp Word hợp lệ (missing {name})") from None
        return None


def _parse_xml(path: Path, data: bytes) -> etree._Element:
    """Parse a part without network access or entity expansion."""
    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        return etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(path, f"tệp Word bị hỏng (broken XML: {exc.msg})") from exc


class _Walker:
    """Walks the body in order, numbering footnote references as Word displays them."""

    def __init__(self) -> None:
        self.marks: dict[str, str] = {}

    def blocks(self, parent: etree._Element) -> Iterator[str]:
        """Lines of paragraphs and tables under a body, cell or text box."""
        for child in parent:
            if child.tag == f"{W}p":
                yield from self.paragraph(child)
            elif child.tag == f"{W}tbl":
                yield from self.table(child)
            elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
                yield from self.blocks(child)

    def table(self, tbl: etree._Element) -> Iterator[str]:
        """Rows top to bottom, cells left to right; a vertically merged continuation is skipped."""
        for row in _children(tbl, f"{W}tr"):
            for cell in _children(row, f"{W}tc"):
                merge = cell.find(f"{W}tcPr/{W}vMerge")
                if merge is not None and merge.get(f"{W}val", "continue") == "continue":
                    continue
                yield from self.blocks(cell)

    def paragraph(self, para: etree._Element) -> Iterator[str]:
        """The paragraph's text (line breaks split it), then the text boxes anchored in it."""
        parts: list[str] = []
        boxes: list[etree._Element] = []
        self._runs(para, parts, boxes)
        yield from "".join(parts).split("\n")
        for box in boxes:
            yield from self.blocks(box)

    def _runs(self, node: etree._Element, parts: list[str], boxes: list[etree._Element]) -> None:
        """Collect text, tabs, breaks and footnote markers below a paragraph node."""
        for child in node:
            tag = child.tag
            if tag == f"{W}t":
                parts.append(child.text or "")
            elif tag == f"{W}tab":
                parts.append("\t")
            elif tag in (f"{W}br", f"{W}cr"):
                parts.append("\n")
            elif tag == f"{W}footnoteReference":
                parts.append(superscript(self._mark(child.get(f"{W}id", ""))))
            elif tag == f"{W}txbxContent":
                boxes.append(child)
            elif tag in (MC_FALLBACK, f"{W}del", f"{W}delText", f"{W}instrText"):
                # A fallback repeats the text box; deleted text and field codes are not text.
                continue
            elif isinstance(tag, str):
                self._runs(child, parts, boxes)

    def _mark(self, note_id: str) -> str:
        """The displayed number of a footnote: its rank among references, as Word numbers them."""
        return self.marks.setdefault(note_id, str(len(self.marks) + 1))


def _children(node: etree._Element, tag: str) -> Iterator[etree._Element]:
    """Direct children with a tag, looking through content-control wrappers (w:sdt)."""
    for child in node:
        if child.tag == tag:
            yield child
        elif child.tag in (f"{W}sdt", f"{W}sdtContent", f"{W}customXml"):
            yield from _children(child, tag)


def _footnotes(path: Path, data: bytes | None, walker: _Walker) -> list[Footnote]:
    """Footnotes in marker order, with their text joined into one line each."""
    if data is None:
        return []
    root = _parse_xml(path, data)
    notes: list[Footnote] = []
    for note in root.findall(f"{W}footnote"):
        marker = walker.marks.get(note.get(f"{W}id", ""))
        if marker is None:
            continue  # separators and notes nothing refers to
        text = " ".join(" ".join(line.split()) for line in _Walker().blocks(note))
        notes.append(Footnote(marker=marker, text=nfc(" ".join(text.split()))))
    return sorted(notes, key=lambda n: int(n.marker))


def read_docx(path: Path) -> ReadResult:
    """Text and footnotes of a .docx after checking the archive is a safe Word file."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise ReadError(
            path, "tệp Word có mật khẩu hoặc là .doc cũ (encrypted or legacy .doc, not .docx)"
        )
    if not head.startswith(zipcheck.ZIP_MAGIC) or not zipfile.is_zipfile(path):
        raise ReadError(path, "không phải tệp Word .docx (not a zip archive)")
    try:
        with zipfile.ZipFile(path) as archive:
            zipcheck.check_archive(archive)
            zipcheck.refuse_doctype(archive)
            body = read_member(path, archive, "word/document.xml", required=True)
            notes = read_member(path, archive, "word/footnotes.xml", required=False)
    except zipcheck.ZipCheckError as exc:
        raise ReadError(path, str(exc)) from exc
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError) as exc:
        raise ReadError(path, f"tệp Word bị hỏng (broken zip: {exc})") from exc
    assert body is not None  # required=True raises instead of returning None
    root = _parse_xml(path, body)
    walker = _Walker()
    found = root.find(f"{W}body")
    lines = list(walker.blocks(found if found is not None else root))
    return ReadResult(
        text=nfc("\n".join(lines)), footnotes=_footnotes(path, notes, walker), reader="docx"
    )


class DocxReader:
    """Reads Word 2007+ files."""

    name: ClassVar[str] = "docx"

    def can_read(self, path: Path, head: bytes) -> bool:
        """Files named .docx (content is checked when read)."""
        return path.suffix.lower() in DOCX_SUFFIXES

    def read(self, path: Path) -> ReadResult:
        """Paragraphs, cells and footnotes."""
        return read_docx(path)
