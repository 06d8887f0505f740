"""Server time of each main web page on demo-sized data (target: under 300 ms)."""

from __future__ import annotations

import random
import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, select

from bench import Result
from trienkhai.campaigns.models import Assignment, Theme
from trienkhai.db import make_engine, session_scope
from trienkhai.demo import DEMO_PASSWORD, load_demo
from trienkhai.migrate import upgrade
from trienkhai.outputs.channels import CHANNELS
from trienkhai.outputs.keys import dedup_key
from trienkhai.outputs.models import Output
from trienkhai.text import fold
from trienkhai.web.app import create_app

OUTPUTS = 3000  # a province-sized campaign: ~40 units × a few dozen items each
TARGET_MS = 300.0
REPEAT = 7


def _seed(engine: Engine) -> tuple[int, int]:
    """The demo plus synthetic outputs; returns (campaign id, one unit id)."""
    rng = random.Random(7)
    with session_scope(engine) as session:
        campaign_id = load_demo(session=session).campaign_id
        assignments = list(
            session.scalars(select(Assignment).where(Assignment.campaign_id == campaign_id))
        )
        themes = list(session.scalars(select(Theme).where(Theme.campaign_id == campaign_id)))
        start = datetime(2024, 7, 1, tzinfo=UTC)
        for i in range(OUTPUTS):
            a = rng.choice(assignments)
            title = f"Tin số {i} về nhân quyền và quyền con người"
            channel = rng.choice(CHANNELS).slug
            day = start + timedelta(days=rng.randrange(60))
            key = dedup_key(
                unit_id=a.unit_id, canonical="", channel=channel, title=title, published=day
            )
            out = Output(campaign_id=campaign_id, unit_id=a.unit_id, assignment_id=a.id)
            out.title, out.title_folded, out.channel = title, fold(title), channel
            out.published_at, out.dedup_key = day, key
            out.themes = rng.sample(themes, k=rng.randint(1, min(2, len(themes))))
            session.add(out)
        return campaign_id, assignments[0].unit_id


def _median_ms(client: TestClient, url: str) -> float:
    """Median wall time of GET url (in-process: no network, so this is server time)."""
    times = []
    for _ in range(REPEAT):
        t0 = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - t0) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url}: HTTP {response.status_code}")
    return statistics.median(times)


def run() -> list[Result]:
    """Time each main page as the demo coordinator."""
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'bench.db'}")
        upgrade(engine)
        campaign_id, unit_id = _seed(engine)
        with TestClient(create_app(engine)) as client:
            login = client.get("/login").text
            token = login.split('name="csrf" value="', 1)[1].split('"', 1)[0]
            client.post(
                "/login", data={"csrf": token, "username": "dieuphoi", "password": DEMO_PASSWORD}
            )
            pages = {
                "campaign list": "/campaigns",
                "campaign board": f"/campaigns/{campaign_id}",
                "dashboard": f"/campaigns/{campaign_id}/dashboard",
                "unit page": f"/units/{unit_id}?campaign={campaign_id}",
                "search 'nhan quyen'": "/search?q=nhan+quyen",
                "library": "/library",
            }
            note = f"{OUTPUTS} outputs, median of {REPEAT}, target < {TARGET_MS:.0f} ms"
            results = [
                Result("web", name, _median_ms(client, url), "ms", note)
                for name, url in pages.items()
            ]
        engine.dispose()
    return results


if __name__ == "__main__":
    for result in run():
        print(f"{result.metric:24} {result.value:8.1f} {result.unit}")
