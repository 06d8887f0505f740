"""A corpus of text laid out in columns: `pdftotext -layout` of PDFs LibreOffice makes.

The PDFs come from the dev documents of `corpus/vbpl-docx/` and from .docx letters built here
from the dev công văn, with the header and the signature as two-column borderless tables and
the Kính gửi list indented right, as real letters are printed. LibreOffice is slow, so every
document is converted in one soffice run and the texts are kept in a cache folder keyed by
the inputs. Run ``python -m tests.documents.layout_corpus --write`` to record the scores.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from tests.corpus import CORPUS, ROOT
from trienkhai.documents.evaluate import SCORES_JSON, SCORES_MD, got_value, load_labels, same
from trienkhai.documents.footnotes import split_footnotes
from trienkhai.documents.layout import parse_layout, read_header
from trienkhai.documents.lines import prepare
from trienkhai.documents.parser import parse_text
from trienkhai.documents.schemas import DocumentRecord

SCORES_KEY = "layout-text"
FIELDS = (
    "doc_type", "number_symbol", "issued_date", "place", "issuer", "parent_issuer", "subject",
    "signer_authority", "signer_on_behalf", "signer_title", "signer_name", "recipients",
    "noi_nhan",
)  # fmt: skip
MD_START = "## layout-kept text (pdftotext -layout)"
# Body paragraphs kept per letter: enough for several pages, page numbers and page breaks.
_BODY_PARAGRAPHS = 80
_DATE_WRAP = re.compile(
    r"^(?:\d{1,2}\s+)?(?:tháng\s+\d{1,2}\s+)?năm\s+\d{4}$|^\d{1,2} tháng \d{1,2}"
)
_QUOC_HIEU = [
    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
    "Độc lập - Tự do - Hạnh phúc",
    "---------------",
]


def _date(iso: str) -> str:
    """ "ngày 5 tháng 3 năm 2025" from an ISO date."""
    year, month, day = iso.split("-")
    return f"ngày {int(day)} tháng {int(month)} năm {year}"


def _borderless(doc: Any, left: list[str], right: list[str]) -> None:
    """A two-column table without borders, one centred 12 pt paragraph per line in each cell."""
    table = doc.add_table(rows=1, cols=2)
    sides = "".join(f'<w:{side} w:val="nil"/>' for side in ("top", "left", "bottom", "right"))
    table._tbl.tblPr.append(parse_xml(f"<w:tblBorders {nsdecls('w')}>{sides}</w:tblBorders>"))
    for cell, lines in zip(table.rows[0].cells, (left, right), strict=True):
        for index, line in enumerate(lines):
            para = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            para.alignment = WD_ALIGN_PARAGRAPH.CENTER
            para.add_run(line).font.size = Pt(12)


def _page_numbers(doc: Any) -> None:
    """A page number at the top centre from the second page, as Decree 30 prints it."""
    section = doc.sections[0]
    section.different_first_page_header_footer = True
    para = section.header.paragraphs[0]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para._p.append(
        parse_xml(
            f'<w:fldSimple {nsdecls("w")} w:instr="PAGE"><w:r><w:t>1</w:t></w:r></w:fldSimple>'
        )
    )


def _paragraphs(lines: list[str]) -> list[str]:
    """Lines a corpus copy broke inside a sentence joined back into paragraphs."""
    out: list[str] = []
    for line in lines:
        if out and line[:1].islower() and not out[-1].endswith((".", ";", ":")):
            out[-1] = f"{out[-1]} {line}"
        else:
            out.append(line)
    return out


def _letter_lines(text: str) -> tuple[list[str], list[str]]:
    """The lines between header and body (Kính gửi …) and the body lines of a corpus letter."""
    lines, _ = split_footnotes(prepare(text).lines, [])
    record = DocumentRecord(source=None, text="")
    head = read_header(lines)
    layout = parse_layout(lines, record)
    return lines[head.end : layout.body_start], lines[layout.body_start : layout.body_end]


def build_letter(label: dict[str, Any], text: str, path: Path) -> Path:
    """A Word letter laid out as printed: header table, Kính gửi indented, signature table."""
    doc = Document()
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(13)
    _page_numbers(doc)
    left = [label["parent_issuer"]] if label.get("parent_issuer") else []
    left += [label["issuer"], "-------", f"Số: {label['number_symbol']}"]
    cong_van = label["doc_type"] == "Công văn"
    if cong_van and label.get("subject"):
        left.append(f"V/v {label['subject']}")
    right = [*_QUOC_HIEU, f"{label['place']}, {_date(label['issued_date'])}"]
    _borderless(doc, left, right)
    if not cong_van:
        for line in (label["doc_type"].upper(), label.get("subject") or ""):
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.CENTER
    between, body = _letter_lines(text)
    for line in between:
        if _DATE_WRAP.match(line):  # the rest of a date the corpus copy wrapped
            continue
        para = doc.add_paragraph(line)
        if line.startswith(("Kính gửi", "- ", "+ ")):
            para.paragraph_format.left_indent = Cm(4)
    for line in _paragraphs(body)[:_BODY_PARAGRAPHS]:
        para = doc.add_paragraph(line)
        para.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
        para.paragraph_format.first_line_indent = Cm(1)
    items = label.get("noi_nhan") or []
    noi_nhan = ["Nơi nhận:"] + [
        f"- {item}{'.' if k == len(items) - 1 else ';'}" for k, item in enumerate(items)
    ]
    authority = label.get("signer_authority")
    signer = [f"{authority} {label['signer_on_behalf']}"] if authority else []
    signer += [label["signer_title"], "", "", "", label["signer_name"]]
    _borderless(doc, noi_nhan if items else [""], signer)
    doc.save(str(path))
    return path


def _sources() -> tuple[list[tuple[dict[str, Any], Path]], list[dict[str, Any]]]:
    """The vbpl-docx dev files with their labels, and the dev công văn labels."""
    vbpl = {label["id"]: label for label in load_labels("vbpl", CORPUS)}
    files = sorted((CORPUS / "vbpl-docx").glob("*.docx"))
    docx = [(vbpl[f.stem], f) for f in files if f.stem in vbpl]
    return docx, load_labels("congvan", CORPUS)


def _key(docx: list[tuple[dict[str, Any], Path]], congvan: list[dict[str, Any]]) -> str:
    """A digest of everything the corpus is made from: this builder, the labels, the files."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for label, path in docx:
        digest.update(json.dumps(label, sort_keys=True).encode() + path.read_bytes())
    for label in congvan:
        digest.update(json.dumps(label, sort_keys=True).encode())
    return digest.hexdigest()[:16]


