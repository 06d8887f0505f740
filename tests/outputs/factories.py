"""Factories of the outputs area: units with websites, campaigns with themes T1..Tn.

Rows are built directly so these tests do not wait on the units and campaigns services.
"""

from __future__ import annotations

import functools
import io
import itertools
import uuid
import zipfile
from collections.abc import Sequence

from openpyxl import Workbook
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign, Theme
from trienkhai.units.models import Unit

_SEQ = itertools.count(1)


def make_unit(session: Session, *, websites: list[str] | None = None, name: str = "") -> Unit:
    """A unit with a unique code and the given websites."""
    code = f"ou-{next(_SEQ)}-{uuid.uuid4().hex[:6]}"
    unit = Unit(code=code, name=name or f"Đơn vị {code}", websites=websites or [])
    session.add(unit)
    session.flush()
    return unit


def make_campaign(session: Session, *, themes: int = 4, units: Sequence[Unit] = ()) -> Campaign:
    """A campaign with themes T1..Tn, assigning the given units (editors log only for those)."""
    campaign = Campaign(title=f"Chiến dịch {next(_SEQ)}")
    for i in range(themes):
        campaign.themes.append(Theme(code=f"T{i + 1}", position=i, title=f"Nội dung {i + 1}"))
    for unit in units:
        campaign.assignments.append(Assignment(unit_id=unit.id))
    session.add(campaign)
    session.flush()
    return campaign


@functools.cache
def zip_bomb_xlsx() -> bytes:
    """A real workbook whose sheet XML is padded to ~160 MB of blanks (a ~160 kB upload)."""
    book = Workbook()
    book.active.append(["Tiêu đề", "Kênh", "Ngày đăng"])
    book.active.append(["Bài bom", "báo in", "20/07/2024"])
    plain = io.BytesIO()
    book.save(plain)
    bomb = io.BytesIO()
    with (
        zipfile.ZipFile(plain) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, tail = data.split(b"</sheetData>", 1)
                with target.open(info.filename, "w") as fh:
                    fh.write(head)
                    for _ in range(160):
                        fh.write(b" " * (1024 * 1024))
                    fh.write(b"</sheetData>" + tail)
            else:
                target.writestr(info, data)
    return bomb.getvalue()
