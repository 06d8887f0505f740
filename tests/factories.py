"""Row factories for tests: each feature keeps its own group of functions below."""

from __future__ import annotations

import hashlib
import itertools
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign, Theme
from trienkhai.documents.models import Directive
from trienkhai.outputs.models import Output
from trienkhai.units.models import Unit, UnitGroup
from trienkhai.users.models import User

_seq = itertools.count(1)


# --- reports (owned by the reports engineer) ---------------------------------------------------


def make_directive(session: Session, **record: Any) -> Directive:
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
    n = next(_seq)
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


def make_unit(session: Session, *, code: str | None = None, **fields: Any) -> Unit:
    """A unit with a unique code and an e-mail address."""
    n = next(_seq)
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


def make_group(session: Session, *, code: str, name: str, units: list[Unit]) -> UnitGroup:
    """A named group holding the given units."""
    group = UnitGroup(code=code, name=name, aliases=[])
    group.units = list(units)
    session.add(group)
    session.flush()
    return group


def make_campaign(
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
        campaign.themes.append(Theme(code=f"T{i + 1}", position=i, title=title, keywords=[]))
    session.add(campaign)
    session.flush()
    return campaign


def make_assignment(
    session: Session, *, campaign: Campaign, unit: Unit, **fields: Any
) -> Assignment:
    """An assignment of a unit in a campaign."""
    assignment = Assignment(campaign_id=campaign.id, unit_id=unit.id, **fields)
    session.add(assignment)
    session.flush()
    return assignment


def make_output(
    session: Session,
    *,
    campaign: Campaign,
    unit: Unit,
    themes: list[Theme] | None = None,
    published_at: datetime | None = None,
    **fields: Any,
) -> Output:
    """An output of a unit in a campaign, tagged with the given themes."""
    n = next(_seq)
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


def make_user(session: Session, *, role: str, **fields: Any) -> User:
    """A user with a role (password hash is a placeholder: these users never sign in)."""
    n = next(_seq)
    values: dict[str, Any] = {"username": f"user{n}", "password_hash": "x", "full_name": f"U {n}"}
    values.update(fields)
    user = User(role=role, **values)
    session.add(user)
    session.flush()
    return user


def realistic_campaign(session: Session, *, today: date | None = None) -> Campaign:
    """A campaign with 12 units in 3 groups, themes T1–T4, ~300 outputs and overdue assignments."""
    today = today or date(2024, 8, 20)
    directive = make_directive(session)
    campaign = make_campaign(
        session, directive=directive, period_start=date(2024, 7, 15), period_end=date(2024, 9, 30)
    )
    kinds = ["press"] * 3 + ["department"] * 5 + ["district"] * 4
    units = [
        make_unit(session, code=f"RP{i:02d}", name=f"Đơn vị số {i}", kind=k)
        for i, k in enumerate(kinds, 1)
    ]
    make_group(session, code="BAOCHI", name="Các cơ quan báo chí tỉnh", units=units[:3])
    make_group(session, code="SONGANH", name="Các sở, ban, ngành", units=units[3:8])
    make_group(session, code="HUYEN", name="UBND các huyện, thành phố", units=units[8:])
    states = ["reported", "verified", "in_progress", "assigned", "cancelled", "acknowledged"]
    for i, unit in enumerate(units):
        deadline = today + timedelta(days=(i % 5) * 4 - 8)  # some past, some ahead
        make_assignment(
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
        make_output(
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
