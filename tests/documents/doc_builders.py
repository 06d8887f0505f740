"""Real test files: the sample directive as .docx (header table, Word footnotes), PDF and scan."""

from __future__ import annotations

import re
import subprocess
import zipfile
from pathlib import Path

import pypdfium2 as pdfium
from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Pt

from tests.corpus import SAMPLE

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MARKERS = {"¹": "1", "²": "2"}


def sample_parts() -> dict[str, object]:
    """The sample cut into header cells, body paragraphs, footnotes and the signature cells."""
    lines = [line.strip() for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line]
    notes = {line[0]: line[1:].strip() for line in lines if line[:1] in _MARKERS}
    kept = [line for line in lines if line[:1] not in _MARKERS]
    start = kept.index("Kính gửi:")
    end = kept.index("Nơi nhận:")
    body = _join_page_break(kept[start:end])
    noi_nhan = kept[end : kept.index("**KT. GIÁM ĐỐC")]
    return {
        "left": ["UBND TỈNH KON TUM", "SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Số: /STTTT-TTBCXB",
                 "V/v đẩy mạnh tuyên truyền, đấu tranh phản bác về Nhân quyền trên địa bàn tỉnh."],
        "right": ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập – Tự do – Hạnh phúc",
                  "Kon Tum, ngày tháng năm"],
        "body": body,
        "noi_nhan": noi_nhan,
        "signer": ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC", "", "", "Mai Thoan"],
        "notes": notes,
    }  # fmt: skip


def _join_page_break(lines: list[str]) -> list[str]:
    """Rejoin the paragraph the PDF page break cut ("… của các quốc" / "gia về …")."""
    out: list[str] = []
    for line in lines:
        if out and out[-1].endswith("các quốc"):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(re.sub(r"\*+", "", line).strip())
    return out


def _borderless_table(
    doc: object, left: list[str], right: list[str], *, bold: frozenset[str] = frozenset()
) -> None:
    """A two-column table without borders, one 12 pt centred paragraph per line in each cell."""
    table = doc.add_table(rows=1, cols=2)  # type: ignore[attr-defined]
    borders = parse_xml(
        f"<w:tblBorders {nsdecls('w')}>"
        + "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right"))
        + "</w:tblBorders>"
    )
    table._tbl.tblPr.append(borders)
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        for index, line in enumerate(lines):
            para = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            run = para.add_run(line)
            run.font.size = Pt(12)
            run.bold = line in bold


def _add_with_notes(doc: object, text: str) -> None:
    """A paragraph whose ¹ ² markers become real Word footnote references."""
    para = doc.add_paragraph()  # type: ignore[attr-defined]
    para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    for piece in re.split(r"([¹²])", text):
        if piece in _MARKERS:
            run = para.add_run()
            run._r.append(
                parse_xml(f'<w:footnoteReference {nsdecls("w")} w:id="{_MARKERS[piece]}"/>')
            )
            rpr = run._r.get_or_add_rPr()
            rpr.append(parse_xml(f'<w:vertAlign {nsdecls("w")} w:val="superscript"/>'))
        elif piece:
            para.add_run(piece)


def _footnotes_xml(notes: dict[str, str]) -> bytes:
    """word/footnotes.xml with the two separators Word writes and one note per marker."""
    items = [
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p>'
        "</w:footnote>",
        '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r>'
        "<w:continuationSeparator/></w:r></w:p></w:footnote>",
    ]
    for marker, text in notes.items():
        items.append(
            f'<w:footnote w:id="{_MARKERS[marker]}"><w:p><w:r><w:rPr><w:vertAlign '
            f'w:val="superscript"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> '
            f"{_escape(text)}</w:t></w:r></w:p></w:footnote>"
        )
    xml = f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:footnotes xmlns:w="{W_NS}">'
    return (xml + "".join(items) + "</w:footnotes>").encode("utf-8")


def _escape(text: str) -> str:
    """XML text escaping."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _add_footnotes_part(path: Path, notes: dict[str, str]) -> None:
    """Patch the saved .docx: footnotes part, its relationship and its content type."""
    with zipfile.ZipFile(path) as src:
        members = {info.filename: src.read(info) for info in src.infolist()}
    members["word/footnotes.xml"] = _footnotes_xml(notes)
    rels = members["word/_rels/document.xml.rels"].decode()
    rel = (
        '<Relationship Id="rIdFootnotes" Target="footnotes.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/footnotes"/>'
    )
    members["word/_rels/document.xml.rels"] = rels.replace(
        "</Relationships>", rel + "</Relationships>"
    ).encode()
    types = members["[Content_Types].xml"].decode()
    override = (
        '<Override PartName="/word/footnotes.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.wordprocessingml.footnotes+xml"/>'
    )
    members["[Content_Types].xml"] = types.replace("</Types>", override + "</Types>").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for name, data in members.items():
            out.writestr(name, data)


def make_sample_docx(path: Path, font: str = "Times New Roman") -> Path:
    """The sample directive as a Word letter: header table, body, footnotes, signature table."""
    parts = sample_parts()
    doc = Document()
    doc.styles["Normal"].font.name = font
    doc.styles["Normal"].font.size = Pt(13)
    bold = frozenset({"SỞ THÔNG TIN VÀ TRUYỀN THÔNG", "Độc lập – Tự do – Hạnh phúc", "Mai Thoan"})
    bold |= {"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"}
    _borderless_table(doc, parts["left"], parts["right"], bold=bold)  # type: ignore[arg-type]
    for line in parts["body"]:  # type: ignore[attr-defined]
        _add_with_notes(doc, line)
    _borderless_table(doc, parts["noi_nhan"], parts["signer"], bold=bold)  # type: ignore[arg-type]
    doc.save(str(path))
    _add_footnotes_part(path, parts["notes"])  # type: ignore[arg-type]
    return path


def soffice_convert(source: Path, target: str, outdir: Path) -> Path:
    """Convert with headless LibreOffice (private profile, so tests can run side by side)."""
    profile = (outdir / "lo-profile").as_uri()
    subprocess.run(
        ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", target,
         "--outdir", str(outdir), str(source)],
        check=True, capture_output=True, timeout=180,
    )  # fmt: skip
    return outdir / f"{source.stem}.{target}"


def make_scanned_pdf(pdf: Path, out: Path, *, dpi: int = 300) -> Path:
    """Render each page to an image and save the images as a PDF without a text layer."""
    document = pdfium.PdfDocument(pdf)
    images = [page.render(scale=dpi / 72).to_pil().convert("RGB") for page in document]
    document.close()
    images[0].save(out, save_all=True, append_images=images[1:], resolution=dpi)
    return out
