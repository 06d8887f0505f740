"""Words and figures of a report as the decree prints them; no file format here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from trienkhai.outputs.channels import channel_label, form_label
from trienkhai.reports.service import (
    AT_RISK,
    CampaignSummary,
    Laggard,
    OutputRow,
    report_period_end,
)
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
    "moved": "đã chuyển địa chỉ",
    "removed": "đã gỡ sau khi xác minh",
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
    cleaned = [i.strip().lstrip("-").strip().rstrip(";.").strip() for i in items]
    kept = [line for line in cleaned if line and not line.startswith("Lưu")]
    if kinh_gui and "Như trên" not in kept:
        kept.insert(0, "Như trên")
    archive = next((line for line in cleaned if line.startswith("Lưu")), f"Lưu: VT, {drafting}")
    return [f"{line};" for line in kept] + [f"{archive}."]


# Leaders of an issuer by the first word(s) of its name: (name start, leaders' line).
LEADERS = (
    ("ỦY BAN NHÂN DÂN", "Chủ tịch, các PCT UBND {level}"),
    ("UBND", "Chủ tịch, các PCT UBND {level}"),
    ("VĂN PHÒNG", "Chánh Văn phòng, các Phó Chánh Văn phòng"),
    ("SỞ", "Giám đốc, các PGĐ Sở"),
    ("BỘ", "Bộ trưởng, các Thứ trưởng"),
    ("CỤC", "Cục trưởng, các Phó Cục trưởng"),
    ("BAN", "Trưởng ban, các Phó Trưởng ban"),
    ("PHÒNG", "Trưởng phòng, các Phó Trưởng phòng"),
    ("TRUNG TÂM", "Giám đốc, các PGĐ Trung tâm"),
    ("ĐÀI", "Giám đốc, các PGĐ Đài"),
    ("BÁO", "Tổng Biên tập, các Phó Tổng Biên tập"),
)
LEVELS = ("TỈNH", "THÀNH PHỐ", "HUYỆN", "THỊ XÃ", "QUẬN", "XÃ", "PHƯỜNG", "THỊ TRẤN")


def _level(name: str) -> str:
    """'tỉnh' of 'UBND TỈNH KON TUM' (the level word of a people's committee), or ''."""
    rest = name.upper().removeprefix("ỦY BAN NHÂN DÂN").removeprefix("UBND").strip()
    return next((lv.lower() for lv in LEVELS if rest.startswith(lv)), "")


def body_short_name(name: str) -> str:
    """How a Nơi nhận line names a body: 'UBND tỉnh' for 'ỦY BAN NHÂN DÂN TỈNH KON TUM'."""
    upper = " ".join(name.split()).upper()
    if upper.startswith(("ỦY BAN NHÂN DÂN", "UỶ BAN NHÂN DÂN", "UBND")):
        level = _level(upper.replace("UỶ", "ỦY"))
        return f"UBND {level}".strip()
    words = upper.replace("UỶ", "ỦY").split()
    if len(words) >= 2 and words[1] == "ỦY":  # a party committee: "TỈNH ỦY KON TUM" → "Tỉnh ủy"
        return f"{words[0].capitalize()} ủy"
    text = " ".join(name.split())
    return text[:1].upper() + text[1:].lower() if text.isupper() else text


def leaders_line(issuer: str) -> str | None:
    """'Giám đốc, các PGĐ Sở' for a Sở, by the kind of body; None for a kind we do not know."""
    upper = " ".join(issuer.split()).upper().replace("UỶ", "ỦY")
    for start, line in LEADERS:
        if upper == start or upper.startswith(start + " "):
            return line.format(level=_level(upper)).strip()
    return None


def default_noi_nhan(record: dict[str, Any]) -> list[str]:
    """The issuer's chain: its superior (để báo cáo), its leaders, then 'Lưu: VT, <drafting>'."""
    lines = []
    parent = (record.get("parent_issuer") or "").strip()
    if parent:
        lines.append(f"{body_short_name(parent)} (để báo cáo)")
    leaders = leaders_line(record.get("issuer") or "")
    if leaders:
        lines.append(leaders)
    return [*lines, f"Lưu: VT, {issuer_abbrs(record)[1]}"]


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


def first_sentence(text: str) -> str:
    """The text's first whole sentence (all of it when it is one), never cut mid-phrase."""
    text = " ".join(text.split())
    for i, char in enumerate(text[:-1]):
        if char not in ".!?" or text[i + 1] != " " or i + 2 >= len(text):
            continue
        word = text[:i].rsplit(" ", 1)[-1]
        # "TP." or "30/7." is no sentence end; a sentence ends before a capital letter.
        if len(word) >= 3 and not any(c.isdigit() for c in word) and text[i + 2].isupper():
            return text[:i]
    return text.rstrip(".")


# How the report says where a theme's count comes from (see docs/themes.md).
CONFIRMED = "đã xác nhận"
SUGGESTED = "do máy gợi ý trên ngưỡng"


def theme_phrase(text: str, title: str) -> str:
    """What the report says of a theme: its text's first sentence, the title when it has none."""
    return first_sentence(text) if text.strip() else title.rstrip("…").strip()


def theme_lines(summary: CampaignSummary) -> list[str]:
    """One line per theme with its count, and which part of it only the matcher gave."""
    return [
        f"- Nội dung {t.code} ({theme_phrase(t.text, t.title)}): "
        f"{count(summary.by_theme.get(t.code, 0))} tin, bài{theme_sources(summary, t.code)}."
        for t in summary.themes
    ]


def theme_sources(summary: CampaignSummary, code: str) -> str:
    """' (12 đã xác nhận, 3 do máy gợi ý trên ngưỡng)', or nothing when all were confirmed."""
    suggested = summary.by_theme_suggested.get(code, 0)
    if not suggested:
        return ""
    confirmed = summary.by_theme_confirmed.get(code, 0)
    return f" ({count(confirmed)} {CONFIRMED}, {count(suggested)} {SUGGESTED})"


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


def laggard_reason(lag: Laggard) -> str:
    """Why a unit is listed, in words: 'quá hạn 4 ngày (hạn 16/8/2024), chưa báo cáo; …'."""
    deadline = short_date(lag.deadline) if lag.deadline else "…"
    if lag.kind == AT_RISK:
        when = "đến hạn hôm nay" if lag.days_left == 0 else f"còn {lag.days_left} ngày đến hạn"
        return f"{when} ({deadline}), chưa ghi nhận tin, bài nào"
    parts = [f"quá hạn {lag.overdue_days} ngày (hạn {deadline}), chưa báo cáo"]
    if not lag.outputs:
        parts.append("chưa có tin, bài nào")
    elif lag.missing_themes:
        parts.append(f"chưa có tin, bài về nội dung {', '.join(lag.missing_themes)}")
    return "; ".join(parts)


def laggard_line(lag: Laggard) -> str:
    """'- Đơn vị X: quá hạn 4 ngày (hạn 16/8/2024), chưa báo cáo; chưa có tin, bài về T1.'."""
    return f"- {lag.name}: {laggard_reason(lag)}."


def laggard_lines(summary: CampaignSummary) -> list[str]:
    """Late units (past due, not reported), or a sentence saying there are none."""
    return [laggard_line(lag) for lag in summary.laggards] or ["Không có đơn vị chậm tiến độ."]


def row_themes(row: OutputRow) -> str:
    """The output's confirmed themes, or the matcher's marked as such ("T3 (máy gợi ý)")."""
    if row.themes or not row.suggested:
        return ", ".join(row.themes)
    return ", ".join(row.suggested) + " (máy gợi ý)"


def output_cells(row: OutputRow, index: int) -> dict[str, Any]:
    """An output as one table row of text."""
    return {
        "index": index,
        "title": row.title,
        "url": row.url,
        "unit": row.unit_name,
        "themes": row_themes(row),
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
        report_day = options.report_date or summary.today
        end = report_period_end(campaign_end=summary.campaign_end, today=report_day)
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
