"""Writes the Decree-30 report templates (.docx with docxtpl tags); offices may then edit them.

Run `python -m trienkhai.reports.make_template` to regenerate the checked-in files.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from docx.table import Table, _Cell
from docx.text.paragraph import Paragraph

from trienkhai.reports.ledger_report import COLUMNS as LEDGER_COLUMNS
from trienkhai.reports.ledger_report import UNIT_HEADER as LEDGER_UNIT_HEADER

TEMPLATES = Path(__file__).resolve().parent / "templates"
FONT = "Times New Roman"
LEFT_W, RIGHT_W = Cm(7.4), Cm(9.6)  # issuer | quốc hiệu: 17 cm, 0.5 cm into the wide left margin


def _fonts(run_props: object) -> None:
    """Times New Roman for every script, so Vietnamese never falls back to another face."""
    rpr = run_props
    fonts = rpr.find(qn("w:rFonts"))  # type: ignore[attr-defined]
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)  # type: ignore[attr-defined]
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)


def _para(
    container: DocxDocument | _Cell,
    text: str = "",
    *,
    size: float = 14,
    bold: bool = False,
    italic: bool = False,
    align: WD_ALIGN_PARAGRAPH | None = WD_ALIGN_PARAGRAPH.CENTER,
    indent: bool = False,
    after: float = 0,
    before: float = 0,
) -> Paragraph:
    """A paragraph holding one formatted run."""
    p = container.add_paragraph()
    fmt = p.paragraph_format
    fmt.alignment = align
    fmt.space_after, fmt.space_before = Pt(after), Pt(before)
    fmt.line_spacing = 1.0
    if indent:
        fmt.first_line_indent = Cm(1.27)
    if text:
        run = p.add_run(text)
        run.font.size, run.font.bold, run.font.italic = Pt(size), bold, italic
        run.font.name = FONT
        _fonts(run._r.get_or_add_rPr())
    return p


def _body(doc: DocxDocument, text: str, *, bold: bool = False) -> Paragraph:
    """A body paragraph: 14 pt, justified, first line indented 1.27 cm, 6 pt after."""
    return _para(doc, text, bold=bold, align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, after=6)


def _rule(container: DocxDocument | _Cell, side_indent: float) -> Paragraph:
    """A short horizontal line: a paragraph's bottom border, narrowed by its indents."""
    p = _para(container, size=6)
    p.paragraph_format.left_indent = p.paragraph_format.right_indent = Cm(side_indent)
    ppr = p._p.get_or_add_pPr()
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    ppr.append(borders)
    # A 2 pt empty line keeps the rule close under the text above.
    p.add_run("").font.size = Pt(2)
    return p


def _borderless(table: Table, widths: list[Cm], *, shift: Cm | None = None) -> None:
    """No borders, fixed column widths (grid too: LibreOffice reads the grid), optional shift."""
    tbl_pr = table._tbl.tblPr
    if shift is not None:
        ind = OxmlElement("w:tblInd")
        ind.set(qn("w:w"), str(int(shift.twips)))
        ind.set(qn("w:type"), "dxa")
        tbl_pr.append(ind)
    grid = table._tbl.tblGrid
    for col, width in zip(grid.findall(qn("w:gridCol")), widths, strict=True):
        col.w = width
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        el = OxmlElement(f"w:{edge}")
        el.set(qn("w:val"), "nil")
        borders.append(el)
    tbl_pr.append(borders)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width


def _clear(cell: _Cell) -> _Cell:
    """A cell without its default empty paragraph (content is added after)."""
    for p in list(cell.paragraphs):
        p._p.getparent().remove(p._p)
    return cell


def _page_setup(doc: DocxDocument) -> None:
    """A4 portrait, margins within the decree's ranges, page numbers from page 2 at the top."""
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.start_type = WD_SECTION.NEW_PAGE
    section.different_first_page_header_footer = True
    header = section.header.paragraphs[0]
    header.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    header._p.append(field)
    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = FONT, Pt(14)
    _fonts(normal.element.get_or_add_rPr())


