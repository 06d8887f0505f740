"""Full campaign report (docx + xlsx) over 100,000 outputs of 150 units: target under 10 s."""

from __future__ import annotations

import hashlib
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine, insert
from sqlalchemy.orm import Session

from bench import Result
from trienkhai.campaigns.models import Assignment, Campaign, Theme
from trienkhai.db import make_engine
from trienkhai.migrate import upgrade
from trienkhai.outputs.models import Output, output_themes
from trienkhai.reports import docx, service, xlsx
from trienkhai.units.models import Unit, UnitGroup, group_members

UNITS, OUTPUTS, THEMES = 150, 100_000, 4
TARGET_S = 10.0
TODAY = date(2024, 10, 1)
CHANNELS = ["bao_dien_tu", "phat_thanh", "truyen_hinh", "cong_ttdt", "facebook", "zalo"]


def _seed(engine: Engine) -> int:
    """Bulk-insert one campaign with its units, groups, assignments, outputs and theme links."""
    with Session(engine) as s:
        campaign = Campaign(title="Chiến dịch đo hiệu năng", period_start=date(2024, 7, 1))
        campaign.themes = [
            Theme(code=f"T{i + 1}", position=i, title=f"Nội dung {i + 1}") for i in range(THEMES)
        ]
        s.add(campaign)
        s.flush()
        theme_ids = [t.id for t in campaign.themes]
        s.execute(
            insert(Unit),
            [
                {"code": f"B{i:03d}", "name": f"Đơn vị {i:03d}", "email": f"b{i}@example.org"}
                for i in range(UNITS)
            ],
        )
        s.execute(
            insert(UnitGroup),
            [{"code": f"G{g}", "name": f"Nhóm {g}", "aliases": []} for g in range(3)],
        )
        s.execute(
            insert(group_members), [{"group_id": i % 3 + 1, "unit_id": i + 1} for i in range(UNITS)]
        )
        s.execute(
            insert(Assignment),
            [
                {
                    "campaign_id": campaign.id,
                    "unit_id": i + 1,
                    "deadline": TODAY - timedelta(days=i % 20 - 10),
                    "state": "assigned",
                    "tasks": [],
                    "channels": [],
                    "forms": [],
                    "version": 1,
                }
                for i in range(UNITS)
            ],
        )
        start = datetime(2024, 7, 1, tzinfo=UTC)
        rows = [
            {
                "campaign_id": campaign.id,
                "unit_id": k % UNITS + 1,
                "title": f"Tin bài {k}",
                "url": f"https://example.org/{k}",
                "channel": CHANNELS[k % len(CHANNELS)],
                "form": "tin",
                "published_at": start + timedelta(minutes=k),
                "verification": "verified" if k % 3 else "unverified",
                "dedup_key": hashlib.sha1(str(k).encode()).hexdigest(),
            }
            for k in range(OUTPUTS)
        ]
        s.execute(insert(Output), rows)
        s.execute(
            insert(output_themes),
            [{"output_id": k + 1, "theme_id": theme_ids[k % THEMES]} for k in range(OUTPUTS)],
        )
        s.commit()
        return campaign.id


def run() -> list[Result]:
    """Seconds for the summary queries, the .docx, the .xlsx and all together."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        campaign_id = _seed(engine)
        with Session(engine) as s:
            t0 = time.perf_counter()
            summary = service.campaign_summary(session=s, campaign_id=campaign_id, today=TODAY)
            t1 = time.perf_counter()
            docx.campaign_docx(session=s, campaign_id=campaign_id, summary=summary)
            t2 = time.perf_counter()
            xlsx.campaign_xlsx(session=s, campaign_id=campaign_id, summary=summary)
            t3 = time.perf_counter()
        engine.dispose()
    note = f"{OUTPUTS:,} outputs, {UNITS} units, SQLite; target < {TARGET_S:.0f} s"
    return [
        Result("reports", "aggregate queries", t1 - t0, "s", note),
        Result("reports", "campaign .docx (with 4 charts)", t2 - t1, "s", note),
        Result("reports", "annexes .xlsx", t3 - t2, "s", note),
        Result("reports", "full report (queries + docx + xlsx)", t3 - t0, "s", note),
    ]


if __name__ == "__main__":
    for result in run():
        print(f"{result.metric}: {result.value:.2f} {result.unit}")
