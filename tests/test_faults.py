"""Faults on a real server: killed in the middle of an import; the database cut off for 10 s."""

from __future__ import annotations

import asyncio
import io
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path

import httpx
import pytest
from bench.live import LiveServer, start_server
from bench.seed import PASSWORD, Editor, seed
from openpyxl import Workbook
from sqlalchemy import Engine, func, select
from sqlalchemy.engine import make_url

from tests.databases import fresh_url
from tests.tcp_proxy import TcpProxy
from trienkhai.db import make_engine
from trienkhai.outputs.models import Output

ROWS = 300
# Inside the demo campaign's period (21 days back to 7 ahead): outputs outside it are refused.
DAY = date.today() - timedelta(days=3)
DAY_VN = DAY.strftime("%d/%m/%Y")
DAY_AT = f"{DAY.isoformat()}T08:00:00"
TITLE = "Nhập thử số"


def workbook(rows: int) -> bytes:
    """A valid outputs workbook of `rows` printed items (no links to check)."""
    book = Workbook()
    sheet = book.active
    sheet.append(["Tiêu đề", "Kênh", "Hình thức", "Ngày đăng", "Nội dung"])
    for n in range(rows):
        sheet.append([f"{TITLE} {n} về quyền con người", "báo in", "tin", DAY_VN, "T1"])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def sign_in(base: str, username: str) -> httpx.Client:
    """A client carrying the editor's bearer token."""
    client = httpx.Client(base_url=base, timeout=120)
    token = client.post("/api/v1/auth/token", json={"username": username, "password": PASSWORD})
    token.raise_for_status()
    client.headers["Authorization"] = f"Bearer {token.json()['access_token']}"
    return client


def imported(engine: Engine, unit_id: int) -> tuple[int, int]:
    """(rows, distinct natural keys) of the test's imported outputs for a unit."""
    with engine.connect() as conn:
        where = (Output.unit_id == unit_id, Output.title.startswith(TITLE))
        rows = conn.scalar(select(func.count()).select_from(Output).where(*where)) or 0
        keys = conn.scalar(select(func.count(func.distinct(Output.dedup_key))).where(*where)) or 0
    return rows, keys


def post_import(
    client: httpx.Client, campaign_id: int, editor: Editor, content: bytes
) -> httpx.Response:
    """POST the workbook to the import API."""
    return client.post(
        "/api/v1/outputs/import",
        data={"unit_id": str(editor.unit_id), "campaign_id": str(campaign_id)},
        files={"file": ("ket-qua.xlsx", content)},
    )


@pytest.fixture
def seeded(kind: str, tmp_path: Path, urls: list[str]) -> Iterator[tuple[str, int, list[Editor]]]:
    """A seeded database of each kind: its URL, the campaign and two editors of two units."""
    url = fresh_url(kind, tmp_path, "faults")
    urls.append(url)
    engine = make_engine(url)
    campaign_id, editors = seed(engine, editors=2)
    engine.dispose()
    yield url, campaign_id, editors


@pytest.mark.slow
def test_server_killed_mid_import_leaves_nothing_half_written(
    seeded: tuple[str, int, list[Editor]], tmp_path: Path
) -> None:
    url, campaign_id, (victim, other) = seeded
    env = {"TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_DATA_DIR": str(tmp_path)}
    content = workbook(ROWS)
    victims = workbook(2 * ROWS)  # twice the calibration file: the kill lands about halfway
    server = start_server(env, tmp_path / "server.log")
    try:
        # Time a whole import of half the victim's rows (another unit): killing after that long
        # lands about halfway through the victim's import, when rows are being written
        # (storing takes ~85% of an import), with room for the machine's speed to vary 2x.
        started = time.monotonic()
        with closing(sign_in(server.base, other.username)) as client:
            full = post_import(client, campaign_id, other, content)
        took = time.monotonic() - started
        assert full.status_code == 200, full.text
        assert full.json()["stored"] == ROWS
        client = sign_in(server.base, victim.username)
        failed: list[BaseException] = []
        request = threading.Thread(
            target=lambda: _capture(failed, post_import, client, campaign_id, victim, victims)
        )
        request.start()
        time.sleep(took)
        server.kill()
        request.join(timeout=30)
        client.close()
    finally:
        server.stop()
    assert failed and isinstance(failed[0], httpx.TransportError), "the kill came too late"

    engine = make_engine(url)
    rows, _ = imported(engine, victim.unit_id)
    assert rows in (0, 2 * ROWS), f"half-written import: {rows} of {2 * ROWS} rows"
    server = start_server(env, tmp_path / "server.log")
    try:
        with closing(sign_in(server.base, victim.username)) as client:
            again = post_import(client, campaign_id, victim, victims)
    finally:
        server.stop()
    assert again.status_code == 200, again.text
    assert again.json()["stored"] + again.json()["duplicates"] == 2 * ROWS
    assert imported(engine, victim.unit_id) == (2 * ROWS, 2 * ROWS)
    assert imported(engine, other.unit_id) == (ROWS, ROWS)
    engine.dispose()


