"""Messages of the reconciliation ledger (board, dashboard, output list), merged into i18n."""

from __future__ import annotations

LEDGER_MESSAGES: dict[str, dict[str, str]] = {
    "ledger.title": {"vi": "Đối chiếu kết quả", "en": "Reconciliation"},
    "ledger.note": {
        "vi": "Đối chiếu sản phẩm đơn vị báo cáo với sản phẩm hệ thống tìm thấy trên trang của "
        "đơn vị và kết quả kiểm tra đường dẫn. Bấm vào một con số để xem danh sách sản phẩm.",
        "en": "What each unit reported, against what the crawler found on its site and what "
        "the link check verified. Click a number to list the outputs.",
    },
    "ledger.unit_note": {
        "vi": "Sản phẩm đơn vị đã báo cáo, đối chiếu với trang của đơn vị và kết quả kiểm tra "
        "đường dẫn; sản phẩm hệ thống tìm thấy mà đơn vị chưa báo cáo cần được xác nhận.",
        "en": "What the unit reported, checked against its own site and the link check; "
        "outputs the crawler found that the unit did not report await confirmation.",
    },
    "ledger.reported": {"vi": "Đơn vị báo cáo", "en": "Reported by the unit"},
    "ledger.discovered": {
        "vi": "Đã đăng nhưng không báo cáo",
        "en": "Published but not reported",
    },
    "ledger.verified": {"vi": "Đã xác minh", "en": "Verified"},
    "ledger.moved": {"vi": "Đã chuyển địa chỉ", "en": "Moved"},
    "ledger.not_found": {"vi": "Không tìm thấy", "en": "Not found"},
    "ledger.unchecked": {"vi": "Chưa kiểm tra", "en": "Not yet checked"},
    "ledger.no_link": {"vi": "Không có đường dẫn", "en": "Without link"},
    "ledger.confirmed": {"vi": "Đã xác nhận", "en": "Confirmed"},
    "ledger.pending": {"vi": "Chờ xác nhận", "en": "Pending"},
    "ledger.shared": {"vi": "Chia sẻ lại", "en": "Shares"},
    # On a phone each figure is a card line without the column group over it.
    "ledger.card.confirmed": {
        "vi": "Không báo cáo, đã xác nhận",
        "en": "Not reported, confirmed",
    },
    "ledger.card.pending": {"vi": "Không báo cáo, chờ xác nhận", "en": "Not reported, pending"},
    "ledger.removed": {
        "vi": "trong đó {n} bị gỡ sau khi đã xác minh (vẫn giữ bản lưu)",
        "en": "of which {n} removed after verification (archive kept)",
    },
    "ledger.originals": {"vi": "Sản phẩm gốc", "en": "Originals"},
    "ledger.filter": {"vi": "Đối chiếu", "en": "Reconciliation"},
    "ledger.not_assigned": {"vi": "không được giao", "en": "not assigned"},
    "ledger.empty": {
        "vi": "Chưa có đơn vị nào được giao hoặc có sản phẩm.",
        "en": "No unit is assigned or has outputs yet.",
    },
    "ledger.desc.verified": {
        "vi": "Báo cáo, đã xác minh: trang còn, đúng tiêu đề",
        "en": "Reported and verified: the page is there with its title",
    },
    "ledger.desc.moved": {
        "vi": "Báo cáo, bài đã chuyển sang địa chỉ khác cùng trang",
        "en": "Reported, moved to another address on the same site",
    },
    "ledger.desc.not_found": {
        "vi": "Báo cáo nhưng không tìm thấy, hoặc bị gỡ sau khi đã xác minh",
        "en": "Reported but not found, or removed after verification",
    },
    "ledger.desc.unchecked": {
        "vi": "Báo cáo, có đường dẫn, chưa kiểm tra",
        "en": "Reported with a link, not yet checked",
    },
    "ledger.desc.no_link": {
        "vi": "Báo cáo, không có đường dẫn (báo in, phát thanh, truyền thanh)",
        "en": "Reported without a link (print, radio, loudspeakers)",
    },
    "ledger.desc.confirmed": {
        "vi": "Hệ thống tìm thấy, đơn vị không báo cáo, đã xác nhận",
        "en": "Found by the crawler, not reported, confirmed",
    },
    "ledger.desc.pending": {
        "vi": "Hệ thống tìm thấy, đơn vị không báo cáo, chờ xác nhận",
        "en": "Found by the crawler, not reported, awaiting confirmation",
    },
    "ledger.desc.shared": {
        "vi": "Bản chia sẻ lại sản phẩm gốc của đơn vị khác (không tính là sản phẩm gốc)",
        "en": "Republished copies of another unit's original (never counted as originals)",
    },
    "source.reported": {"vi": "Đơn vị báo cáo", "en": "Reported by the unit"},
    "source.discovered": {"vi": "Hệ thống phát hiện", "en": "Found by the crawler"},
    "search.source": {"vi": "Nguồn ghi nhận", "en": "Source"},
    "search.verification": {"vi": "Xác minh", "en": "Verification"},
}
