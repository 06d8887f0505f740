"""Unit page: an output logged without a theme gets a suggestion; accepting it tags the output."""

from __future__ import annotations

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


def test_suggested_theme_is_accepted_from_the_unit_page(any_desk: Desk, any_db: DB) -> None:
    engine, ids = any_db
    unit = ids["bao-kon-tum"]
    any_desk.login("dieuphoi")
    campaign_id = open_campaign(any_desk)
    output_id = _logged(engine, campaign_id, unit)
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
