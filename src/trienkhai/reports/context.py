"""Words and figures of a report as the decree prints them; no file format here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.reports.service import CampaignSummary, Laggard, OutputRow
from trienkhai.text import strip_tones

STATE_LABELS = {
    "assigned": "đã giao",
    "acknowledged": "đã tiếp nhận",
    "in_progress": "đang thực hiện",
    "reported": "đã báo cáo",
    "verified": "đã xác minh",
    "cancelled": "đã hủy",
    "overdue": "quá hạn",
}
VERIFICATION_LABELS = {
    "verified": "đã xác minh",
    "unverified": "chưa xác minh",
    "not_found": "không tìm thấy",
    "rejected": "không được chấp nhận",
}
DRAFT_NUMBER = "      "  # a draft carries a blank number: "Số:       /BC-STTTT"
DOTS = "…………………………………………………………………………"
# Rows of a unit's output table that keep its report on one A4 page (measured with
# LibreOffice on two-line titles); older outputs are counted in a line under the table.
UNIT_LIST_LIMIT = 8


@dataclass
class ReportOptions:
    """What the office may set on a report; every field defaults from the directive."""

    number: str | None = None  # None: a draft with a blank number
    issuer: str | None = None
    parent_issuer: str | None = None
    issuer_abbr: str | None = None
    drafting_abbr: str | None = None
    place: str | None = None
    report_date: date | None = None
    kinh_gui: str | None = None
    signer_authority: str | None = None  # full line, e.g. "KT. GIÁM ĐỐC"
    signer_title: str | None = None
    signer_name: str | None = None
    noi_nhan: list[str] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    unit_list_limit: int = UNIT_LIST_LIMIT  # outputs listed in a unit's report, newest kept


def pad_month(month: int) -> str:
    """Months 1 and 2 are written 01 and 02; others as is."""
    return f"{month:02d}" if month <= 2 else str(month)


def decree_date(day: date) -> str:
    """'ngày 05 tháng 3 năm 2020' (days below 10 and months 1–2 zero-padded)."""
    return f"ngày {day.day:02d} tháng {pad_month(day.month)} năm {day.year}"


def short_date(day: date) -> str:
    """'05/3/2020', padded the decree's way."""
    return f"{day.day:02d}/{pad_month(day.month)}/{day.year}"


def place_date(place: str, day: date) -> str:
    """'Kon Tum, ngày 05 tháng 3 năm 2020'."""
    return f"{place}, {decree_date(day)}"


def count(n: int) -> str:
    """A count with Vietnamese thousands dots: 100.000."""
    return f"{n:,}".replace(",", ".")


def _symbol_groups(number_symbol: str | None) -> list[str]:
    """The abbreviation groups of a symbol: '12/STTTT-TTBCXB' gives ['STTTT', 'TTBCXB']."""
    if not number_symbol or "/" not in number_symbol:
        return []
    return [g for g in number_symbol.rsplit("/", 1)[-1].split("-") if g]


def initials(name: str) -> str:
    """Initials of an organisation name without 'và': 'SỞ THÔNG TIN VÀ TRUYỀN THÔNG' → 'STTTT'."""
    words = [w for w in strip_tones(name).upper().replace("Đ", "D").split() if w != "VA"]
    return "".join(w[0] for w in words if w[0].isalnum())


def issuer_abbrs(record: dict[str, Any]) -> tuple[str, str]:
    """(issuer abbreviation, drafting unit abbreviation) read from the directive's symbol."""
    groups = _symbol_groups(record.get("number_symbol"))
    type_abbr = record.get("type_abbr")
    if type_abbr and groups and groups[0] == type_abbr:
        groups = groups[1:]  # typed documents: KH-UBND; công văn: STTTT-TTBCXB
    fallback = initials(record.get("issuer") or "") or "…"
    issuer = groups[0] if groups else fallback
    drafting = groups[1] if len(groups) > 1 else issuer
    return issuer, drafting


def directive_phrase(record: dict[str, Any]) -> str | None:
    """'Công văn số 12/STTTT-TTBCXB ngày 15/7/2024', or None without a directive."""
    if not record:
        return None
    number_symbol = record.get("number_symbol") or "…"
    if number_symbol.startswith("/"):
        number_symbol = "…" + number_symbol  # a directive read without its number: "…/STTTT-X"
    phrase = f"{record.get('doc_type') or 'Văn bản'} số {number_symbol}"
    issued = record.get("issued_date")
    if issued:
        phrase += f" ngày {short_date(date.fromisoformat(str(issued)))}"
    return phrase


