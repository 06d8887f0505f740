"""The web desk's message catalogue (Vietnamese by default, English on request) and date formats."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from jinja2 import pass_context
from jinja2.runtime import Context

from trienkhai.settings import get_settings
from trienkhai.web.i18n_ledger import LEDGER_MESSAGES

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"

MESSAGES: dict[str, dict[str, str]] = {
    "app.name": {"vi": "Triển khai tuyên truyền", "en": "Campaign desk"},
    "app.skip": {"vi": "Bỏ qua, đến nội dung chính", "en": "Skip to main content"},
    "nav.dashboard": {"vi": "Tổng quan", "en": "Dashboard"},
    "nav.campaigns": {"vi": "Chiến dịch", "en": "Campaigns"},
    "nav.intake": {"vi": "Nhập công văn", "en": "New directive"},
    "nav.library": {"vi": "Thư viện văn bản", "en": "Library"},
    "nav.search": {"vi": "Tìm kiếm", "en": "Search"},
    "nav.my_unit": {"vi": "Đơn vị của tôi", "en": "My unit"},
    "nav.signout": {"vi": "Đăng xuất", "en": "Sign out"},
    "nav.signin": {"vi": "Đăng nhập", "en": "Sign in"},
    "nav.language": {"vi": "English", "en": "Tiếng Việt"},
    "role.admin": {"vi": "Quản trị", "en": "Administrator"},
    "role.coordinator": {"vi": "Điều phối", "en": "Coordinator"},
    "role.leader": {"vi": "Lãnh đạo", "en": "Leader"},
    "role.unit_editor": {"vi": "Biên tập đơn vị", "en": "Unit editor"},
    "login.title": {"vi": "Đăng nhập", "en": "Sign in"},
    "login.username": {"vi": "Tên đăng nhập", "en": "Username"},
    "login.password": {"vi": "Mật khẩu", "en": "Password"},
    "login.submit": {"vi": "Đăng nhập", "en": "Sign in"},
    "login.failed": {
        "vi": "Sai tên đăng nhập hoặc mật khẩu.",
        "en": "Wrong username or password.",
    },
    "common.save": {"vi": "Lưu", "en": "Save"},
    "common.filter": {"vi": "Lọc", "en": "Filter"},
    "common.all": {"vi": "Tất cả", "en": "All"},
    "common.none": {"vi": "(không có)", "en": "(none)"},
    "common.working": {"vi": "Đang xử lý…", "en": "Working…"},
    "common.table": {"vi": "Xem dạng bảng", "en": "Show as table"},
    "common.csv": {"vi": "Tải CSV", "en": "Download CSV"},
    "common.back": {"vi": "Quay lại", "en": "Back"},
    "common.unit": {"vi": "Đơn vị", "en": "Unit"},
    "common.theme": {"vi": "Chủ đề", "en": "Theme"},
    "common.channel": {"vi": "Kênh", "en": "Channel"},
    "common.form": {"vi": "Hình thức", "en": "Form"},
    "common.date": {"vi": "Ngày", "en": "Date"},
    "common.from": {"vi": "Từ ngày", "en": "From"},
    "common.to": {"vi": "Đến ngày", "en": "To"},
    "common.state": {"vi": "Trạng thái", "en": "State"},
    "common.group": {"vi": "Nhóm", "en": "Group"},
    "common.deadline": {"vi": "Hạn", "en": "Deadline"},
    "common.title": {"vi": "Tiêu đề", "en": "Title"},
    "common.link": {"vi": "Đường dẫn", "en": "Link"},
    "common.count": {"vi": "Số lượng", "en": "Count"},
    "common.total": {"vi": "Tổng", "en": "Total"},
    "common.actions": {"vi": "Thao tác", "en": "Actions"},
    "common.campaign": {"vi": "Chiến dịch", "en": "Campaign"},
    "error.title": {"vi": "Có lỗi", "en": "Something went wrong"},
    "error.403": {
        "vi": "Bạn không có quyền xem trang này.",
        "en": "You are not allowed to see this page.",
    },
    "error.404": {"vi": "Không tìm thấy trang.", "en": "Page not found."},
    "error.home": {"vi": "Về trang đầu", "en": "Go to the start page"},
    "intake.title": {"vi": "Nhập công văn chỉ đạo", "en": "Import a directive"},
    "intake.file": {
        "vi": "Tệp văn bản (.docx, .doc, .pdf, .txt)",
        "en": "Document file (.docx, .doc, .pdf, .txt)",
    },
    "intake.or_paste": {"vi": "hoặc dán nội dung văn bản", "en": "or paste the text"},
    "intake.submit": {"vi": "Đọc văn bản", "en": "Read the document"},
    "review.title": {"vi": "Rà soát thông tin trích xuất", "en": "Review the extracted fields"},
    "review.original": {"vi": "Văn bản gốc", "en": "Original text"},
    "review.fields": {"vi": "Thông tin trích xuất", "en": "Extracted fields"},
    "review.header": {"vi": "Phần đầu văn bản", "en": "Header"},
    "review.recipients": {"vi": "Nơi gửi, nơi nhận", "en": "Recipients"},
    "review.themes": {"vi": "Nội dung tuyên truyền (chủ đề)", "en": "Themes"},
    "review.assignments": {"vi": "Nhiệm vụ giao", "en": "Assignments"},
    "review.citations": {"vi": "Văn bản được viện dẫn", "en": "Citations"},
    "review.signer": {"vi": "Người ký", "en": "Signer"},
    "review.findings": {"vi": "Kiểm tra thể thức", "en": "Format check"},
    "review.no_findings": {
        "vi": "Không phát hiện lỗi thể thức.",
        "en": "No format problems found.",
    },
    "review.checker_missing": {
        "vi": "Chưa có bộ kiểm tra thể thức.",
        "en": "The format checker is not available yet.",
    },
    "review.one_per_line": {"vi": "mỗi dòng một mục", "en": "one per line"},
    "review.save": {"vi": "Lưu chỉnh sửa", "en": "Save corrections"},
    "review.create": {"vi": "Lưu và mở chiến dịch", "en": "Save and open the campaign"},
    "review.saved": {"vi": "Đã lưu chỉnh sửa.", "en": "Corrections saved."},
    "review.campaign_title": {"vi": "Tên chiến dịch", "en": "Campaign title"},
    "review.report_deadline": {"vi": "Hạn báo cáo", "en": "Report deadline"},
    "field.doc_type": {"vi": "Loại văn bản", "en": "Document type"},
    "field.number_symbol": {"vi": "Số, ký hiệu", "en": "Number and symbol"},
    "field.issued_date": {"vi": "Ngày ban hành", "en": "Date issued"},
    "field.place": {"vi": "Địa danh", "en": "Place"},
    "field.issuer": {"vi": "Cơ quan ban hành", "en": "Issuer"},
    "field.parent_issuer": {"vi": "Cơ quan chủ quản", "en": "Parent body"},
    "field.subject": {"vi": "Trích yếu", "en": "Subject"},
    "field.recipients": {"vi": "Kính gửi", "en": "Addressees"},
    "field.noi_nhan": {"vi": "Nơi nhận", "en": "Distribution"},
    "field.signer_name": {"vi": "Họ tên người ký", "en": "Signer name"},
    "field.signer_title": {"vi": "Chức vụ người ký", "en": "Signer title"},
    "field.signer_authority": {"vi": "Thẩm quyền ký", "en": "Signing authority"},
    "field.signer_on_behalf": {"vi": "Ký thay cho", "en": "Signing for"},
    "field.themes": {"vi": "Chủ đề", "en": "Themes"},
    "field.task": {"vi": "Nhiệm vụ", "en": "Task"},
    "field.group": {"vi": "Đối tượng", "en": "Addressed to"},
    "field.attachments": {"vi": "Tài liệu gửi kèm", "en": "Attachments"},
    "field.references": {"vi": "Thông tin tham khảo", "en": "References"},
    "campaigns.title": {"vi": "Các chiến dịch", "en": "Campaigns"},
    "campaigns.empty": {
        "vi": "Chưa có chiến dịch nào. Hãy nhập một công văn để mở chiến dịch.",
        "en": "No campaign yet. Import a directive to open one.",
    },
    "board.assignments": {"vi": "Nhiệm vụ theo đơn vị", "en": "Assignments by unit"},
    "board.outputs": {"vi": "Sản phẩm", "en": "Outputs"},
    "board.remind": {"vi": "Gửi nhắc nhở", "en": "Send reminders"},
    "board.remind_missing": {
        "vi": "Chưa cấu hình máy chủ thư (SMTP) nên chưa gửi được thư nhắc.",
        "en": "No mail server (SMTP) is configured, so reminders cannot be sent.",
    },
    "board.reminded": {
        "vi": "Đã gửi {n} thư nhắc: {to}. Đơn vị chưa có thư điện tử: {missing}.",
        "en": "{n} reminders sent: {to}. Units without an e-mail address: {missing}.",
    },
    "board.remind_failed": {
        "vi": "Đã gửi {n} thư nhắc: {to}. Không gửi được tới: {failed} (sẽ thử lại lần sau). "
        "Đơn vị chưa có thư điện tử: {missing}.",
        "en": "{n} reminders sent: {to}. Could not send to: {failed} (will retry). "
        "Units without an e-mail address: {missing}.",
    },
    "board.remind_confirm": {
        "vi": "Gửi thư nhắc hạn cho các đơn vị sắp đến hạn hoặc quá hạn của chiến dịch này?",
        "en": "Send deadline reminders to this campaign's units that are due or late?",
    },
    "board.empty": {
        "vi": "Không có nhiệm vụ nào khớp bộ lọc.",
        "en": "No assignment matches the filters.",
    },
    "board.unresolved": {
        "vi": "Cụm từ chưa khớp đơn vị nào",
        "en": "Recipient phrases that matched no unit",
    },
    "board.unresolved_note": {
        "vi": "Chọn đơn vị mà cụm từ chỉ đến để giao nhiệm vụ, hoặc bỏ qua nếu không cần giao.",
        "en": "Pick the unit a phrase names to assign it the tasks, or dismiss the phrase.",
    },
    "board.find_unit": {"vi": "Tìm đơn vị", "en": "Find a unit"},
    "board.type_unit": {"vi": "Gõ tên hoặc mã đơn vị", "en": "Type a unit's name or code"},
    "board.choose_unit": {"vi": "— Chọn đơn vị —", "en": "— Choose a unit —"},
    "board.learn_alias": {
        "vi": "Ghi nhớ cụm từ này là tên gọi khác của đơn vị",
        "en": "Remember this phrase as another name of the unit",
    },
    "board.resolve": {"vi": "Giao cho đơn vị", "en": "Assign to the unit"},
    "board.dismiss": {"vi": "Bỏ qua", "en": "Dismiss"},
    "board.dismissed_badge": {"vi": "Đã bỏ qua", "en": "Dismissed"},
    "board.resolved_to": {"vi": "đã giao", "en": "assigned"},
    "board.resolved": {
        "vi": "Đã giao nhiệm vụ của “{phrase}” cho {unit}.",
        "en": "The tasks of “{phrase}” were assigned to {unit}.",
    },
    "board.dismissed": {"vi": "Đã bỏ qua “{phrase}”.", "en": "Dismissed “{phrase}”."},
    "state.assigned": {"vi": "Đã giao", "en": "Assigned"},
    "state.acknowledged": {"vi": "Đã tiếp nhận", "en": "Acknowledged"},
    "state.in_progress": {"vi": "Đang thực hiện", "en": "In progress"},
    "state.reported": {"vi": "Đã báo cáo", "en": "Reported"},
    "state.verified": {"vi": "Đã xác minh", "en": "Verified"},
    "state.cancelled": {"vi": "Đã hủy", "en": "Cancelled"},
    "state.overdue": {"vi": "Quá hạn", "en": "Overdue"},
    "unit.asked": {"vi": "Đơn vị được giao", "en": "What we were asked"},
    "unit.logged": {"vi": "Sản phẩm đã ghi nhận", "en": "What we logged"},
    "unit.no_assignment": {
        "vi": "Đơn vị chưa được giao nhiệm vụ nào.",
        "en": "This unit has no assignment yet.",
    },
    "unit.no_outputs": {
        "vi": "Chưa có sản phẩm nào được ghi nhận.",
        "en": "No output logged yet.",
    },
    "unit.older": {"vi": "Cũ hơn", "en": "Older"},
    "unit.newest": {"vi": "Mới nhất", "en": "Newest"},
    "unit.add": {"vi": "Thêm sản phẩm", "en": "Add an output"},
    "unit.import": {"vi": "Nhập từ tệp Excel/CSV", "en": "Import from Excel/CSV"},
    "unit.import_file": {"vi": "Tệp .xlsx hoặc .csv", "en": ".xlsx or .csv file"},
    "unit.import_submit": {"vi": "Nhập tệp", "en": "Import"},
    "unit.template": {"vi": "Tải tệp mẫu", "en": "Download the template"},
    "unit.import_result": {
        "vi": "Đã lưu {stored} sản phẩm, {duplicates} trùng lặp, {errors} dòng lỗi.",
        "en": "Stored {stored}, {duplicates} duplicates, {errors} rows with errors.",
    },
    "unit.import_held": {
        "vi": "Tệp chưa được nhập: có {warnings} cảnh báo cần xem trước khi lưu.",
        "en": "Nothing stored yet: {warnings} warnings to review first.",
    },
    "unit.errors": {"vi": "Lỗi cần sửa", "en": "Errors to fix"},
    "unit.warnings": {"vi": "Cảnh báo", "en": "Warnings"},
    "unit.import_anyway": {"vi": "Vẫn nhập", "en": "Import anyway"},
    "unit.import_anyway_note": {
        "vi": "Nếu các cảnh báo trên không phải lỗi, bấm “Vẫn nhập” để lưu tệp {name}.",
        "en": "If the warnings above are not mistakes, press “Import anyway” to store {name}.",
    },
    "unit.import_again": {
        "vi": "Chọn lại tệp {name} rồi bấm “Vẫn nhập” nếu các cảnh báo không phải lỗi",
        "en": "Choose {name} again, then press “Import anyway” if the warnings are not mistakes",
    },
    "unit.row": {"vi": "Dòng", "en": "Row"},
    "unit.column": {"vi": "Cột", "en": "Column"},
    "unit.message": {"vi": "Lỗi", "en": "Problem"},
    "unit.discovered": {
        "vi": "Sản phẩm hệ thống tìm thấy, chờ xác nhận",
        "en": "Outputs the system found, to confirm",
    },
    "unit.discovered_note": {
        "vi": "Trả lời giúp điều phối viên: sản phẩm này có phải của đơn vị không? "
        "Việc xác minh vẫn do điều phối viên thực hiện.",
        "en": "Tell the coordinators whether each item is yours; they still verify it.",
    },
    "unit.confirm": {"vi": "Đúng của đơn vị", "en": "Ours"},
    "unit.reject": {"vi": "Không phải", "en": "Not ours"},
    "unit.answer.confirm": {
        "vi": "Đã ghi nhận: sản phẩm là của đơn vị.",
        "en": "Recorded: the output is yours.",
    },
    "unit.answer.reject": {
        "vi": "Đã ghi nhận: sản phẩm không phải của đơn vị.",
        "en": "Recorded: the output is not yours.",
    },
    "unit.answered.unit_confirm": {"vi": "Đơn vị đã xác nhận", "en": "Confirmed by the unit"},
    "unit.answered.unit_reject": {"vi": "Đơn vị báo không phải", "en": "Disowned by the unit"},
    "verification.unverified": {"vi": "Chưa xác minh", "en": "Not verified"},
    "verification.verified": {"vi": "Đã xác minh", "en": "Verified"},
    "verification.not_found": {"vi": "Không tìm thấy", "en": "Not found"},
    "verification.moved": {"vi": "Đã chuyển địa chỉ", "en": "Moved"},
    "verification.removed": {"vi": "Đã gỡ sau khi xác minh", "en": "Removed after verification"},
    "verification.rejected": {"vi": "Không công nhận", "en": "Rejected"},
    "output.archive": {"vi": "Bản lưu", "en": "Archived copy"},
    "output.archive_text": {"vi": "văn bản", "en": "text"},
    "unit.submit_report": {"vi": "Gửi báo cáo của đơn vị", "en": "Submit the unit report"},
    "unit.reported": {"vi": "Đơn vị đã gửi báo cáo.", "en": "The unit report was submitted."},
    "unit.added": {"vi": "Đã thêm sản phẩm.", "en": "Output added."},
    "unit.published": {"vi": "Ngày đăng, phát", "en": "Published on"},
    "unit.verification": {"vi": "Xác minh", "en": "Verification"},
    "dash.title": {"vi": "Tổng quan chiến dịch", "en": "Campaign dashboard"},
    "dash.heatmap": {"vi": "Đơn vị × chủ đề", "en": "Units × themes"},
    "dash.timeline": {"vi": "Sản phẩm theo thời gian, theo kênh", "en": "Outputs over time"},
    "dash.mix": {"vi": "Cơ cấu kênh", "en": "Channel mix"},
    "dash.laggards": {"vi": "Đơn vị chậm", "en": "Laggards"},
    "dash.coverage": {"vi": "Độ phủ chủ đề theo nhóm", "en": "Theme coverage by group"},
    "dash.total_outputs": {"vi": "Tổng số sản phẩm", "en": "Outputs"},
    "dash.units_reported": {"vi": "Đơn vị đã báo cáo", "en": "Units reported"},
    "dash.reason": {"vi": "Lý do", "en": "Reason"},
    "dash.no_output_on": {"vi": "Chưa có sản phẩm về {theme}", "en": "No output on {theme}"},
    "dash.past_deadline": {"vi": "Quá hạn", "en": "Past deadline"},
    "dash.no_data": {"vi": "Chưa có số liệu.", "en": "No data yet."},
    "dash.week": {"vi": "Tuần (từ thứ Hai)", "en": "Week of (Monday)"},
    "dash.pick": {"vi": "Chọn chiến dịch", "en": "Choose a campaign"},
    "reports.title": {"vi": "Báo cáo", "en": "Reports"},
    "reports.docx": {"vi": "Báo cáo kết quả (.docx)", "en": "Results report (.docx)"},
    "reports.pdf": {"vi": "Báo cáo kết quả (PDF)", "en": "Results report (PDF)"},
    "reports.xlsx": {"vi": "Phụ lục số liệu (.xlsx)", "en": "Annexes (.xlsx)"},
    "reports.ics": {"vi": "Lịch các hạn (.ics)", "en": "Calendar of deadlines (.ics)"},
    "reports.ics_subscribe": {
        "vi": "Đường dẫn đăng ký lịch (dán vào Google Calendar, Outlook…)",
        "en": "Subscription address (paste into Google Calendar, Outlook…)",
    },
    "reports.note": {
        "vi": "Tệp được lập từ số liệu hiện có, là bản dự thảo (chưa có số). "
        "Bản PDF cần LibreOffice trên máy chủ.",
        "en": "Files are built from the current figures, as a draft (no number yet). "
        "The PDF needs LibreOffice on the server.",
    },
    "reports.unit_title": {"vi": "Báo cáo của đơn vị", "en": "The unit's report"},
    "reports.unit_docx": {"vi": "Báo cáo của đơn vị (.docx)", "en": "Unit report (.docx)"},
    "reports.unit_pdf": {"vi": "Báo cáo của đơn vị (PDF)", "en": "Unit report (PDF)"},
    "job.title": {"vi": "Việc nền", "en": "Background job"},
    "job.kind.reports.file": {"vi": "Lập tệp báo cáo", "en": "Making the report file"},
    "job.kind.reports.reminders": {"vi": "Gửi nhắc hạn", "en": "Sending reminders"},
    "job.kind.ingest.crawl": {
        "vi": "Thu thập tin từ trang của các đơn vị",
        "en": "Crawling the units' sites",
    },
    "job.kind.ingest.verify": {
        "vi": "Kiểm tra đường dẫn sản phẩm",
        "en": "Checking the outputs' links",
    },
    "job.kind.ingest.verify_active": {
        "vi": "Kiểm tra lại đường dẫn các chiến dịch đang triển khai",
        "en": "Re-checking the links of active campaigns",
    },
    "job.result": {"vi": "Kết quả", "en": "Result"},
    "verify.title": {"vi": "Kiểm tra đường dẫn", "en": "Link check"},
    "verify.start": {"vi": "Kiểm tra đường dẫn ngay", "en": "Check the links now"},
    "verify.note": {
        "vi": "Mở lại từng đường dẫn sản phẩm các đơn vị báo cáo, ghi nhận còn, đã chuyển "
        "hay đã gỡ, và lưu bản chụp trang. Hệ thống cũng tự kiểm tra lại định kỳ.",
        "en": "Opens every reported output's link again, records whether it is there, moved "
        "or gone, and archives the page. The system also re-checks them periodically.",
    },
    "job.status.queued": {"vi": "Đang chờ đến lượt", "en": "Waiting its turn"},
    "job.status.running": {"vi": "Đang chạy", "en": "Running"},
    "job.status.done": {"vi": "Đã xong", "en": "Done"},
    "job.status.failed": {"vi": "Không thành công", "en": "Failed"},
    "job.download": {"vi": "Tải tệp {name}", "en": "Download {name}"},
    "job.failed": {
        "vi": "Đã thử {attempts} lần mà không được.",
        "en": "Tried {attempts} times without success.",
    },
    "job.wait": {
        "vi": "Trang tự cập nhật; có thể rời trang và quay lại sau, việc vẫn chạy.",
        "en": "This page updates itself; you may leave and come back, the job keeps running.",
    },
    "job.back": {"vi": "Quay lại", "en": "Back"},
    "job.kind.outputs.import": {"vi": "Nhập tệp kết quả", "en": "Importing the outputs file"},
    "job.import.errors": {
        "vi": "Không nhập dòng nào: tệp có {count} lỗi. Sửa các dòng dưới đây rồi nhập lại.",
        "en": "Nothing was imported: the file has {count} errors. "
        "Fix the rows below and import again.",
    },
    "job.import.confirm": {
        "vi": "Chưa nhập: tệp có {count} cảnh báo. Xem lại, rồi chọn lại tệp và bấm «Vẫn nhập».",
        "en": "Not imported yet: the file has {count} warnings. "
        "Review them, then choose the file again and press «Import anyway».",
    },
    "job.import.row": {"vi": "Dòng", "en": "Row"},
    "job.import.column": {"vi": "Cột", "en": "Column"},
    "job.import.message": {"vi": "Vấn đề", "en": "Problem"},
    "job.import.more": {
        "vi": "Hiện {shown} trong {count} vấn đề.",
        "en": "Showing {shown} of {count} problems.",
    },
    "reports.unit_ics": {
        "vi": "Lịch các hạn của đơn vị (.ics)",
        "en": "The unit's deadlines (.ics)",
    },
    "reports.unit_note": {
        "vi": "Lập từ các sản phẩm đơn vị đã ghi nhận trong chiến dịch này.",
        "en": "Built from the outputs the unit logged in this campaign.",
    },
    "download.busy": {"vi": "Đang tạo…", "en": "Preparing…"},
    "search.title": {"vi": "Tìm sản phẩm và văn bản", "en": "Search outputs and directives"},
    "search.query": {
        "vi": "Từ khóa (có dấu hoặc không dấu)",
        "en": "Words (with or without accents)",
    },
    "search.outputs": {"vi": "Sản phẩm", "en": "Outputs"},
    "search.directives": {"vi": "Văn bản", "en": "Directives"},
    "search.none": {"vi": "Không tìm thấy kết quả.", "en": "Nothing found."},
    "library.title": {"vi": "Thư viện văn bản", "en": "Directive library"},
    "library.empty": {"vi": "Chưa có văn bản nào.", "en": "No document yet."},
    "library.cites": {"vi": "Viện dẫn", "en": "Cites"},
    "library.not_in_library": {"vi": "chưa có trong thư viện", "en": "not in the library"},
    # --- Errors and administration pages (issue 8: desk-admin) ---
    "error.405": {
        "vi": "Địa chỉ này chỉ nhận dữ liệu gửi từ biểu mẫu, không mở trực tiếp được "
        "(thường do tải lại trang sau khi gửi). Hãy quay lại trang trước.",
        "en": "This address only accepts a submitted form and cannot be opened directly "
        "(usually after reloading a page that was sent). Go back to the previous page.",
    },
    "error.413": {"vi": "Tệp gửi lên quá lớn.", "en": "The uploaded file is too large."},
    "error.back": {"vi": "Quay lại trang trước", "en": "Back to the previous page"},
    "nav.admin": {"vi": "Quản trị", "en": "Administration"},
    "admin.title": {"vi": "Quản trị", "en": "Administration"},
    "admin.users": {"vi": "Người dùng", "en": "Users"},
    "admin.units": {"vi": "Danh mục đơn vị", "en": "Unit registry"},
    "admin.groups": {"vi": "Nhóm đơn vị", "en": "Unit groups"},
    "admin.sources": {"vi": "Nguồn tin", "en": "Sources"},
    "sources.unit_code": {"vi": "Mã đơn vị", "en": "Unit code"},
    "sources.note": {
        "vi": "Nguồn lỗi liên tiếp được thu chậm dần rồi tạm dừng; tiếp tục để thu lại ngay.",
        "en": "A failing source is read less often, then paused; resume it to read it again.",
    },
    "sources.url": {"vi": "Địa chỉ", "en": "Address"},
    "sources.kind": {"vi": "Loại", "en": "Kind"},
    "sources.last_success": {"vi": "Thu được lần cuối", "en": "Last success"},
    "sources.failures": {"vi": "Lỗi liên tiếp", "en": "Failures in a row"},
    "sources.last_error": {"vi": "Lỗi gần nhất", "en": "Last error"},
    "sources.never": {"vi": "chưa lần nào", "en": "never"},
    "sources.paused": {"vi": "Tạm dừng", "en": "Paused"},
    "sources.active": {"vi": "Đang thu", "en": "Active"},
    "sources.pause": {"vi": "Tạm dừng", "en": "Pause"},
    "sources.resume": {"vi": "Tiếp tục", "en": "Resume"},
    "sources.none": {"vi": "Chưa có nguồn nào.", "en": "No sources yet."},
    "sources.resumed": {"vi": "Đã tiếp tục thu {url}.", "en": "{url} will be read again."},
    "sources.paused_now": {"vi": "Đã tạm dừng {url}.", "en": "{url} is paused."},
    "admin.full_name": {"vi": "Họ và tên", "en": "Full name"},
    "admin.email": {"vi": "Thư điện tử", "en": "E-mail"},
    "admin.role": {"vi": "Vai trò", "en": "Role"},
    "admin.state": {"vi": "Trạng thái", "en": "State"},
    "admin.active": {"vi": "Đang hoạt động", "en": "Active"},
    "admin.inactive": {"vi": "Đã khóa", "en": "Deactivated"},
    "admin.new_user": {"vi": "Thêm người dùng", "en": "Add a user"},
    "admin.create": {"vi": "Thêm", "en": "Add"},
    "admin.unit_note": {"vi": "bắt buộc với biên tập đơn vị", "en": "required for unit editors"},
    "admin.filter_units": {"vi": "Lọc danh sách đơn vị", "en": "Filter the units"},
    "admin.password_typed": {
        "vi": "Mật khẩu mới (để trống để tạo mật khẩu dùng một lần)",
        "en": "New password (leave blank for a one-time password)",
    },
    "admin.password_note": {
        "vi": "Ít nhất 8 ký tự. Mật khẩu dùng một lần chỉ hiện một lần; "
        "hãy trao tận tay người dùng.",
        "en": "At least 8 characters. A one-time password is shown once only; "
        "hand it over in person.",
    },
    "admin.one_time": {
        "vi": "Mật khẩu dùng một lần của {name} (chỉ hiện lần này):",
        "en": "One-time password of {name} (shown this once only):",
    },
    "admin.profile": {"vi": "Thông tin và vai trò", "en": "Profile and role"},
    "admin.access": {"vi": "Đăng nhập", "en": "Sign-in"},
    "admin.reset_password": {"vi": "Đặt lại mật khẩu", "en": "Reset the password"},
    "admin.deactivate": {"vi": "Khóa tài khoản", "en": "Deactivate"},
    "admin.reactivate": {"vi": "Mở lại tài khoản", "en": "Reactivate"},
    "admin.history": {"vi": "Lịch sử thay đổi", "en": "Change history"},
    "admin.user_created": {"vi": "Đã thêm người dùng {name}.", "en": "User {name} added."},
    "admin.user_saved": {"vi": "Đã lưu người dùng {name}.", "en": "User {name} saved."},
    "admin.user_deactivated": {
        "vi": "Đã khóa tài khoản {name}.",
        "en": "Account {name} deactivated.",
    },
    "admin.user_reactivated": {
        "vi": "Đã mở lại tài khoản {name}.",
        "en": "Account {name} reactivated.",
    },
    "admin.password_reset": {
        "vi": "Đã đặt lại mật khẩu của {name}.",
        "en": "Password of {name} reset.",
    },
    "admin.import_refused": {
        "vi": "Tệp không được nhập (không có dòng nào được lưu)",
        "en": "File refused (no row was saved)",
    },
    "admin.unit_search": {
        "vi": "Tên, mã hoặc bí danh (có dấu hoặc không dấu)",
        "en": "Name, code or alias (with or without accents)",
    },
    "admin.code": {"vi": "Mã", "en": "Code"},
    "admin.code_note": {
        "vi": "chữ thường không dấu, số, '-', '_'",
        "en": "lower case, digits, '-', '_'",
    },
    "admin.unit_name": {"vi": "Tên đơn vị", "en": "Unit name"},
    "admin.short_name": {"vi": "Tên viết tắt", "en": "Short name"},
    "admin.kind": {"vi": "Loại", "en": "Kind"},
    "admin.parent": {"vi": "Đơn vị cấp trên", "en": "Parent unit"},
    "admin.contact": {"vi": "Người liên hệ", "en": "Contact person"},
    "admin.phone": {"vi": "Điện thoại", "en": "Phone"},
    "admin.websites": {"vi": "Trang web (mỗi dòng một địa chỉ)", "en": "Websites (one a line)"},
    "admin.feeds": {"vi": "Nguồn tin RSS (mỗi dòng một địa chỉ)", "en": "Feeds (one a line)"},
    "admin.fanpages": {
        "vi": "Trang mạng xã hội (mỗi dòng một địa chỉ)",
        "en": "Social pages (one a line)",
    },
    "admin.note": {"vi": "Ghi chú", "en": "Note"},
    "admin.aliases": {"vi": "Bí danh", "en": "Aliases"},
    "admin.aliases_note": {
        "vi": "Các cách văn bản gọi đơn vị này, dùng để nhận ra nơi nhận.",
        "en": "Other names directives use for this unit, used to match recipients.",
    },
    "admin.new_alias": {"vi": "Thêm bí danh", "en": "New alias"},
    "admin.add": {"vi": "Thêm", "en": "Add"},
    "admin.remove": {"vi": "Xóa", "en": "Remove"},
    "admin.one_per_line": {"vi": "mỗi dòng một tên", "en": "one a line"},
    "admin.new_unit": {"vi": "Thêm đơn vị", "en": "Add a unit"},
    "admin.unit_fields": {"vi": "Thông tin đơn vị", "en": "Unit details"},
    "admin.unit_saved": {"vi": "Đã lưu đơn vị {name}.", "en": "Unit {name} saved."},
    "admin.alias_added": {"vi": "Đã thêm bí danh '{alias}'.", "en": "Alias '{alias}' added."},
    "admin.alias_removed": {"vi": "Đã xóa bí danh '{alias}'.", "en": "Alias '{alias}' removed."},
    "admin.import_export": {"vi": "Nhập và xuất danh mục", "en": "Import and export"},
    "admin.import_file": {"vi": "Tệp danh mục (.yaml, .csv)", "en": "Registry file (.yaml, .csv)"},
    "admin.import_note": {
        "vi": "Nhập tất cả hoặc không gì cả: một dòng sai thì cả tệp không được lưu; "
        "đơn vị trùng mã được cập nhật.",
        "en": "All or nothing: one bad row and nothing is saved; "
        "units with a known code are updated.",
    },
    "admin.import": {"vi": "Nhập tệp", "en": "Import"},
    "admin.export": {"vi": "Tải danh mục", "en": "Download the registry"},
    "admin.imported": {
        "vi": "Đã nhập danh mục: {created} đơn vị mới, {updated} cập nhật, {groups} nhóm.",
        "en": "Registry imported: {created} new units, {updated} updated, {groups} groups.",
    },
    "admin.group_name": {"vi": "Tên nhóm", "en": "Group name"},
    "admin.group_aliases": {
        "vi": "Cụm từ gọi nhóm trong văn bản",
        "en": "Phrases naming the group in directives",
    },
    "admin.members": {"vi": "Thành viên", "en": "Members"},
    "admin.members_note": {
        "vi": "Giữ Ctrl (hoặc Cmd) để chọn nhiều đơn vị.",
        "en": "Hold Ctrl (or Cmd) to choose several units.",
    },
    "admin.new_group": {"vi": "Thêm nhóm", "en": "Add a group"},
    "admin.group_saved": {"vi": "Đã lưu nhóm {name}.", "en": "Group {name} saved."},
    "kind.department": {"vi": "Sở, ban, ngành", "en": "Department"},
    "kind.district": {"vi": "Huyện, thành phố", "en": "District"},
    "kind.commune": {"vi": "Xã, phường", "en": "Commune"},
    "kind.press": {"vi": "Cơ quan báo chí", "en": "Press"},
    "kind.broadcaster": {"vi": "Đài phát thanh, truyền hình", "en": "Broadcaster"},
    "kind.portal": {"vi": "Cổng thông tin", "en": "Portal"},
    "kind.other": {"vi": "Khác", "en": "Other"},
    "library.no_number": {"vi": "(chưa có số)", "en": "(no number yet)"},
    "library.campaigns": {"vi": "Chiến dịch", "en": "Campaigns"},
    "campaigns.directive": {"vi": "Văn bản chỉ đạo", "en": "Directive"},
    # --- merged from the other branch ---
    "dash.at_risk": {
        "vi": "Đơn vị sắp đến hạn chưa có sản phẩm",
        "en": "Units due soon, nothing logged",
    },
    "dash.late_reason": {
        "vi": "Quá hạn {days} ngày (hạn {deadline}), chưa báo cáo",
        "en": "{days} days past the deadline ({deadline}), not reported",
    },
    "dash.at_risk_reason": {
        "vi": "Còn {days} ngày đến hạn ({deadline}), chưa ghi nhận sản phẩm nào",
        "en": "Due in {days} days ({deadline}), no output logged yet",
    },
    "dash.nothing_logged": {"vi": "chưa có sản phẩm nào", "en": "no output at all"},
    "dash.late_note": {
        "vi": "Đơn vị chậm: đã quá hạn mà chưa báo cáo (như mục “Đơn vị chậm tiến độ” "
        "của báo cáo).",
        "en": "Late: past the deadline and not reported (as in the report's list of late units).",
    },
    "dash.at_risk_note": {
        "vi": "Đơn vị có hạn trong 3 ngày tới mà chưa ghi nhận sản phẩm nào.",
        "en": "Units due within 3 days that have logged nothing yet.",
    },
    "dash.none_listed": {"vi": "Không có đơn vị nào.", "en": "No unit."},
    "dash.settings": {"vi": "Thông tin báo cáo", "en": "Report settings"},
    "dash.report_number": {
        "vi": "Số báo cáo (để trống: bản dự thảo)",
        "en": "Report number (blank: a draft)",
    },
    "dash.noi_nhan_help": {
        "vi": "Mỗi dòng một nơi nhận; dòng “Lưu: VT, …” đặt cuối. Để trống: theo văn bản chỉ đạo.",
        "en": "One recipient a line; the “Lưu: VT, …” line last. Blank: from the directive.",
    },
    "dash.settings_saved": {"vi": "Đã lưu thông tin báo cáo.", "en": "Report settings saved."},
    "nav.menu": {"vi": "☰ Danh mục", "en": "☰ Menu"},
    # --- merged from the other branch ---
    "unit.actions": {"vi": "Thao tác", "en": "Actions"},
    "unit.edit": {"vi": "Sửa", "en": "Edit"},
    "unit.edit_title": {"vi": "Sửa sản phẩm số {id}", "en": "Edit output {id}"},
    "unit.edit_cancel": {"vi": "Thôi, không sửa", "en": "Cancel the edit"},
    "unit.updated": {"vi": "Đã lưu chỉnh sửa sản phẩm số {id}.", "en": "Output {id} saved."},
    "unit.remove": {"vi": "Gỡ", "en": "Remove"},
    "unit.remove_reason": {"vi": "Lý do gỡ", "en": "Reason for removal"},
    "unit.remove_confirm": {"vi": "Gỡ sản phẩm", "en": "Remove the output"},
    "unit.removed": {
        "vi": "Đã gỡ sản phẩm số {id}: không còn tính vào số liệu và báo cáo (có thể khôi phục).",
        "en": "Output {id} removed: it no longer counts in figures and reports (restorable).",
    },
    "unit.removed_list": {"vi": "Sản phẩm đã gỡ", "en": "Removed outputs"},
    "unit.removed_note": {
        "vi": "Không tính vào số liệu, bảng theo dõi và báo cáo; khôi phục để tính lại.",
        "en": "Not counted in figures, the board or reports; restore one to count it again.",
    },
    "unit.removed_on": {"vi": "Ngày gỡ", "en": "Removed on"},
    "unit.restore": {"vi": "Khôi phục", "en": "Restore"},
    "unit.restored": {"vi": "Đã khôi phục sản phẩm số {id}.", "en": "Output {id} restored."},
    "unit.duplicate": {
        "vi": "Không thêm: sản phẩm này đã có (số {id} «{title}», ngày {day}).",
        "en": "Not added: this output already exists (no. {id} “{title}”, {day}).",
    },
    "unit.duplicate_removed": {
        "vi": "Sản phẩm đó đã bị gỡ; khôi phục nếu cần.",
        "en": "That output was removed; restore it if needed.",
    },
    "unit.duplicate_link": {"vi": "Xem sản phẩm số {id}", "en": "See output {id}"},
    "unit.period": {"vi": "Thời gian chiến dịch: {period}", "en": "Campaign period: {period}"},
    "unit.accept_outside_period": {
        "vi": "Chấp nhận ngoài thời gian chiến dịch (điều phối viên)",
        "en": "Accept outside the campaign period (coordinator)",
    },
    "unit.url_completed": {
        "vi": "Đường dẫn “{typed}” thiếu http(s)://; đã lưu thành {url}",
        "en": "The link “{typed}” had no http(s)://; saved as {url}",
    },
    "unit.imported": {
        "vi": "Đã lưu {stored} sản phẩm mới, cập nhật {updated}, {same} đã có.",
        "en": "Stored {stored} new outputs, updated {updated}, {same} already there.",
    },
    "unit.import_notices": {
        "vi": "Đường dẫn thiếu http(s):// đã được thêm https:// (dòng {rows}).",
        "en": "Links without http(s):// were completed with https:// (rows {rows}).",
    },
    "unit.notices": {"vi": "Đã tự sửa", "en": "Corrected automatically"},
    "phrases.units": {"vi": "Đơn vị (chọn một hoặc nhiều)", "en": "Units (one or more)"},
    "phrases.units_help": {
        "vi": "Giữ Ctrl (hoặc Cmd) để chọn nhiều đơn vị.",
        "en": "Hold Ctrl (or Cmd) to choose several units.",
    },
    "phrases.group": {"vi": "Hoặc cả nhóm đơn vị", "en": "Or a whole group"},
    "phrases.no_group": {"vi": "— Không chọn nhóm —", "en": "— No group —"},
    "phrases.remember": {
        "vi": "Ghi nhớ cho văn bản sau (tên gọi khác của đơn vị hoặc nhóm)",
        "en": "Remember for later letters (an alias of the unit or group)",
    },
    "phrases.map": {"vi": "Giao nhiệm vụ", "en": "Assign"},
    "phrases.mapped": {
        "vi": "Đã giao nhiệm vụ của “{phrase}”: {assigned} đơn vị mới, {already} đơn vị đã được "
        "giao trước đó{remembered}.",
        "en": "Assigned “{phrase}”: {assigned} new units, {already} already assigned{remembered}.",
    },
    "phrases.remembered_unit": {
        "vi": "đã ghi nhớ là tên gọi khác của đơn vị",
        "en": "remembered as the unit's alias",
    },
    "phrases.remembered_group": {
        "vi": "đã ghi nhớ là tên gọi của nhóm",
        "en": "remembered as a name of the group",
    },
    # --- merged from the other branch ---
    "desk.settings": {"vi": "Cài đặt chiến dịch", "en": "Campaign settings"},
    "desk.description": {"vi": "Mô tả", "en": "Description"},
    "desk.period_start": {"vi": "Bắt đầu", "en": "Starts"},
    "desk.period_end": {"vi": "Kết thúc", "en": "Ends"},
    "desk.saved": {"vi": "Đã lưu chiến dịch.", "en": "Campaign saved."},
    "desk.status.draft": {"vi": "Nháp", "en": "Draft"},
    "desk.status.active": {"vi": "Đang triển khai", "en": "Active"},
    "desk.status.closed": {"vi": "Đã đóng", "en": "Closed"},
    "desk.status.archived": {"vi": "Đã lưu trữ", "en": "Archived"},
    "desk.frozen_note": {
        "vi": "Chiến dịch {status}: không nhận thêm sản phẩm, không đổi hạn hay trạng thái.",
        "en": "This campaign is {status}: no more outputs, deadlines or state changes.",
    },
    "desk.report_frozen": {
        "vi": "Báo cáo cuối: số {number}, ngày {day}.",
        "en": "Final report: number {number}, dated {day}.",
    },
    "desk.lifecycle": {"vi": "Đóng, lưu trữ", "en": "Close, archive"},
    "desk.close_note": {
        "vi": "Đóng chiến dịch: không nhận thêm sản phẩm; báo cáo cuối giữ số và ngày dưới đây.",
        "en": "Closing stops new outputs; the final report keeps the number and date below.",
    },
    "desk.close_confirm": {
        "vi": "Đóng chiến dịch? Sau khi đóng, các đơn vị không gửi thêm sản phẩm được.",
        "en": "Close the campaign? Units will not be able to add outputs.",
    },
    "desk.report_number": {"vi": "Số báo cáo", "en": "Report number"},
    "desk.report_date": {"vi": "Ngày báo cáo", "en": "Report date"},
    "desk.close": {"vi": "Đóng chiến dịch", "en": "Close the campaign"},
    "desk.closed": {"vi": "Đã đóng chiến dịch.", "en": "Campaign closed."},
    "desk.closed_on": {"vi": "Đóng ngày {day}.", "en": "Closed on {day}."},
    "desk.reopen": {"vi": "Mở lại", "en": "Reopen"},
    "desk.reopened": {"vi": "Đã mở lại chiến dịch.", "en": "Campaign reopened."},
    "desk.archive": {"vi": "Lưu trữ", "en": "Archive"},
    "desk.archived": {"vi": "Đã lưu trữ chiến dịch.", "en": "Campaign archived."},
    "desk.restore": {"vi": "Khôi phục", "en": "Restore"},
    "desk.restored": {"vi": "Đã khôi phục chiến dịch.", "en": "Campaign restored."},
    "desk.delete": {"vi": "Xóa chiến dịch", "en": "Delete the campaign"},
    "desk.delete_refused": {
        "vi": "Chiến dịch đã có {n} sản phẩm nên không xóa được; hãy đóng hoặc lưu trữ.",
        "en": "The campaign has {n} outputs and cannot be deleted; close or archive it.",
    },
    "desk.delete_warning": {
        "vi": "Xóa hẳn chiến dịch, chủ đề, nhiệm vụ và lịch sử của nó; không hoàn tác được.",
        "en": "Deletes the campaign, its themes, assignments and history for good.",
    },
    "desk.delete_type": {
        "vi": "Gõ số chiến dịch ({id}) để xác nhận",
        "en": "Type the campaign number ({id}) to confirm",
    },
    "desk.delete_submit": {"vi": "Xóa hẳn", "en": "Delete for good"},
    "desk.deleted": {"vi": "Đã xóa chiến dịch “{title}”.", "en": "Deleted “{title}”."},
    "desk.cancel": {"vi": "Thôi", "en": "Cancel"},
    "desk.pick": {"vi": "Chọn", "en": "Pick"},
    "desk.history": {"vi": "Lịch sử", "en": "History"},
    "desk.bulk_deadline": {
        "vi": "Đổi hạn các đơn vị đã chọn",
        "en": "New deadline for the picked units",
    },
    "desk.bulk_note": {
        "vi": "Đánh dấu các đơn vị trong bảng, chọn hạn mới rồi bấm Đổi hạn.",
        "en": "Tick units in the table, choose the new deadline, then press the button.",
    },
    "desk.new_deadline": {"vi": "Hạn mới", "en": "New deadline"},
    "desk.reason": {"vi": "Lý do", "en": "Reason"},
    "desk.change_deadline": {"vi": "Đổi hạn", "en": "Change deadline"},
    "desk.deadlines": {
        "vi": "Đã đổi hạn của {n} đơn vị sang {day}.",
        "en": "Moved the deadline of {n} units to {day}.",
    },
    "desk.deadline": {"vi": "Đã đổi hạn sang {day}.", "en": "Deadline moved to {day}."},
    "desk.add_unit": {"vi": "Giao thêm đơn vị", "en": "Add a unit"},
    "desk.add_unit_submit": {"vi": "Giao nhiệm vụ", "en": "Assign"},
    "desk.unit_added": {"vi": "Đã giao nhiệm vụ cho {unit}.", "en": "Assigned {unit}."},
    "desk.unit_removed": {"vi": "Đã gỡ {unit} khỏi chiến dịch.", "en": "Removed {unit}."},
    "desk.unit_page": {"vi": "Trang đơn vị", "en": "Unit page"},
    "desk.rework_reason": {"vi": "Điều phối trả lại, lý do", "en": "Returned for rework"},
    "desk.moves": {"vi": "Chuyển trạng thái", "en": "Change state"},
    "desk.reason_rework": {
        "vi": "bắt buộc khi trả lại để làm lại",
        "en": "required when returning for rework",
    },
    "desk.move.acknowledged": {"vi": "Đã tiếp nhận", "en": "Mark received"},
    "desk.move.in_progress": {"vi": "Đang thực hiện", "en": "Mark in progress"},
    "desk.move.reported": {"vi": "Báo cáo xong", "en": "Mark reported"},
    "desk.move.verified": {"vi": "Xác nhận", "en": "Verify"},
    "desk.move.cancelled": {"vi": "Hủy nhiệm vụ", "en": "Cancel"},
    "desk.move.rework": {"vi": "Trả lại để làm lại", "en": "Return for rework"},
    "desk.move.reopen": {"vi": "Mở lại", "en": "Reopen"},
    "desk.moved": {"vi": "Đã chuyển sang “{state}”.", "en": "Moved to “{state}”."},
    "desk.handover_to": {"vi": "Chuyển giao cho", "en": "Hand over to"},
    "desk.handover": {"vi": "Chuyển giao", "en": "Hand over"},
    "desk.handed_over": {"vi": "Đã chuyển giao cho {unit}.", "en": "Handed over to {unit}."},
    "desk.remove": {"vi": "Gỡ đơn vị khỏi chiến dịch", "en": "Remove the unit"},
    "desk.remove_confirm": {
        "vi": "Gỡ {unit} khỏi chiến dịch?",
        "en": "Remove {unit} from the campaign?",
    },
    "desk.remove_has_outputs": {
        "vi": "Đơn vị đã có {n} sản phẩm: không gỡ được, hãy hủy nhiệm vụ.",
        "en": "The unit has {n} outputs: cancel the assignment instead.",
    },
    "desk.when": {"vi": "Thời điểm", "en": "When"},
    "desk.who": {"vi": "Người thực hiện", "en": "Who"},
    "desk.what": {"vi": "Thay đổi", "en": "What"},
    "desk.system": {"vi": "hệ thống", "en": "system"},
    "desk.event.opened": {"vi": "Giao nhiệm vụ khi mở chiến dịch", "en": "Assigned when opened"},
    "desk.event.created": {"vi": "Giao thêm nhiệm vụ", "en": "Unit added"},
    "desk.event.deadline": {"vi": "Đổi hạn {old} → {new}", "en": "Deadline {old} → {new}"},
    "desk.event.handover": {"vi": "Chuyển giao {old} → {new}", "en": "Handed over {old} → {new}"},
    "desk.duplicate": {
        "vi": "Văn bản này đã mở chiến dịch",
        "en": "This directive already has a campaign",
    },
    "desk.open_existing": {"vi": "Mở chiến dịch đó", "en": "Open that campaign"},
    "desk.copy": {"vi": "Sao chép thành chiến dịch mới", "en": "Copy as a new campaign"},
    "desk.archived_list": {"vi": "Chiến dịch đã lưu trữ ({n})", "en": "Archived campaigns ({n})"},
    "desk.current_list": {"vi": "← Chiến dịch đang theo dõi", "en": "← Current campaigns"},
    # --- merged from the other branch ---
    "nav.password": {"vi": "Đổi mật khẩu", "en": "Change password"},
    "password.title": {"vi": "Đổi mật khẩu", "en": "Change password"},
    "password.current": {"vi": "Mật khẩu hiện tại", "en": "Current password"},
    "password.new": {"vi": "Mật khẩu mới", "en": "New password"},
    "password.confirm": {"vi": "Nhập lại mật khẩu mới", "en": "Repeat the new password"},
    "password.rules": {
        "vi": "Ít nhất 10 ký tự, không phải mật khẩu phổ biến, không giống tên đăng nhập. "
        "Sau khi đổi, mọi phiên đăng nhập khác (trình duyệt, mã API) đều kết thúc.",
        "en": "At least 10 characters, not a common password, not the username. "
        "Every other session (browsers, API tokens) ends after the change.",
    },
    "password.submit": {"vi": "Đổi mật khẩu", "en": "Change password"},
    "password.mismatch": {
        "vi": "Mật khẩu mới: hai lần nhập không khớp",
        "en": "New password: the two entries differ",
    },
    "password.changed": {
        "vi": "Đã đổi mật khẩu; các phiên đăng nhập khác đã kết thúc.",
        "en": "Password changed; every other session has ended.",
    },
    "password.calendar_title": {"vi": "Liên kết lịch", "en": "Calendar links"},
    "password.calendar_note": {
        "vi": "Thu hồi mọi liên kết lịch hạn (ICS) bạn đã chia sẻ; liên kết mới sẽ được tạo.",
        "en": "Revoke every deadline calendar (ICS) link you have shared; new links are made.",
    },
    "password.calendar_revoke": {"vi": "Thu hồi liên kết lịch", "en": "Revoke calendar links"},
    "password.calendar_revoked": {
        "vi": "Đã thu hồi mọi liên kết lịch cũ.",
        "en": "Every old calendar link is revoked.",
    },
    # Campaign day (issue 8): the unit's outputs in the assignment's history.
    "desk.event.output_added": {
        "vi": "Ghi nhận sản phẩm #{id} «{title}»",
        "en": "Output #{id} logged “{title}”",
    },
    "desk.event.output_changed": {
        "vi": "Sửa sản phẩm #{id} «{title}»",
        "en": "Output #{id} corrected “{title}”",
    },
    "desk.event.output_removed": {
        "vi": "Gỡ sản phẩm #{id} «{title}»",
        "en": "Output #{id} removed “{title}”",
    },
    "desk.event.output_restored": {
        "vi": "Khôi phục sản phẩm #{id} «{title}»",
        "en": "Output #{id} restored “{title}”",
    },
    "desk.event.output_verified": {
        "vi": "Xác minh sản phẩm #{id} «{title}»",
        "en": "Output #{id} verified “{title}”",
    },
    # --- merged from the other branch ---
    "theme.suggested": {"vi": "Gợi ý chủ đề", "en": "Suggested theme"},
    "theme.accept": {"vi": "Nhận", "en": "Accept"},
    "theme.reject": {"vi": "Bỏ", "en": "Reject"},
    "theme.because": {"vi": "theo các từ", "en": "from the words"},
    "theme.answer.accept": {"vi": "Đã gán chủ đề cho sản phẩm.", "en": "Theme accepted."},
    "theme.answer.reject": {"vi": "Đã bỏ gợi ý chủ đề.", "en": "Suggestion rejected."},
    "theme.bulk_title": {
        "vi": "Nhận gợi ý chủ đề hàng loạt",
        "en": "Accept theme suggestions in bulk",
    },
    "theme.bulk_note": {
        "vi": "Gán cho các sản phẩm chưa có chủ đề mọi chủ đề máy chấm từ ngưỡng trở lên "
        "(trừ chủ đề đã bị bỏ). Mỗi lần gán được lưu như một lần xác nhận.",
        "en": "Tag the outputs that have no theme with every theme scored at or above the "
        "threshold (except themes someone rejected). Each counts as a confirmation.",
    },
    "theme.threshold": {"vi": "Ngưỡng điểm (0–1)", "en": "Score threshold (0–1)"},
    "theme.bulk_preview": {"vi": "Xem trước", "en": "Preview"},
    "theme.bulk_confirm_title": {"vi": "Xác nhận", "en": "Confirm"},
    "theme.bulk_will_tag": {
        "vi": "{outputs} sản phẩm chưa có chủ đề sẽ được gán {tags} chủ đề (điểm từ {threshold}).",
        "en": "{outputs} outputs without a theme will get {tags} themes "
        "(score {threshold} or more).",
    },
    "theme.bulk_accept": {"vi": "Gán {tags} chủ đề", "en": "Accept {tags} themes"},
    "theme.bulk_done": {
        "vi": "Đã gán {count} chủ đề theo gợi ý.",
        "en": "{count} suggested themes accepted.",
    },
    "dash.theme_sources": {"vi": "Số tin, bài theo chủ đề", "en": "Outputs per theme"},
    "dash.theme_sources_note": {
        "vi": "Một chủ đề được tính cho sản phẩm khi đã xác nhận (đơn vị ghi, nhập từ tệp hoặc "
        "nhận trên bàn làm việc), hoặc khi sản phẩm chưa có chủ đề và máy chấm từ ngưỡng trở lên.",
        "en": "A theme counts for an output when confirmed (logged, imported or accepted on the "
        "desk), or when the output has no theme and the matcher scores it at or above threshold.",
    },
    "dash.theme_confirmed": {"vi": "Đã xác nhận", "en": "Confirmed"},
    "dash.theme_suggested": {"vi": "Do máy gợi ý trên ngưỡng", "en": "Suggested above threshold"},
    "output.about": {"vi": "Sản phẩm", "en": "Output"},
    "output.excerpt": {"vi": "Trích đoạn", "en": "Excerpt"},
    "output.score": {"vi": "Điểm", "en": "Score"},
    "output.drivers": {"vi": "Các từ quyết định", "en": "Words that drove it"},
    "output.score_note": {
        "vi": "Điểm do máy chấm từ tiêu đề và trích đoạn (0–1); từ {threshold} trở lên là gợi ý. "
        "Mỗi lần nhận hoặc bỏ, máy học thêm cho chiến dịch này.",
        "en": "Machine score from the title and excerpt (0–1); {threshold} or more is a "
        "suggestion. Every accept or reject teaches this campaign's matcher.",
    },
    "output.status.assigned": {"vi": "Đã gán", "en": "Assigned"},
    "output.status.suggested": {"vi": "Máy gợi ý", "en": "Suggested"},
    "output.status.rejected": {"vi": "Đã bỏ", "en": "Rejected"},
    "output.status.below": {"vi": "Dưới ngưỡng", "en": "Below threshold"},
    "output.open": {"vi": "Xem điểm chủ đề", "en": "Theme scores"},
    # --- merged from the other branch ---
    "review.ocr_low_title": {
        "vi": "Trang quét nhận dạng kém",
        "en": "Scanned pages read with low confidence",
    },
    "review.ocr_low_note": {
        "vi": "Độ tin cậy nhận dạng chữ (OCR) thấp: hãy đối chiếu kỹ các trường với bản gốc.",
        "en": "Text recognition (OCR) confidence is low: check the fields against the original.",
    },
    "review.ocr_page": {"vi": "Trang", "en": "Page"},
    "review.ocr_no_words": {"vi": "không nhận ra chữ nào", "en": "no words recognised"},
}

# The ledger's messages live in their own table (web/i18n_ledger.py); one catalogue serves all.
MESSAGES.update(LEDGER_MESSAGES)


def translate(key: str, lang: str = DEFAULT_LANGUAGE, **values: Any) -> str:
    """The message for key in the language, formatted with values; the key itself if unknown."""
    entry = MESSAGES.get(key)
    text = key if entry is None else entry.get(lang) or entry[DEFAULT_LANGUAGE]
    return text.format(**values) if values else text


@pass_context
def t(context: Context, key: str, **values: Any) -> str:
    """Jinja global: translate into the page's language (context variable `lang`)."""
    return translate(key, str(context.get("lang") or DEFAULT_LANGUAGE), **values)


def pick_language(*candidates: str | None) -> str:
    """The first supported language among the candidates (query, cookie, user, settings)."""
    for value in candidates:
        if value in LANGUAGES:
            return str(value)
    return DEFAULT_LANGUAGE


def screen_date(value: date | datetime | str | None) -> str:
    """dd/mm/yyyy as screens print dates; ISO strings accepted; empty for None."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value[:10]).strftime("%d/%m/%Y")
        except ValueError:
            return value
    if isinstance(value, datetime):
        # A stored time is an instant (SQLite hands it back naive, in UTC): print its local day,
        # or an output published at 06:00 in Vietnam shows on the day before.
        aware = value if value.tzinfo else value.replace(tzinfo=UTC)
        value = aware.astimezone(ZoneInfo(get_settings().timezone))
    return value.strftime("%d/%m/%Y")


def letter_date(value: date | None, place: str = "") -> str:
    """The Decree-30 date line: "Kon Tum, ngày 05 tháng 3 năm 2020" (months 1-2 zero-padded)."""
    if value is None:
        return ""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    text = f"ngày {value.day:02d} tháng {month} năm {value.year}"
    return f"{place}, {text}" if place else text
