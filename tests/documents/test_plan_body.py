"""Plans and letters: tasks and sub-items, lead and support, unit names, themes, basis, Nơi nhận."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus import need_corpus
from trienkhai.documents.agencies import split_units
from trienkhai.documents.citations import basis_citations
from trienkhai.documents.parser import parse_file, parse_text
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.documents.signature import distribution

PLAN = """ỦY BAN NHÂN DÂN
TỈNH KON TUM
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 12/KH-UBND
Kon Tum, ngày 05 tháng 3 năm 2025
KẾ HOẠCH
Tuyên truyền về chuyển đổi số năm 2025
Căn cứ Luật Báo chí ngày 05 tháng 4 năm 2016;
Căn cứ Quyết định số 749/QĐ-TTg ngày 03/6/2020 của Thủ tướng Chính phủ (được sửa đổi bởi \
Quyết định số 1/QĐ-TTg ngày 02/01/2021 của Thủ tướng Chính phủ);
Căn cứ Kế hoạch số 5/KH-UBND ngày 10/01/2025 của UBND tỉnh, Công văn số 9/STTTT-TTBCXB \
ngày 12/01/2025 của Sở Thông tin và Truyền thông;
Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:
I. MỤC ĐÍCH, YÊU CẦU
1. Mục đích
- Nâng cao nhận thức của người dân về chuyển đổi số.
II. NỘI DUNG, HÌNH THỨC
1. Nội dung tuyên truyền
- Tuyên truyền về lợi ích của dịch vụ công trực tuyến cho người dân.
- Phổ biến kỹ năng số cơ bản, an toàn thông tin cá nhân trên mạng.
2. Hình thức tuyên truyền
- Trên báo in, báo điện tử, truyền hình và mạng xã hội.
III. TỔ CHỨC THỰC HIỆN
1. Sở Văn hóa, Thể thao và Du lịch
- Chủ trì, phối hợp với Sở Khoa học và Công nghệ và Báo và Phát thanh, Truyền hình Kon Tum \
tổ chức tuyên truyền.
+ Đăng tin, bài trên Cổng thông tin điện tử tỉnh và Zalo; báo cáo kết quả trước ngày 30/11/2025.
2. Sở Tài chính
Căn cứ chức năng, nhiệm vụ, phối hợp với Sở Văn hóa, Thể thao và Du lịch bố trí kinh phí.
3. Sở Nông nghiệp và Môi trường và Ủy ban nhân dân các xã
- Tuyên truyền trên hệ thống truyền thanh cơ sở.
Nơi nhận:
- Sở VH,TT&DL;
- Lưu: VT, KGVX.
05 bản
TM. ỦY BAN NHÂN DÂN
KT. CHỦ TỊCH
PHÓ CHỦ TỊCH
Nguyễn Văn A
"""


@pytest.fixture(scope="module")
def plan() -> DocumentRecord:
    return parse_text(PLAN)


def test_task_text_keeps_every_sub_item_nested(plan: DocumentRecord) -> None:
    first = plan.assignments[0]
    assert first.task.split("\n") == [
        "- Chủ trì, phối hợp với Sở Khoa học và Công nghệ và Báo và Phát thanh, Truyền hình "
        "Kon Tum tổ chức tuyên truyền.",
        "  + Đăng tin, bài trên Cổng thông tin điện tử tỉnh và Zalo; báo cáo kết quả trước "
        "ngày 30/11/2025.",
    ]
    assert first.deadlines == ["2025-11-30"]
    # The broadcaster it works with is named too: its radio and television are channels.
    assert first.channels == ["phát thanh", "truyền hình", "cổng/trang thông tin điện tử", "Zalo"]
    assert first.forms == ["tin", "bài"]


def test_lead_and_support(plan: DocumentRecord) -> None:
    culture, finance, _ = plan.assignments
    assert culture.lead == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert culture.support == ["Sở Khoa học và Công nghệ", "Báo và Phát thanh, Truyền hình Kon Tum"]
    assert finance.lead == []
    assert finance.support == ["Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch"]


def test_units_split_by_knowledge_not_at_every_va(plan: DocumentRecord) -> None:
    assert plan.assignments[2].units == ["Sở Nông nghiệp và Môi trường", "Ủy ban nhân dân các xã"]
    assert split_units("Sở Văn hóa, Thể thao và Du lịch") == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert split_units("Bộ Văn hoá, Thể thao và Du lịch tỉnh") == [
        "Bộ Văn hoá, Thể thao và Du lịch tỉnh"
    ]
    assert split_units("Các sở, ngành, đơn vị liên quan") == ["Các sở, ngành, đơn vị liên quan"]
    assert split_units("Sở Y tế, Công an tỉnh và UBND các xã") == [
        "Sở Y tế", "Công an tỉnh", "UBND các xã",
    ]  # fmt: skip


def test_themes_come_from_the_content_part_not_forms_or_aims(plan: DocumentRecord) -> None:
    assert [t.text for t in plan.themes] == [
        "Tuyên truyền về lợi ích của dịch vụ công trực tuyến cho người dân.",
        "Phổ biến kỹ năng số cơ bản, an toàn thông tin cá nhân trên mạng.",
    ]


def test_basis_citations_are_the_documents_of_the_can_cu_preamble(plan: DocumentRecord) -> None:
    found = [(c.type, c.number_symbol, c.date) for c in plan.basis_citations]
    assert found == [
        ("Luật", None, "2016-04-05"),
        ("Quyết định", "749/QĐ-TTg", "2020-06-03"),
        ("Kế hoạch", "5/KH-UBND", "2025-01-10"),
        ("Công văn", "9/STTTT-TTBCXB", "2025-01-12"),
    ]
    assert plan.basis_citations[0].text == "Luật Báo chí"
    assert basis_citations(["Thực hiện Kế hoạch số 5/KH-UBND ngày 10/01/2025."]) == []


def test_copy_counts_and_the_archive_are_not_recipients(plan: DocumentRecord) -> None:
    assert plan.noi_nhan[-1] == "05 bản"
    assert plan.noi_nhan_recipients == ["Sở VH,TT&DL"]
    assert distribution(["Sở Y tế", "Lưu: VT", "08 KH", "03b"]) == ["Sở Y tế"]


def _corpus(doc_id: str) -> DocumentRecord:
    return parse_file(Path(need_corpus("congvan", f"{doc_id}.txt")))


def test_cv_013_can_tho_plan() -> None:
    record = _corpus("cv-013")
    groups = [a.group for a in record.assignments]
    assert groups == [
        "Sở Nông nghiệp và Môi trường", "Sở Tài chính", "Sở Văn hóa, Thể thao và Du lịch",
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố và các Đoàn thể",
        "Các Sở, ngành, đơn vị liên quan", "Ủy ban nhân dân cấp xã",
    ]  # fmt: skip
    assert all(a.task for a in record.assignments)
    assert record.assignments[0].task.count("\n") == 2
    assert record.assignments[0].units == ["Sở Nông nghiệp và Môi trường"]
    assert record.assignments[2].units == ["Sở Văn hóa, Thể thao và Du lịch"]
    assert record.assignments[3].units == [
        "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố", "các Đoàn thể",
    ]  # fmt: skip
    assert record.assignments[1].support[0] == "Sở Tài chính"
    assert record.assignments[2].channels == ["phát thanh", "truyền hình"]
    assert len(record.themes) == 5
    assert record.themes[0].text.startswith("Đổi mới, thúc đẩy hiệu quả")
    assert not any("Hình thức" in t.text or "In ấn" in t.text for t in record.themes)
    assert all(t.keywords for t in record.themes)
    assert [c.number_symbol for c in record.basis_citations] == [
        "06/2022/TT-BTTTT", "01/2025/TT-BTTTT", "55/2023/TT-BTC", "75/2024/TT-BTC",
        "650/QĐ-LĐTBXH", "206/NQ-HĐND", "77/KH-UBND", "2140/QĐ-UBND",
    ]  # fmt: skip
    assert "08 KH" not in record.noi_nhan_recipients
    assert record.issued_date == "2025-11-19"


def test_cv_017_letter_points_are_its_themes() -> None:
    record = _corpus("cv-017")
    assert len(record.themes) == 2
    assert record.themes[0].text.startswith("Trong thời gian qua, nước ta")
    assert record.themes[1].text.startswith("Ngày 16/6/2025, Quốc hội")
    assert "Bộ Nội vụ trân trọng cảm ơn" not in record.themes[1].text
    assert record.themes[1].keywords


LETTER = """VĂN PHÒNG CHÍNH PHỦ
CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc
Số: 11654/VPCP-CN
V/v cung ứng vật liệu xây dựng
Hà Nội, ngày 27 tháng 11 năm 2025
Kính gửi: Chủ tịch Ủy ban nhân dân các tỉnh: Hưng Yên, Ninh Bình.
Xét báo cáo của Ủy ban nhân dân tỉnh Hưng Yên, Phó Thủ tướng Chính phủ có ý kiến như sau:
Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên khẩn trương làm việc với các địa phương; báo cáo
Thủ tướng Chính phủ trước ngày 03 tháng 12 năm 2025. Ủy ban nhân dân tỉnh Ninh Bình đẩy
nhanh các thủ tục để hỗ trợ tỉnh Hưng Yên.
Văn phòng Chính phủ thông báo để các địa phương biết, thực hiện./.
Nơi nhận:
- Như trên;
- Lưu: VT, CN.
KT. BỘ TRƯỞNG, CHỦ NHIỆM
PHÓ CHỦ NHIỆM
Nguyễn Văn B
"""


def test_a_letter_without_numbered_tasks_assigns_by_sentence() -> None:
    record = parse_text(LETTER)
    assert [(a.units, a.lead) for a in record.assignments] == [
        (["Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên"], ["Chủ tịch Ủy ban nhân dân tỉnh Hưng Yên"]),
        (["Ủy ban nhân dân tỉnh Ninh Bình"], ["Ủy ban nhân dân tỉnh Ninh Bình"]),
    ]
    assert record.assignments[0].deadlines == ["2025-12-03"]
    assert record.assignments[1].task.startswith("đẩy nhanh các thủ tục")