def report_subject(record: dict[str, Any], campaign_title: str) -> str:
    """'Kết quả triển khai Công văn số …/… ngày … về …'."""
    phrase = directive_phrase(record)
    if phrase is None:
        return f"Kết quả triển khai {campaign_title}"
    subject = (record.get("subject") or "").strip().rstrip(".")
    return f"Kết quả triển khai {phrase}" + (f" về {subject}" if subject else "")


def noi_nhan_lines(items: list[str], *, kinh_gui: str | None, drafting: str) -> list[str]:
    """Nơi nhận: 'Như trên' when there is a Kính gửi, the items with ';', then 'Lưu: VT, X.'."""
    lines = (["Như trên"] if kinh_gui else []) + [i.strip().rstrip(";.") for i in items]
    return [f"{line};" for line in lines if line] + [f"Lưu: VT, {drafting}."]


def signer_lines(record: dict[str, Any], options: ReportOptions) -> dict[str, str]:
    """Authority line ('KT. GIÁM ĐỐC'), title and name; the directive's signer by default."""
    authority = options.signer_authority
    if authority is None:
        prefix = record.get("signer_authority") or ""
        behalf = record.get("signer_on_behalf") or ""
        authority = f"{prefix} {behalf}".strip() if prefix else ""
    return {
        "signer_authority": authority.upper(),
        "signer_title": (options.signer_title or record.get("signer_title") or "").upper(),
        "signer_name": options.signer_name or record.get("signer_name") or "",
    }


def header_fields(
    record: dict[str, Any], options: ReportOptions, *, today: date, subject: str
) -> dict[str, Any]:
    """Header, title and signer fields shared by every report."""
    issuer_abbr, drafting = issuer_abbrs(record)
    issuer_abbr = options.issuer_abbr or issuer_abbr
    drafting = options.drafting_abbr or drafting
    place = options.place or record.get("place") or "…"
    return {
        "parent_issuer": (options.parent_issuer or record.get("parent_issuer") or "").upper(),
        "issuer": (options.issuer or record.get("issuer") or "").upper(),
        "number": options.number if options.number else DRAFT_NUMBER,
        "symbol": f"BC-{issuer_abbr}",
        "place_date": place_date(place, options.report_date or today),
        "doc_type": "BÁO CÁO",
        "subject": subject,
        "kinh_gui": options.kinh_gui or "",
        "noi_nhan": noi_nhan_lines(options.noi_nhan, kinh_gui=options.kinh_gui, drafting=drafting),
        **signer_lines(record, options),
    }


def _ordered(counts: dict[str, int], labels: dict[str, str]) -> list[tuple[str, int]]:
    """Counts in the order of the label table, unknown keys last."""
    order = {k: i for i, k in enumerate(labels)}
    return sorted(counts.items(), key=lambda kv: (order.get(kv[0], len(order)), kv[0]))


def general_lines(summary: CampaignSummary) -> list[str]:
    """Overall figures: units, outputs, verification, assignment states."""
    assigned = sum(1 for u in summary.units if u.assignment_id is not None)
    reported = sum(summary.states.get(s, 0) for s in ("reported", "verified"))
    verif = "; ".join(
        f"{VERIFICATION_LABELS.get(k, k)}: {count(v)}"
        for k, v in _ordered(summary.by_verification, VERIFICATION_LABELS)
    )
    states = "; ".join(
        f"{STATE_LABELS.get(k, k)}: {count(v)}" for k, v in _ordered(summary.states, STATE_LABELS)
    )
    return [
        f"Số đơn vị được giao nhiệm vụ: {count(assigned)}; số đơn vị đã có tin, bài, sản phẩm: "
        f"{count(summary.units_with_outputs)}; số đơn vị đã báo cáo: {count(reported)}.",
        f"Tổng số tin, bài, sản phẩm đã đăng, phát: {count(summary.total)}"
        + (f" ({verif})." if verif else "."),
        f"Tình hình thực hiện nhiệm vụ của các đơn vị: {states or 'chưa có'}.",
    ]