def build(cache: Path) -> dict[str, tuple[dict[str, Any], str]]:
    """id → (label, layout text), converting only when the cached texts are stale."""
    docx, congvan = _sources()
    folder = cache / _key(docx, congvan)
    labels = {label["id"]: label for label, _ in docx} | {label["id"]: label for label in congvan}
    if not all((folder / f"{doc_id}.txt").exists() for doc_id in labels):
        folder.mkdir(parents=True, exist_ok=True)
        sources = [path for _, path in docx]
        for label in congvan:
            text = (CORPUS / "congvan" / f"{label['id']}.txt").read_text(encoding="utf-8")
            sources.append(build_letter(label, text, folder / f"{label['id']}.docx"))
        profile = (folder / "lo-profile").as_uri()
        subprocess.run(
            ["soffice", f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
             "--outdir", str(folder), *map(str, sources)],
            check=True, capture_output=True, timeout=1200,
        )  # fmt: skip
        for doc_id in labels:
            pdf = folder / f"{doc_id}.pdf"
            subprocess.run(
                ["pdftotext", "-layout", str(pdf), str(pdf.with_suffix(".txt"))], check=True
            )
    return {
        doc_id: (label, (folder / f"{doc_id}.txt").read_text(encoding="utf-8"))
        for doc_id, label in labels.items()
    }


def score(corpus: dict[str, tuple[dict[str, Any], str]]) -> tuple[dict[str, float], list[str]]:
    """Per-field accuracy of the parser on the layout texts, and the misses."""
    hits: dict[str, int] = {}
    totals: dict[str, int] = {}
    misses: list[str] = []
    for doc_id, (label, text) in sorted(corpus.items()):
        record = parse_text(text, source=doc_id)
        for name in FIELDS:
            if name not in label:
                continue
            ok = same(name, label[name], got_value(record, name))
            totals[name] = totals.get(name, 0) + 1
            hits[name] = hits.get(name, 0) + int(ok)
            if not ok:
                misses.append(
                    f"{doc_id} {name}: want {label[name]!r} got {got_value(record, name)!r}"
                )
    return {name: round(hits[name] / totals[name], 4) for name in totals}, misses


def write_scores(accuracy: dict[str, float], docs: int) -> None:
    """Record the scores in tests/documents/scores.json and at the end of docs/parser-scores.md."""
    data = json.loads(SCORES_JSON.read_text(encoding="utf-8"))
    data[SCORES_KEY] = {"docs": docs, "fields": accuracy}
    SCORES_JSON.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    page = SCORES_MD.read_text(encoding="utf-8")
    page = page.split(f"\n{MD_START}", 1)[0].rstrip("\n")
    rows = [f"| {name} | {value * 100:.1f}% |" for name, value in accuracy.items()]
    section = [
        f"{MD_START} ({docs} documents)",
        "",
        "`pdftotext -layout` of PDFs that LibreOffice makes from the dev documents of",
        "`vbpl-docx/` and from Word letters built from the dev công văn (header and signature as",
        "two-column borderless tables, Kính gửi indented, page numbers). Measured with",
        "`python -m tests.documents.layout_corpus --write`; gate:",
        "`tests/documents/test_layout_text_gate.py`",
        "(every field at least 97% and no drop).",
        "",
        "| field | accuracy |",
        "| --- | ---: |",
        *rows,
    ]
    SCORES_MD.write_text(page + "\n\n" + "\n".join(section) + "\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Build (or reuse) the corpus, print the misses and scores; optionally record them."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cache", type=Path, default=ROOT / ".pytest_cache" / "layout-corpus")
    parser.add_argument("--write", action="store_true")
    args = parser.parse_args(argv)
    corpus = build(args.cache)
    accuracy, misses = score(corpus)
    sys.stdout.write(
        "\n".join([*misses, "", *(f"{k}: {v:.4f}" for k, v in accuracy.items())]) + "\n"
    )
    if args.write:
        write_scores(accuracy, len(corpus))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
