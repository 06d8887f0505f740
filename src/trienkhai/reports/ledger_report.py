"""The reconciliation ledger as the report prints it: columns, rows and summary lines."""

from __future__ import annotations

from typing import Any

from trienkhai.outputs.ledger import CampaignLedger, Ledger, LedgerRow
from trienkhai.reports.context import count

# The report's columns after STT and the unit's name, in the order of the ledger's categories.
COLUMNS: tuple[tuple[Ledger, str], ...] = (
    (Ledger.verified, "Báo cáo, đã xác minh"),
    (Ledger.moved, "Báo cáo, đã chuyển địa chỉ"),
    (Ledger.not_found, "Báo cáo, không tìm thấy"),
    (Ledger.unchecked, "Báo cáo, chưa kiểm tra"),
    (Ledger.no_link, "Báo cáo, không có đường dẫn"),
    (Ledger.confirmed, "Không báo cáo, đã xác nhận"),
    (Ledger.pending, "Không báo cáo, chờ xác nhận"),
    (Ledger.shared, "Chia sẻ lại"),
)
UNIT_HEADER = "Tên đơn vị"  # not "Đơn vị": docx._set_widths finds tables by that cell


def summary_lines(totals: LedgerRow) -> list[str]:
    """The section's sentences: what was reported and checked, what was found besides."""
    removed = (
        f" (trong đó {count(totals.removed)} sản phẩm bị gỡ sau khi đã xác minh, vẫn lưu bản sao)"
        if totals.removed
        else ""
    )
    return [
        f"Các đơn vị báo cáo {count(totals.reported)} sản phẩm; kiểm tra đường dẫn: "
        f"đã xác minh {count(totals.verified)}, đã chuyển địa chỉ {count(totals.moved)}, "
        f"không tìm thấy {count(totals.not_found)}{removed}, chưa kiểm tra "
        f"{count(totals.unchecked)}, không có đường dẫn (báo in, phát thanh, truyền thanh) "
        f"{count(totals.no_link)}.",
        f"Hệ thống phát hiện trên trang của các đơn vị {count(totals.discovered)} sản phẩm đã "
        f"đăng nhưng không báo cáo (đã xác nhận {count(totals.confirmed)}, chờ xác nhận "
        f"{count(totals.pending)}) và {count(totals.shared)} bản chia sẻ lại sản phẩm của đơn vị "
        "khác (tính là chia sẻ, không tính là sản phẩm gốc). Chi tiết theo đơn vị như sau:",
    ]


def docx_fields(ledger: CampaignLedger) -> dict[str, Any]:
    """The template fields of the section 'Đối chiếu kết quả'."""
    rows = [
        {"index": i, "name": row.name, "counts": [count(row.count(c)) for c, _ in COLUMNS]}
        for i, row in enumerate(ledger.rows, 1)
    ]
    return {
        "ledger_lines": summary_lines(ledger.totals),
        "ledger_rows": rows,
        "ledger_totals": [count(ledger.totals.count(c)) for c, _ in COLUMNS],
    }
