"""Every page of the web desk through TestClient: status, key content, roles, bad uploads."""

from __future__ import annotations

import pytest

from tests.web.conftest import Desk
from tests.web.helpers import BAD_ROW, FIXED_ROW, GOOD_ROWS, SAMPLE, open_campaign, outputs_xlsx
from trienkhai.settings import get_settings


def test_anonymous_visitor_is_sent_to_sign_in(desk: Desk) -> None:
    response = desk.client.get("/campaigns", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login")


def test_wrong_password_is_refused_in_vietnamese(desk: Desk) -> None:
    desk.get("/login")
    response = desk.post("/login", {"username": "dieuphoi", "password": "sai"})
    assert response.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu" in response.text


def test_post_without_csrf_token_is_refused(desk: Desk) -> None:
    desk.login("dieuphoi")
    response = desk.client.post("/directives", data={"text": "x"})
    assert response.status_code == 403
    assert "Phiên làm việc" in response.text


def test_language_switch_to_english_and_back(desk: Desk) -> None:
    desk.login("dieuphoi")
    assert "Đăng xuất" in desk.get("/campaigns").text
    english = desk.get("/lang/en?next=/campaigns")
    assert "Sign out" in english.text
    assert '<html lang="en">' in english.text
    assert "Đăng xuất" in desk.get("/lang/vi?next=/campaigns").text


def test_coordinator_imports_reviews_and_opens_a_campaign(desk: Desk) -> None:
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk, subject="Tuyên truyền về Nhân quyền (đã sửa)")
    board = desk.get(f"/campaigns/{campaign_id}")
    assert "Tuyên truyền về Nhân quyền (đã sửa)" in board.text
    assert "Báo Kon Tum" in board.text
    assert "Đã giao" in board.text
    library = desk.get("/library")
    assert "Tuyên truyền về Nhân quyền (đã sửa)" in library.text
    assert "1297/KH-UBND" in library.text


def test_review_page_shows_original_text_fields_and_findings(desk: Desk) -> None:
    desk.login("dieuphoi")
    desk.get("/directives/new")
    review = desk.post("/directives", {"text": SAMPLE.read_text(encoding="utf-8")})
    assert review.status_code == 200
    assert "Kính gửi" in review.text  # the original text, beside the fields
    assert "Kiểm tra thể thức" in review.text
    assert "ND30-" in review.text
    assert "1079/QĐ-TTg" in review.text  # a citation field


@pytest.mark.parametrize(
    ("files", "data", "code", "message"),
    [
        ({"file": ("anh.png", b"\x89PNG\r\n", "image/png")}, {}, 415, "không đúng định dạng"),
        ({"file": ("rong.txt", b"", "text/plain")}, {}, 400, "rỗng"),
        ({}, {"text": "   "}, 400, "Chưa chọn tệp"),
        (
            {"file": ("hong.docx", b"not a zip", "application/octet-stream")},
            {},
            422,
            "Không đọc được",
        ),
    ],
)
def test_bad_upload_gets_a_4xx_with_a_vietnamese_message(
    desk: Desk, files: dict[str, object], data: dict[str, str], code: int, message: str
) -> None:
    desk.login("dieuphoi")
    desk.get("/directives/new")
    response = desk.post("/directives", data, files=files or None)
    assert response.status_code == code
    assert message in response.text


def test_unit_editor_cannot_open_intake_or_another_units_page(desk: Desk, web_db) -> None:
    _, ids = web_db
    desk.login("baokontum")
    assert desk.get("/directives/new").status_code == 403
    other = desk.get(f"/units/{ids['h-dak-ha']}")
    assert other.status_code == 403
    assert "Chỉ được thao tác trên đơn vị của mình" in other.text
    assert desk.get(f"/units/{ids['bao-kon-tum']}").status_code == 200


def test_unit_editor_imports_outputs_sees_row_errors_then_fixes_them(desk: Desk, web_db) -> None:
    _, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.login("baokontum")
    unit = ids["bao-kon-tum"]
    page = desk.get(f"/units/{unit}")
    assert "Đơn vị được giao" in page.text
    xlsx = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    bad_file = {"file": ("ket-qua.xlsx", outputs_xlsx([*GOOD_ROWS, BAD_ROW]), xlsx)}
    bad = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=bad_file)
    assert bad.status_code == 422
    assert "row-errors" in bad.text
    assert '<td class="num">5</td><td>Ngày đăng</td>' in bad.text
    good_file = {"file": ("ket-qua.xlsx", outputs_xlsx([*GOOD_ROWS, FIXED_ROW]), xlsx)}
    good = desk.post(f"/units/{unit}/import", {"campaign_id": campaign_id}, files=good_file)
    assert good.status_code == 200
    assert "Đã lưu 4 sản phẩm" in good.text
    desk.login("dieuphoi")
    dashboard = desk.get(f"/campaigns/{campaign_id}/dashboard")
    assert '<b id="total-outputs">4</b>' in dashboard.text
    csv = desk.get(f"/campaigns/{campaign_id}/dashboard/heatmap.csv")
    assert csv.headers["content-type"].startswith("text/csv")
    assert "Báo Kon Tum,1,1,1,1,4" in csv.text


