"""Factories for test rows; each feature keeps its functions grouped under its own heading."""

from __future__ import annotations

import hashlib
import itertools
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign
from trienkhai.campaigns.models import Theme as CampaignTheme
from trienkhai.documents.models import Directive
from trienkhai.documents.schemas import Assignment as RecordAssignment
from trienkhai.documents.schemas import DocumentRecord, Theme
from trienkhai.outputs.models import Output
from trienkhai.units import service as units
from trienkhai.units.models import Unit, UnitGroup
from trienkhai.units.schemas import UnitCreate
from trienkhai.users.models import Role, User
from trienkhai.users.service import create_user

_SEQ = itertools.count(1)


def unique(prefix: str) -> str:
    """A code or username no other test (or earlier run on a committed database) uses."""
    return f"{prefix}-{next(_SEQ)}-{uuid.uuid4().hex[:6]}"


# --- users -------------------------------------------------------------------------------


def make_user(
    session: Session, role: Role = Role.coordinator, *, unit_id: int | None = None
) -> User:
    """A user with a unique username and the password 'secret-pass'."""
    return create_user(
        session=session,
        username=unique(role.value),
        password="secret-pass",
        role=role,
        unit_id=unit_id,
    )


# --- units -------------------------------------------------------------------------------


def make_unit(session: Session, name: str | None = None, *, kind: str = "department") -> Unit:
    """A unit with a unique code (and a unique name unless given)."""
    code = unique("u")
    data = UnitCreate(code=code, name=name or f"Đơn vị thử {code}", kind=kind)  # type: ignore[arg-type]
    return units.create_unit(session=session, data=data, actor=None)


# --- campaigns ---------------------------------------------------------------------------

SAMPLE_RECIPIENTS = [
    "Các Sở, ban, ngành thuộc tỉnh",
    "Ủy ban nhân dân các huyện, thành phố",
    "Các cơ quan báo chí tỉnh",
    "Các cơ quan báo chí thường trú tại địa phương",
    "Công thông tin điện tử tỉnh",
]
SAMPLE_SECTION_II = [
    "Các cơ quan báo chí Trung ương và địa phương",
    "Cổng thông tin điện tử tỉnh và các sở, ban, ngành",
    "UBND các huyện, thành phố",
]


def sample_record(**changes: object) -> DocumentRecord:
    """A hand-built record mirroring the sample công văn (independent of the parser's progress)."""
    record = DocumentRecord(
        source="cong-van-stttt-nhan-quyen.txt",
        doc_type="Công văn",
        symbol="STTTT-TTBCXB",
        number_symbol="/STTTT-TTBCXB",
        issuer="SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        parent_issuer="UBND TỈNH KON TUM",
        subject="đẩy mạnh tuyên truyền, đấu tranh phản bác về Nhân quyền trên địa bàn tỉnh",
        recipients=list(SAMPLE_RECIPIENTS),
        themes=[
            Theme(code="T1", text="Thông tin về kết quả Phiên bảo vệ báo cáo UPR của Việt Nam"),
            Theme(code="T2", text="Phản bác về các nội dung thiếu khách quan trong Báo cáo"),
            Theme(
                code="T3",
                text="Tăng cường công tác thông tin tuyên truyền phòng chống mua bán người",
            ),
            Theme(code="T4", text="Tuyên truyền về việc bảo đảm quyền của người lao động, EVFTA"),
        ],
        assignments=[
            RecordAssignment(
                label="1",
                group=SAMPLE_SECTION_II[0],
                task="Đẩy mạnh phổ biến, tuyên truyền các nội dung trên",
                channels=["báo in", "báo điện tử", "fanpage"],
                forms=["tin", "bài", "phóng sự"],
                children=[
                    RecordAssignment(
                        label="-",
                        group="Đài Phát thanh – Truyền hình tỉnh",
                        task="Tổ chức phát lại nội dung thông tin đối ngoại",
                        channels=["phát thanh", "truyền hình"],
                    )
                ],
            ),
            RecordAssignment(
                label="2",
                group=SAMPLE_SECTION_II[1],
                task="Tích cực triển khai thông tin tuyên truyền trên cổng TTĐT, trang TTĐT",
                channels=["cổng/trang thông tin điện tử"],
            ),
            RecordAssignment(
                label="3",
                group=SAMPLE_SECTION_II[2],
                task="Chỉ đạo tuyên truyền trên các đài truyền thanh, bảng tin điện tử công cộng",
                channels=["đài truyền thanh cơ sở", "bảng tin điện tử công cộng"],
            ),
        ],
        attachments=["Một số thông tin trao đổi với các cơ quan báo chí về Phiên đối thoại UPR"],
        references=["Trang thông tin điện tử www.nhanquyenvn.org"],
    )
    return record.model_copy(update=changes)


