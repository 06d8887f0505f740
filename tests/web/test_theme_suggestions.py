"""Unit page: an output logged without a theme gets a suggestion; accepting it tags the output."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import Engine, select

from tests.web.conftest import Desk
from tests.web.helpers import open_campaign
from trienkhai.db import session_scope
from trienkhai.outputs import service as outputs
from trienkhai.outputs.models import Output
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.themes.models import ThemeExample
from trienkhai.users.models import User

DB = tuple[Engine, dict[str, int]]
TITLE = "Xét xử đường dây mua bán người, đưa phụ nữ bán sang Trung Quốc"


def _logged(engine: Engine, campaign_id: int, unit_id: int) -> int:
    """An output the unit logged with no theme."""
    with session_scope(engine) as session:
        editor = session.scalar(select(User).where(User.username == "dieuphoi"))
        data = OutputCreate(
            campaign_id=campaign_id, unit_id=unit_id, title=TITLE, channel="bao_dien_tu",
            url="https://baokontum.com.vn/mua-ban-nguoi", published_at=date(2024, 7, 30),
        )  # fmt: skip
        output, _ = outputs.create_output(session=session, actor=editor, data=data)
        return output.id


def _opened(desk: Desk, db: DB) -> tuple[Engine, int, int, int]:
    """As the coordinator: a new campaign and one untagged output of Báo Kon Tum in it."""
    engine, ids = db
    unit = ids["bao-kon-tum"]
    desk.login("dieuphoi")
    campaign_id = open_campaign(desk)
    return engine, unit, campaign_id, _logged(engine, campaign_id, unit)


def test_suggested_theme_is_accepted_from_the_unit_page(any_desk: Desk, any_db: DB) -> None:
    engine, unit, campaign_id, output_id = _opened(any_desk, any_db)
    any_desk.login("baokontum")
    page = any_desk.get(f"/units/{unit}?campaign={campaign_id}")
    accept = f"/units/{unit}/outputs/{output_id}/themes/T3/accept"
    assert "Gợi ý chủ đề" in page.text
    assert accept in page.text
    done = any_desk.post(accept)
    assert "Đã gán chủ đề cho sản phẩm." in done.text
    assert accept not in done.text  # a tagged output gets no more suggestions
    with session_scope(engine) as session:
        output = session.get(Output, output_id)
        assert output is not None
        assert [t.code for t in output.themes] == ["T3"]
        example = session.scalar(select(ThemeExample).where(ThemeExample.output_id == output_id))
        assert example is not None and example.accepted
    assert any_desk.post(f"/units/{unit}/outputs/{output_id}/themes/T3/maybe").status_code == 404
    any_desk.login("dakha")
    assert any_desk.post(accept).status_code == 403


def test_output_page_shows_scores_and_drivers_and_takes_decisions(
    any_desk: Desk, any_db: DB
) -> None:
    _engine, unit, campaign_id, output_id = _opened(any_desk, any_db)
    any_desk.login("baokontum")
    assert (
        f'href="/outputs/{output_id}"' in any_desk.get(f"/units/{unit}?campaign={campaign_id}").text
    )
    page = any_desk.get(f"/outputs/{output_id}")
    assert page.status_code == 200
    row = page.text.split('id="theme-T3"', 1)[1].split("</tr>", 1)[0]
    assert "Máy gợi ý" in row and "mua bán" in row  # suggested, with the words that drove it
    accept = f"/units/{unit}/outputs/{output_id}/themes/T3/accept"
    assert accept in row
    done = any_desk.post(accept, {"back": "output"})
    assert str(done.url).endswith(f"/outputs/{output_id}")
    row = done.text.split('id="theme-T3"', 1)[1].split("</tr>", 1)[0]
    assert "Đã gán" in row and accept not in row and "mua bán" in row
    undone = any_desk.post(
        f"/units/{unit}/outputs/{output_id}/themes/T3/reject", {"back": "output"}
    )
    assert "Đã bỏ" in undone.text.split('id="theme-T3"', 1)[1].split("</tr>", 1)[0]
    any_desk.login("dakha")
    assert any_desk.get(f"/outputs/{output_id}").status_code == 403
    assert any_desk.get("/outputs/999999999").status_code == 404


def _theme_counts(html: str, code: str) -> list[str]:
    """The dashboard's total, confirmed and suggested counts of one theme."""
    row = html.split(f'id="theme-count-{code}"', 1)[1].split("</tr>", 1)[0]
    return re.findall(r'<td class="num">(\d+)</td>', row)


def test_coordinator_previews_then_bulk_accepts_from_the_dashboard(
    any_desk: Desk, any_db: DB
) -> None:
    engine, _unit, campaign_id, output_id = _opened(any_desk, any_db)
    dash = any_desk.get(f"/campaigns/{campaign_id}/dashboard")
    preview_url = f"/campaigns/{campaign_id}/themes/accept-above"
    assert f'action="{preview_url}"' in dash.text
    assert _theme_counts(dash.text, "T3") == ["1", "0", "1"]  # total, confirmed, by the matcher
    preview = any_desk.get(f"{preview_url}?threshold=0,5")
    assert preview.status_code == 200
    assert "1 sản phẩm chưa có chủ đề sẽ được gán" in preview.text
    assert 'id="bulk-T3">1<' in preview.text
    with session_scope(engine) as session:  # a preview tags nothing
        output = session.get(Output, output_id)
        assert output is not None and output.themes == []
    done = any_desk.post(preview_url, {"threshold": "0.5"})
    assert done.url.path == f"/campaigns/{campaign_id}/dashboard"
    assert "Đã gán" in done.text and "chủ đề theo gợi ý" in done.text
    with session_scope(engine) as session:
        output = session.get(Output, output_id)
        assert output is not None and "T3" in [t.code for t in output.themes]
        examples = session.scalars(select(ThemeExample).where(ThemeExample.output_id == output_id))
        assert all(e.accepted for e in examples)
    assert _theme_counts(done.text, "T3") == ["1", "1", "0"]
    again = any_desk.get(f"{preview_url}?threshold=0.5")
    assert "0 sản phẩm chưa có chủ đề" in again.text and 'id="bulk-accept"' not in again.text
    assert any_desk.get(f"{preview_url}?threshold=abc").status_code == 422
    assert any_desk.get(f"{preview_url}?threshold=0").status_code == 422
    any_desk.login("baokontum")
    assert any_desk.post(preview_url, {"threshold": "0.5"}).status_code == 403