def theme_lines(summary: CampaignSummary) -> list[str]:
    """One line per theme with its count."""
    return [
        f"- Nội dung {t.code} ({t.title}): {count(summary.by_theme.get(t.code, 0))} tin, bài."
        for t in summary.themes
    ]


def group_lines(summary: CampaignSummary) -> list[str]:
    """One line per group of units."""
    if not summary.by_group:
        return ["Các đơn vị chưa được xếp nhóm."]
    return [
        f"- {name} ({count(units)} đơn vị): {count(n)} tin, bài."
        for name, units, n in summary.by_group
    ]


def channel_lines(summary: CampaignSummary) -> list[str]:
    """One line per channel."""
    return [
        f"- {channel_label(c)[:1].upper()}{channel_label(c)[1:]}: {count(n)} tin, bài."
        for c, n in summary.by_channel.items()
    ] or ["Chưa có tin, bài được ghi nhận."]


def laggard_line(lag: Laggard) -> str:
    """'- Đơn vị X: quá hạn 4 ngày (hạn 16/8/2024); chưa có tin, bài về nội dung T1, T2.'."""
    parts = []
    if lag.overdue_days is not None and lag.deadline is not None:
        parts.append(f"quá hạn {lag.overdue_days} ngày (hạn {short_date(lag.deadline)})")
    if lag.missing_themes:
        parts.append(f"chưa có tin, bài về nội dung {', '.join(lag.missing_themes)}")
    return f"- {lag.name}: {'; '.join(parts)}."


def laggard_lines(summary: CampaignSummary) -> list[str]:
    """Units behind schedule, or a sentence saying there are none."""
    return [laggard_line(lag) for lag in summary.laggards] or ["Không có đơn vị chậm tiến độ."]


def output_cells(row: OutputRow, index: int) -> dict[str, Any]:
    """An output as one table row of text."""
    return {
        "index": index,
        "title": row.title,
        "url": row.url,
        "unit": row.unit_name,
        "themes": ", ".join(row.themes),
        "channel": channel_label(row.channel),
        "form": form_label(row.form),
        "date": short_date(row.day),
        "verification": VERIFICATION_LABELS.get(row.verification, row.verification),
    }


def unit_table(summary: CampaignSummary) -> dict[str, Any]:
    """Rows of the unit × theme table with its totals (computed, never typed)."""
    codes = [t.code for t in summary.themes]
    rows = [
        {
            "index": i,
            "name": u.name,
            "counts": [u.by_theme.get(c, 0) for c in codes],
            "total": u.total,
            "verified": u.verified,
        }
        for i, u in enumerate(summary.units, 1)
    ]
    return {
        "theme_codes": codes,
        "unit_rows": rows,
        "theme_totals": [summary.by_theme.get(c, 0) for c in codes],
        "total": summary.total,
        "verified": summary.verified,
        "table_note": "Một tin, bài có thể thuộc nhiều nội dung nên cột Tổng số có thể nhỏ hơn "
        "tổng các cột nội dung (chi tiết tại Phụ lục kèm theo).",
    }


def campaign_body(
    summary: CampaignSummary, phrase: str | None, options: ReportOptions
) -> dict[str, Any]:
    """Body paragraphs of the campaign report."""
    period = ""
    if summary.period_start:
        end = summary.period_end or summary.today
        period = f" từ ngày {short_date(summary.period_start)} đến ngày {short_date(end)}"
    what = phrase or summary.title
    subject = (summary.directive.get("subject") or "").strip().rstrip(".")
    opening = (
        f"Thực hiện {what}"
        + (f" về {subject}" if phrase and subject else "")
        + f", trong thời gian{period or ' qua'}, các cơ quan, đơn vị đã triển khai thông tin, "
        "tuyên truyền; kết quả cụ thể như sau:"
    )
    return {
        "opening": opening,
        "general_lines": general_lines(summary),
        "theme_lines": theme_lines(summary),
        "group_lines": group_lines(summary),
        "channel_lines": channel_lines(summary),
        "laggard_lines": laggard_lines(summary),
        "proposals": options.proposals or [DOTS],
        "closing": f"Trên đây là báo cáo kết quả triển khai {what}./.",
        **unit_table(summary),
    }