# --- reports -----------------------------------------------------------------------------

_REPORT_SEQ = itertools.count(1)


def report_directive(session: Session, **record: Any) -> Directive:
    """A stored directive whose record looks like the sample công văn of Sở TT&TT Kon Tum."""
    rec: dict[str, Any] = {
        "doc_type": "Công văn",
        "type_abbr": None,
        "number": "12",
        "symbol": "STTTT-TTBCXB",
        "number_symbol": "12/STTTT-TTBCXB",
        "issued_date": "2024-07-15",
        "place": "Kon Tum",
        "issuer": "SỞ THÔNG TIN VÀ TRUYỀN THÔNG",
        "parent_issuer": "UBND TỈNH KON TUM",
        "subject": "đẩy mạnh tuyên truyền, đấu tranh phản bác về Nhân quyền trên địa bàn tỉnh",
        "signer_name": "Nguyễn Văn A",
        "signer_title": "PHÓ GIÁM ĐỐC",
        "signer_authority": "KT.",
        "signer_on_behalf": "GIÁM ĐỐC",
    }
    rec.update(record)
    n = next(_REPORT_SEQ)
    directive = Directive(
        filename=f"cv-{n}.txt",
        sha256=hashlib.sha256(str(n).encode()).hexdigest(),
        content=b"",
        record=rec,
        doc_type=rec["doc_type"],
        number_symbol=rec["number_symbol"],
        issuer=rec["issuer"],
        subject=rec["subject"],
        issued_date=date.fromisoformat(rec["issued_date"]) if rec["issued_date"] else None,
    )
    session.add(directive)
    session.flush()
    return directive


def report_unit(session: Session, *, code: str | None = None, **fields: Any) -> Unit:
    """A unit with a unique code and an e-mail address."""
    n = next(_REPORT_SEQ)
    code = code or f"U{n:04d}"
    values: dict[str, Any] = {
        "name": f"Đơn vị {code}",
        "short_name": code,
        "email": f"{code.lower()}@example.org",
    }
    values.update(fields)
    unit = Unit(code=code, **values)
    session.add(unit)
    session.flush()
    return unit


def report_group(session: Session, *, code: str, name: str, units: list[Unit]) -> UnitGroup:
    """A named group holding the given units."""
    group = UnitGroup(code=code, name=name, aliases=[])
    group.units = list(units)
    session.add(group)
    session.flush()
    return group


def report_campaign(
    session: Session, *, directive: Directive | None = None, themes: int = 4, **fields: Any
) -> Campaign:
    """A campaign with themes T1..Tn."""
    campaign = Campaign(
        title=fields.pop("title", "Tuyên truyền về Nhân quyền năm 2024"),
        directive_id=directive.id if directive else None,
        **fields,
    )
    titles = [
        "Kết quả Phiên bảo vệ báo cáo UPR của Việt Nam",
        "Phản bác các nội dung thiếu khách quan về nhân quyền",
        "Phòng, chống mua bán người",
        "Bảo đảm quyền của người lao động",
    ]
    for i in range(themes):
        title = titles[i] if i < len(titles) else f"Nội dung {i + 1}"
        theme = CampaignTheme(code=f"T{i + 1}", position=i, title=title, keywords=[])
        campaign.themes.append(theme)
    session.add(campaign)
    session.flush()
    return campaign