def test_unit_editor_adds_an_output_and_submits_the_report(desk: Desk, web_db) -> None:
    _, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.login("baokontum")
    unit = ids["bao-kon-tum"]
    desk.get(f"/units/{unit}")
    added = desk.post(f"/units/{unit}/outputs", {
        "campaign_id": campaign_id, "title": "Tọa đàm về quyền con người", "channel": "bao_dien_tu",
        "form": "toa_dam", "published": "2024-07-20", "themes": ["T1", "T2"],
    })  # fmt: skip
    assert added.status_code == 200
    assert "Tọa đàm về quyền con người" in added.text
    missing = desk.post(f"/units/{unit}/outputs", {"campaign_id": campaign_id, "title": "",
                        "channel": "bao_in", "published": "2024-07-20"})  # fmt: skip
    assert missing.status_code == 400
    reported = desk.post(f"/units/{unit}/report", {"campaign_id": campaign_id, "note": "Xong"})
    assert reported.status_code == 200
    assert "Đã báo cáo" in reported.text


def test_search_folds_diacritics_and_filters(desk: Desk, web_db) -> None:
    _, ids = web_db
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    desk.get(f"/units/{ids['bao-kon-tum']}")
    desk.post(f"/units/{ids['bao-kon-tum']}/outputs", {
        "campaign_id": campaign_id, "title": "Thành tựu Nhân quyền của Việt Nam",
        "channel": "bao_in", "published": "2024-07-20", "themes": ["T1"],
    })  # fmt: skip
    found = desk.get("/search?q=nhan+quyen")
    assert "Thành tựu Nhân quyền của Việt Nam" in found.text
    assert "/directives/" in found.text  # the directive's subject mentions nhân quyền
    assert "Thành tựu" not in desk.get("/search?q=nhan+quyen&channel=truyen_hinh").text
    assert "Thành tựu" in desk.get("/search?q=nhan+quyen&theme=T1&date_from=2024-07-01").text


@pytest.mark.parametrize(
    "path", ["/campaigns", "/dashboard", "/library", "/search", "/directives/new"]
)
def test_main_pages_answer_for_the_coordinator_with_empty_states(desk: Desk, path: str) -> None:
    desk.login("dieuphoi")
    response = desk.get(path)
    assert response.status_code == 200
    assert '<html lang="vi">' in response.text


def test_leader_reads_but_cannot_import_directives(desk: Desk) -> None:
    desk.login("lanhdao")
    assert desk.get("/campaigns").status_code == 200
    assert desk.get("/directives/new").status_code == 403


def test_missing_pages_are_404_in_vietnamese(desk: Desk) -> None:
    desk.login("dieuphoi")
    response = desk.get("/campaigns/999")
    assert response.status_code == 404
    assert "Không có chiến dịch số 999" in response.text


def test_static_assets_are_vendored(desk: Desk) -> None:
    assert desk.client.get("/static/vendor/htmx-2.0.11.min.js").status_code == 200
    assert desk.client.get("/static/app.css").status_code == 200
    assert desk.client.get("/static/../pages/common.py").status_code == 404


def test_oversized_upload_is_refused_with_413_and_nothing_stored(
    desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRIENKHAI_MAX_UPLOAD_MB", "1")
    get_settings.cache_clear()
    try:
        desk.login("dieuphoi")
        desk.get("/directives/new")
        big = b"Kon Tum " * (2**20 // 8 + 10)
        response = desk.post("/directives", {}, files={"file": ("to.txt", big, "text/plain")})
        assert response.status_code == 413
        assert "to.txt: tệp quá lớn" in response.text
        assert "to.txt" not in desk.get("/library").text
    finally:
        get_settings.cache_clear()


@pytest.mark.parametrize("target", ["/\\evil.example", "/\t/evil.example", "//evil.example"])
def test_sign_in_never_returns_to_another_site(desk: Desk, target: str) -> None:
    desk.get("/login")
    response = desk.post(
        "/login",
        {"username": "dieuphoi", "password": "mat-khau-thu-123", "next": target},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert response.headers["location"] == "/campaigns"
