"""Files the web tests upload: the sample directive as .docx, outputs as .xlsx."""

from __future__ import annotations

import io
import re
from pathlib import Path

import docx
import openpyxl

from tests.corpus import SAMPLE
from tests.web.conftest import Desk

HEADER = ["Tiêu đề", "Đường dẫn", "Kênh", "Hình thức", "Ngày đăng", "Nội dung"]
SITE = "https://baokontum.com.vn"
GOOD_ROWS = [
    ["Bảo đảm quyền con người", f"{SITE}/a1", "báo điện tử", "bài", "10/07/2024", "T1"],
    [
        "Phản bác báo cáo nhân quyền sai lệch",
        f"{SITE}/a2",
        "báo điện tử",
        "bài",
        "11/07/2024",
        "T2",
    ],
    ["Phòng chống mua bán người ở Kon Tum", "", "báo in", "tin", "15/07/2024", "T3"],
]
BAD_ROW = ["Quyền của người lao động", "", "báo in", "tin", "32/07/2024", "T4"]
FIXED_ROW = ["Quyền của người lao động", "", "báo in", "tin", "22/07/2024", "T4"]


def sample_docx(path: Path) -> Path:
    """The sample directive as a Word file, one paragraph per line."""
    document = docx.Document()
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        document.add_paragraph(line.replace("**", ""))
    document.save(str(path))
    return path


def outputs_xlsx(rows: list[list[str]]) -> bytes:
    """An import file with the template's header."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def review_form(html: str) -> dict[str, str]:
    """The review page's fields as a form would post them."""
    form: dict[str, str] = {}
    for name, value in re.findall(r'<input[^>]*name="([^"]+)" value="([^"]*)"', html):
        form.setdefault(name, value)
    for name, value in re.findall(
        r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S
    ):
        form.setdefault(name, value)
    form.pop("csrf", None)
    return form


def open_campaign(desk: Desk, subject: str = "") -> int:
    """As the signed-in coordinator: upload the sample text, review, open the campaign."""
    page = desk.get("/directives/new")
    assert page.status_code == 200
    sample = SAMPLE.read_bytes()
    review = desk.post("/directives", files={"file": ("cong-van.txt", sample, "text/plain")})
    assert review.status_code == 200, review.text
    # The sample may have opened a campaign already (a shared database): open an explicit copy.
    action = "copy" if 'id="copy-campaign"' in review.text else "create"
    form = review_form(review.text) | {"action": action}
    if subject:
        form["subject"] = form["campaign_title"] = subject
    board = desk.post(str(review.url.path), form)
    assert board.status_code == 200, board.text
    return int(str(board.url).rstrip("/").rsplit("/", 1)[-1])