def report_assignment(
    session: Session, *, campaign: Campaign, unit: Unit, **fields: Any
) -> Assignment:
    """An assignment of a unit in a campaign."""
    assignment = Assignment(campaign_id=campaign.id, unit_id=unit.id, **fields)
    session.add(assignment)
    session.flush()
    return assignment


def report_output(
    session: Session,
    *,
    campaign: Campaign,
    unit: Unit,
    themes: list[CampaignTheme] | None = None,
    published_at: datetime | None = None,
    **fields: Any,
) -> Output:
    """An output of a unit in a campaign, tagged with the given themes."""
    n = next(_REPORT_SEQ)
    values: dict[str, Any] = {
        "title": f"Tin bài số {n}",
        "url": f"https://example.org/bai-{n}",
        "channel": "bao_dien_tu",
        "form": "tin",
        "dedup_key": hashlib.sha256(f"out-{n}".encode()).hexdigest(),
    }
    values.update(fields)
    output = Output(
        campaign_id=campaign.id,
        unit_id=unit.id,
        published_at=published_at or datetime(2024, 7, 20, 3, 0, tzinfo=UTC),
        **values,
    )
    output.themes = list(themes or [])
    session.add(output)
    return output


def report_user(session: Session, *, role: str, **fields: Any) -> User:
    """A user with a role (password hash is a placeholder: these users never sign in)."""
    n = next(_REPORT_SEQ)
    values: dict[str, Any] = {"username": f"user{n}", "password_hash": "x", "full_name": f"U {n}"}
    values.update(fields)
    user = User(role=role, **values)
    session.add(user)
    session.flush()
    return user


def realistic_campaign(session: Session, *, today: date | None = None) -> Campaign:
    """A campaign with 12 units in 3 groups, themes T1–T4, ~300 outputs and overdue assignments."""
    today = today or date(2024, 8, 20)
    directive = report_directive(session)
    campaign = report_campaign(
        session, directive=directive, period_start=date(2024, 7, 15), period_end=date(2024, 9, 30)
    )
    kinds = ["press"] * 3 + ["department"] * 5 + ["district"] * 4
    units = [
        report_unit(session, code=f"RP{i:02d}", name=f"Đơn vị số {i}", kind=k)
        for i, k in enumerate(kinds, 1)
    ]
    report_group(session, code="BAOCHI", name="Các cơ quan báo chí tỉnh", units=units[:3])
    report_group(session, code="SONGANH", name="Các sở, ban, ngành", units=units[3:8])
    report_group(session, code="HUYEN", name="UBND các huyện, thành phố", units=units[8:])
    states = ["reported", "verified", "in_progress", "assigned", "cancelled", "acknowledged"]
    for i, unit in enumerate(units):
        deadline = today + timedelta(days=(i % 5) * 4 - 8)  # some past, some ahead
        report_assignment(
            session, campaign=campaign, unit=unit, state=states[i % len(states)], deadline=deadline
        )
    channels = ["bao_dien_tu", "phat_thanh", "truyen_hinh", "cong_ttdt", "facebook"]
    verifications = ["verified", "unverified", "verified", "not_found"]
    themes = campaign.themes
    start = datetime(2024, 7, 16, 2, 0, tzinfo=UTC)
    for k in range(310):
        unit = units[k % 11]  # the last unit never publishes: a laggard
        picked = [themes[k % 4]] + ([themes[(k + 1) % 3]] if k % 7 == 0 else [])
        picked = list({t.code: t for t in picked}.values())
        report_output(
            session,
            campaign=campaign,
            unit=unit,
            themes=picked if k % 13 else [],
            channel=channels[(k // 3) % len(channels)],
            form=["tin", "bai", "phong_su"][k % 3],
            verification=verifications[k % 4],
            published_at=start + timedelta(hours=k * 5),
            title=f"Bài viết {k} về quyền con người",
        )
    session.flush()
    return campaign