def header_block(doc: DocxDocument) -> None:
    """Parent over issuer at left, quốc hiệu and tiêu ngữ at right, number and date under."""
    table = doc.add_table(rows=2, cols=2)
    left, right = _clear(table.cell(0, 0)), _clear(table.cell(0, 1))
    _para(left, "{{ parent_issuer }}", size=13)
    _para(left, "{{ issuer }}", size=13, bold=True)
    _rule(left, 2.0)
    _para(right, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", size=12, bold=True)
    _para(right, "Độc lập - Tự do - Hạnh phúc", size=13, bold=True)
    _rule(right, 1.85)
    _para(_clear(table.cell(1, 0)), "Số: {{ number }}/{{ symbol }}", size=13, before=4)
    _para(_clear(table.cell(1, 1)), "{{ place_date }}", size=14, italic=True, before=4)
    _borderless(table, [LEFT_W, RIGHT_W], shift=Cm(-0.5))


def title_block(doc: DocxDocument) -> None:
    """Type name, subject, short rule and Kính gửi."""
    _para(doc, "{{ doc_type }}", bold=True, before=18)
    _para(doc, "{{ subject }}", bold=True)
    _rule(doc, 5.5)
    _para(doc, "{%p if kinh_gui %}")
    _para(doc, "Kính gửi: {{ kinh_gui }}", before=6, after=6)
    _para(doc, "{%p endif %}")


def _loop(doc: DocxDocument, items: str, text: str) -> None:
    """Paragraphs repeated once per item (docxtpl {%p for %})."""
    _para(doc, f"{{%p for line in {items} %}}")
    _body(doc, text)
    _para(doc, "{%p endfor %}")


def _table_row(table: Table, texts: list[str], *, bold: bool = False, size: float = 12) -> None:
    """A table row of centred cells (12 pt unless told)."""
    cells = table.add_row().cells  # type: ignore[no-untyped-call]
    for cell, text in zip(cells, texts, strict=True):
        _para(_clear(cell), text, size=size, bold=bold)


def _repeat_header(table: Table) -> None:
    """The first row repeats at the top of every page the table runs onto (w:tblHeader)."""
    tr_pr = table.rows[0]._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    tr_pr.append(header)


def ledger_table(doc: DocxDocument) -> None:
    """Unit × reconciliation category, the header repeated on each page."""
    table = doc.add_table(rows=0, cols=2 + len(LEDGER_COLUMNS))
    table.style = doc.styles["Table Grid"]
    empty = [""] * (1 + len(LEDGER_COLUMNS))
    head = ["STT", LEDGER_UNIT_HEADER, *(label for _, label in LEDGER_COLUMNS)]
    _table_row(table, head, bold=True, size=9)
    _repeat_header(table)
    _table_row(table, ["{%tr for u in ledger_rows %}", *empty], size=10)
    cells = [f"{{{{ u.counts[{i}] }}}}" for i in range(len(LEDGER_COLUMNS))]
    _table_row(table, ["{{ u.index }}", "{{ u.name }}", *cells], size=10)
    _table_row(table, ["{%tr endfor %}", *empty], size=10)
    totals = [f"{{{{ ledger_totals[{i}] }}}}" for i in range(len(LEDGER_COLUMNS))]
    _table_row(table, ["", "Tổng cộng", *totals], bold=True, size=10)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def unit_table(doc: DocxDocument) -> None:
    """Unit × theme table; the theme columns repeat with {%tc %}."""
    table = doc.add_table(rows=0, cols=7)
    table.style = doc.styles["Table Grid"]
    tc_for, tc_end = "{%tc for c in {} %}", "{%tc endfor %}"
    head = ["STT", "Đơn vị", tc_for.replace("{}", "theme_codes"), "{{ c }}", tc_end]
    _table_row(table, [*head, "Tổng số", "Đã xác minh"], bold=True)
    _table_row(table, ["{%tr for u in unit_rows %}", "", "", "", "", "", ""])
    row = ["{{ u.index }}", "{{ u.name }}", tc_for.replace("{}", "u.counts"), "{{ c }}", tc_end]
    _table_row(table, [*row, "{{ u.total }}", "{{ u.verified }}"])
    _table_row(table, ["{%tr endfor %}", "", "", "", "", "", ""])
    tot = ["", "Tổng cộng", tc_for.replace("{}", "theme_totals"), "{{ c }}", tc_end]
    _table_row(table, [*tot, "{{ total }}", "{{ verified }}"], bold=True)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER


def signature_block(doc: DocxDocument) -> None:
    """Nơi nhận on the left (12 pt bold italic label, 11 pt items), signer on the right."""
    table = doc.add_table(rows=1, cols=2)
    left, right = _clear(table.cell(0, 0)), _clear(table.cell(0, 1))
    _para(left, "Nơi nhận:", size=12, bold=True, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "{%p for line in noi_nhan %}")
    _para(left, "- {{ line }}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT)
    _para(left, "{%p endfor %}")
    _para(right, "{{ signer_authority }}", bold=True)
    _para(right, "{{ signer_title }}", bold=True)
    for _ in range(4):
        _para(right)
    _para(right, "{{ signer_name }}", bold=True)
    _borderless(table, [Cm(7.6), Cm(8.9)])


def campaign_template() -> DocxDocument:
    """The campaign results report (báo cáo) template."""
    doc = Document()
    _page_setup(doc)
    header_block(doc)
    title_block(doc)
    _body(doc, "{{ opening }}")
    _body(doc, "I. KẾT QUẢ TRIỂN KHAI", bold=True)
    _body(doc, "1. Tình hình chung", bold=True)
    _loop(doc, "general_lines", "{{ line }}")
    _para(doc, "{{ chart_week }}")
    _body(doc, "2. Kết quả theo từng nội dung tuyên truyền", bold=True)
    _loop(doc, "theme_lines", "{{ line }}")
    _para(doc, "{{ chart_theme }}")
    _body(doc, "3. Kết quả theo nhóm đơn vị", bold=True)
    _loop(doc, "group_lines", "{{ line }}")
    _para(doc, "{{ chart_group }}")
    _body(doc, "4. Kết quả theo loại hình, kênh thông tin", bold=True)
    _loop(doc, "channel_lines", "{{ line }}")
    _para(doc, "{{ chart_channel }}")
    _body(doc, "5. Tổng hợp theo đơn vị và nội dung", bold=True)
    _body(doc, "{{ table_note }}")
    unit_table(doc)
    _body(doc, "6. Một số tin, bài, sản phẩm tiêu biểu", bold=True)
    _loop(doc, "notable", "{{r line }}")
    _body(doc, "7. Đối chiếu kết quả", bold=True)
    _loop(doc, "ledger_lines", "{{ line }}")
    ledger_table(doc)
    _body(
        doc,
        "II. ĐƠN VỊ CHẬM TIẾN ĐỘ",
        bold=True,
    )
    _loop(doc, "laggard_lines", "{{ line }}")
    _body(doc, "III. ĐỀ XUẤT, KIẾN NGHỊ", bold=True)
    _loop(doc, "proposals", "{{ line }}")
    _body(doc, "{{ closing }}")
    signature_block(doc)
    return doc


def unit_template() -> DocxDocument:
    """The one-page report a unit sends back, built from what it logged."""
    doc = Document()
    _page_setup(doc)
    header_block(doc)
    title_block(doc)
    _body(doc, "{{ opening }}")
    _loop(doc, "general_lines", "{{ line }}")
    table = doc.add_table(rows=0, cols=6)
    table.style = doc.styles["Table Grid"]
    _table_row(
        table, ["STT", "Tên tin, bài, sản phẩm", "Nội dung", "Kênh", "Hình thức", "Ngày"], bold=True
    )
    _table_row(table, ["{%tr for o in outputs %}", "", "", "", "", ""])
    _table_row(
        table,
        [
            "{{ o.index }}",
            "{{ o.title }}",
            "{{ o.themes }}",
            "{{ o.channel }}",
            "{{ o.form }}",
            "{{ o.date }}",
        ],
    )
    _table_row(table, ["{%tr endfor %}", "", "", "", "", ""])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    _para(doc, "{%p if more_line %}")
    _para(doc, "{{ more_line }}", size=13, italic=True, align=WD_ALIGN_PARAGRAPH.LEFT, before=3)
    _para(doc, "{%p endif %}")
    _body(doc, "{{ closing }}")
    signature_block(doc)
    return doc


def write_templates(folder: Path = TEMPLATES) -> list[Path]:
    """Write both templates into the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, build in (
        ("bao_cao_chien_dich.docx", campaign_template),
        ("bao_cao_don_vi.docx", unit_template),
    ):
        path = folder / name
        build().save(str(path))
        paths.append(path)
    return paths


if __name__ == "__main__":
    for written in write_templates():
        print(written)  # noqa: T201 - a developer script reports what it wrote
