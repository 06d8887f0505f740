"""A campaign's report settings (number, Nơi nhận) kept by the desk, and the options they make."""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Campaign
from trienkhai.errors import InvalidError, NotFoundError
from trienkhai.reports import context
from trienkhai.reports.context import ReportOptions
from trienkhai.reports.models import ReportSettings
from trienkhai.reports.service import directive_record
from trienkhai.text import nfc

NUMBER = re.compile(r"\d{1,6}")
MAX_LINES, MAX_LINE = 30, 300


def get_settings_row(*, session: Session, campaign_id: int) -> ReportSettings | None:
    """The campaign's stored report settings, or None."""
    return session.scalar(select(ReportSettings).where(ReportSettings.campaign_id == campaign_id))


def clean_number(value: str) -> str:
    """A report number as the decree writes it ('5' → '05'); blank for a draft."""
    value = nfc(value).strip()
    if not value:
        return ""
    if not NUMBER.fullmatch(value):
        raise InvalidError(f"Số báo cáo: '{value}' không hợp lệ; chỉ nhập chữ số, ví dụ 15.")
    return f"{int(value):02d}"


def clean_lines(text: str) -> list[str]:
    """Nơi nhận lines, one a line, without the '- ' bullet and the ';' the report adds."""
    lines = [ln.strip().lstrip("-").strip().rstrip(";.").strip() for ln in nfc(text).splitlines()]
    lines = [ln for ln in lines if ln]
    if len(lines) > MAX_LINES:
        raise InvalidError(f"Nơi nhận: nhiều nhất {MAX_LINES} dòng (có {len(lines)}).")
    for i, line in enumerate(lines, 1):
        if len(line) > MAX_LINE:
            raise InvalidError(f"Nơi nhận, dòng {i}: dài quá {MAX_LINE} ký tự.")
    return lines


def save_settings(
    *, session: Session, campaign_id: int, number: str, noi_nhan: str
) -> ReportSettings:
    """Store the campaign's report number and Nơi nhận (blank Nơi nhận: back to the default)."""
    if session.get(Campaign, campaign_id) is None:
        raise NotFoundError(f"Không có chiến dịch số {campaign_id}.")
    clean = clean_number(number)
    lines = clean_lines(noi_nhan)
    row = get_settings_row(session=session, campaign_id=campaign_id)
    if row is None:
        row = ReportSettings(campaign_id=campaign_id)
        session.add(row)
    row.number, row.noi_nhan = clean, "\n".join(lines)
    session.flush()
    return row


def noi_nhan_of(*, session: Session, campaign_id: int) -> list[str]:
    """The Nơi nhận lines the report will print: stored ones, else the directive's chain."""
    row = get_settings_row(session=session, campaign_id=campaign_id)
    if row is not None and row.noi_nhan.strip():
        return row.noi_nhan.splitlines()
    campaign = session.get(Campaign, campaign_id)
    record = directive_record(session=session, campaign=campaign) if campaign else {}
    return context.default_noi_nhan(record)


def effective_options(
    *, session: Session, campaign_id: int, options: ReportOptions | None
) -> ReportOptions:
    """The given options completed with the stored number and Nơi nhận (given values win)."""
    options = options or ReportOptions()
    row = get_settings_row(session=session, campaign_id=campaign_id)
    number = options.number or (row.number if row is not None and row.number else None)
    noi_nhan = options.noi_nhan or noi_nhan_of(session=session, campaign_id=campaign_id)
    return replace(options, number=number, noi_nhan=list(noi_nhan))