def _capture(failed: list[BaseException], call: object, *args: object) -> None:
    """Run call(*args) in a thread, keeping the exception it raised."""
    try:
        call(*args)  # type: ignore[operator]
    except BaseException as exc:
        failed.append(exc)


def _statuses(
    client: httpx.Client, campaign_id: int, editor: Editor, n: int
) -> list[httpx.Response]:
    """A read (API), a write (API) and a page: what an editor does."""
    body = {"campaign_id": campaign_id, "unit_id": editor.unit_id, "channel": "báo in",
            "title": f"Tin trong sự cố {n}", "published_at": DAY_AT}  # fmt: skip
    return [
        client.get("/api/v1/outputs", params={"campaign_id": campaign_id, "limit": 5}),
        client.post("/api/v1/outputs", json=body),
        client.get(f"/units/{editor.unit_id}"),
    ]


@pytest.mark.slow
@pytest.mark.postgres
def test_database_cut_off_gives_503_then_recovers(tmp_path: Path, urls: list[str]) -> None:
    direct = fresh_url("postgres", tmp_path, "outage")
    urls.append(direct)
    engine = make_engine(direct)
    campaign_id, (editor, _) = seed(engine, editors=2)
    proxy = TcpProxy(("127.0.0.1", 5432))
    proxy.start()
    through = make_url(direct).set(host="127.0.0.1", port=proxy.port)
    env = {"TRIENKHAI_DATABASE_URL": through.render_as_string(hide_password=False),
           "TRIENKHAI_DATA_DIR": str(tmp_path)}  # fmt: skip
    server: LiveServer = start_server(env, tmp_path / "server.log")
    try:
        client = sign_in(server.base, editor.username)
        before = _statuses(client, campaign_id, editor, 0)
        assert [r.status_code for r in before] == [200, 201, 200], [r.text for r in before]

        proxy.stop()
        outage: list[httpx.Response] = []
        ends = time.monotonic() + 10
        n = 1
        while time.monotonic() < ends:
            outage += _statuses(client, campaign_id, editor, n)
            n += 1
            time.sleep(0.3)
        proxy.start()
        assert {r.status_code for r in outage} == {503}, [
            (r.status_code, r.text[:200]) for r in outage
        ]
        assert all("Cơ sở dữ liệu tạm thời không truy cập được" in r.text for r in outage)
        assert all("Traceback" not in r.text for r in outage)

        deadline = time.monotonic() + 15
        while True:
            after = _statuses(client, campaign_id, editor, 10_000)
            if [r.status_code for r in after] == [200, 201, 200] or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert [r.status_code for r in after] == [200, 201, 200], [r.text[:200] for r in after]
        client.close()
    finally:
        server.stop()
        proxy.stop()
        engine.dispose()
    log = (tmp_path / "server.log").read_text(errors="replace")
    assert "Traceback" not in log
    with engine.connect() as conn:  # nothing written during the outage, the writes around it kept
        titles = set(
            conn.scalars(select(Output.title).where(Output.title.like("Tin trong sự cố%")))
        )
    assert titles == {"Tin trong sự cố 0", "Tin trong sự cố 10000"}
    from tests.db_fixtures import drop_pg_database  # noqa: PLC0415

    engine.dispose()
    drop_pg_database(direct)


async def _burst(base: str, token: str, path: str, count: int) -> list[int | str]:
    """`count` requests at the same moment; their status codes (or the transport error)."""
    headers = {"Authorization": f"Bearer {token}"}
    limits = httpx.Limits(max_connections=count)
    async with httpx.AsyncClient(base_url=base, headers=headers, timeout=120, limits=limits) as c:

        async def one() -> int | str:
            try:
                return (await c.get(path)).status_code
            except httpx.TransportError as exc:
                return type(exc).__name__

        return list(await asyncio.gather(*(one() for _ in range(count))))


@pytest.mark.slow
def test_more_requests_than_connections_do_not_deadlock(tmp_path: Path) -> None:
    url = fresh_url("sqlite", tmp_path, "burst")
    engine = make_engine(url)
    campaign_id, (editor, _) = seed(engine, editors=2)
    engine.dispose()
    env = {"TRIENKHAI_DATABASE_URL": url, "TRIENKHAI_DATA_DIR": str(tmp_path)}
    server = start_server(env, tmp_path / "server.log")
    try:
        with closing(sign_in(server.base, editor.username)) as client:
            token = client.headers["Authorization"].removeprefix("Bearer ")
        path = f"/api/v1/outputs?campaign_id={campaign_id}&limit=5"
        started = time.monotonic()
        codes = asyncio.run(_burst(server.base, token, path, 150))
        took = time.monotonic() - started
    finally:
        server.stop()
    assert codes == [200] * 150, sorted(set(map(str, codes)))
    assert took < 60  # before the gate: pool timeouts after 30 s, then 500s
