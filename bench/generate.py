"""Synthetic province- or nation-sized data: `python -m bench.generate --size small|medium|large`.

Loads into the migrated, empty database that TRIENKHAI_DATABASE_URL names (contract in
BRIEF.md) and prints one JSON line with what it made. Publishing is skewed as it really is: within
a province a unit's share of outputs falls with its rank (Zipf, exponent 1.1), so a few units
(the paper, the radio-TV station, the portal) publish most. Titles are real Vietnamese news
headlines from ../shared/corpus/news when it is present, else phrases built from a small
vocabulary. Everything is seeded: the same size gives the same data.

On PostgreSQL the two big tables (outputs, output_themes) are written with COPY; elsewhere with
batched INSERTs. The generated campaigns are ordinary rows: the API and the pages read them as
they read real ones.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import random
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Table, func, insert, select, text

import trienkhai.models  # noqa: F401 - every table in the metadata
from trienkhai.db import Base, get_engine
from trienkhai.outputs.channels import CHANNELS, FORMS
from trienkhai.outputs.models import output_themes
from trienkhai.text import fold
from trienkhai.units.models import group_members

NEWS = Path(__file__).resolve().parents[1].parent / "shared" / "corpus" / "news"
BATCH = 5_000
TABLES = Base.metadata.tables
ID_TABLES = ("units", "unit_groups", "campaigns", "themes", "assignments", "outputs")


@dataclass(frozen=True)
class Size:
    """How much to make."""

    provinces: int
    units_per_province: int
    campaigns_per_province: int
    outputs: int


SIZES = {
    "small": Size(provinces=1, units_per_province=150, campaigns_per_province=12, outputs=20_000),
    "medium": Size(
        provinces=10, units_per_province=150, campaigns_per_province=12, outputs=200_000
    ),
    "large": Size(
        provinces=34, units_per_province=148, campaigns_per_province=12, outputs=2_000_000
    ),
}

# The 34 provincial units after the 2025 reorganisation (Resolution 202/2025/QH15).
PROVINCES = (
    "Hà Nội", "Huế", "Lai Châu", "Điện Biên", "Sơn La", "Lạng Sơn", "Quảng Ninh", "Thanh Hóa",
    "Nghệ An", "Hà Tĩnh", "Cao Bằng", "Tuyên Quang", "Lào Cai", "Thái Nguyên", "Phú Thọ",
    "Bắc Ninh", "Hưng Yên", "Hải Phòng", "Ninh Bình", "Quảng Trị", "Đà Nẵng", "Quảng Ngãi",
    "Gia Lai", "Khánh Hòa", "Lâm Đồng", "Đắk Lắk", "Hồ Chí Minh", "Đồng Nai", "Tây Ninh",
    "Cần Thơ", "Vĩnh Long", "Đồng Tháp", "Cà Mau", "An Giang",
)  # fmt: skip
DEPARTMENTS = (
    "Sở Văn hóa, Thể thao và Du lịch", "Sở Khoa học và Công nghệ", "Sở Nội vụ", "Sở Tư pháp",
    "Sở Tài chính", "Sở Công Thương", "Sở Nông nghiệp và Môi trường", "Sở Xây dựng", "Sở Y tế",
    "Sở Giáo dục và Đào tạo", "Sở Ngoại vụ", "Sở Dân tộc và Tôn giáo", "Thanh tra tỉnh",
    "Công an tỉnh", "Bộ Chỉ huy Quân sự tỉnh", "Văn phòng UBND tỉnh",
)  # fmt: skip
MEDIA = (
    ("press", "Báo {p}"),
    ("broadcaster", "Đài Phát thanh và Truyền hình {p}"),
    ("portal", "Cổng Thông tin điện tử tỉnh {p}"),
)
COMMUNE_NAMES = (
    "An Phú", "Tân Thành", "Hòa Bình", "Phú Mỹ", "Long Hưng", "Bình Minh", "Thạnh Lộc",
    "Quang Trung", "Hưng Đạo", "Đông Hòa", "Tây Sơn", "Nam Định", "Vĩnh Hưng", "Thuận An",
    "Mỹ Lợi", "Xuân Lộc", "Hiệp Phước", "Tân Lập", "Cẩm Giàng", "Phước Long",
)  # fmt: skip
TOPICS = (
    ("Phòng, chống mua bán người", ("mua bán người", "nạn nhân", "lừa đảo", "xuất khẩu lao động")),
    ("Chuyển đổi số", ("chuyển đổi số", "dịch vụ công trực tuyến", "dữ liệu", "định danh")),
    ("An toàn giao thông", ("tai nạn giao thông", "nồng độ cồn", "mũ bảo hiểm", "tốc độ")),
    ("Phòng cháy, chữa cháy", ("cháy", "chữa cháy", "cứu nạn", "thoát hiểm")),
    ("Bảo vệ quyền con người", ("quyền con người", "nhân quyền", "bình đẳng", "trẻ em")),
    ("Cải cách hành chính", ("thủ tục hành chính", "một cửa", "hồ sơ", "cải cách")),
    ("Phòng, chống thiên tai", ("bão", "lũ", "sạt lở", "di dời")),
    ("Bảo vệ nền tảng tư tưởng của Đảng", ("thông tin xấu độc", "luận điệu", "tư tưởng")),
)  # fmt: skip
STATES = ("assigned", "acknowledged", "in_progress", "reported", "verified")
STATE_WEIGHTS = (0.15, 0.15, 0.3, 0.3, 0.1)


@dataclass
class Made:
    """Counts of what was made, printed as the one JSON line."""

    size: str
    engine: str
    provinces: int = 0
    units: int = 0
    groups: int = 0
    campaigns: int = 0
    themes: int = 0
    assignments: int = 0
    outputs: int = 0
    output_themes: int = 0
    titles_from_corpus: bool = False
    seconds: float = 0.0


@dataclass
class Ids:
    """The next free id of each table (ids are given here so rows can point at each other)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, table: str) -> int:
        """A fresh id of the table."""
        value = self.next[table]
        self.next[table] = value + 1
        return value


def corpus_titles(limit: int = 40_000) -> list[str]:
    """Headlines of the news corpus, or an empty list when it is absent."""
    titles: list[str] = []
    for name in ("vntc-train.jsonl.gz", "vntc-test.jsonl.gz", "recent.jsonl.gz"):
        path = NEWS / name
        if not path.exists():
            continue
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            for line in handle:
                title = str(json.loads(line).get("title", "")).strip()
                if 10 <= len(title) <= 300:
                    titles.append(title)
                if len(titles) >= limit:
                    return titles
    return titles


def made_up_titles(rng: random.Random, count: int = 5_000) -> list[str]:
    """Headlines built from the campaign topics' words, for a clone without the corpus."""
    verbs = ("Tuyên truyền", "Tăng cường", "Hội nghị về", "Ra quân", "Tọa đàm", "Phóng sự:")
    places = (*COMMUNE_NAMES, *PROVINCES)
    return [
        f"{rng.choice(verbs)} {rng.choice(rng.choice(TOPICS)[1])} tại {rng.choice(places)}"
        for _ in range(count)
    ]


def zipf_weights(count: int, exponent: float = 1.1) -> list[float]:
    """Publishing shares by rank: a few units publish most."""
    return [1 / (rank**exponent) for rank in range(1, count + 1)]


def province_units(province: str, p: int, per: int) -> list[tuple[str, str, str]]:
    """(code, name, kind) of one province's units: media first, departments, then communes."""
    units = [
        (f"P{p:02d}-{kind[:3].upper()}", name.format(p=province), kind) for kind, name in MEDIA
    ]
    for i, name in enumerate(DEPARTMENTS):
        units.append((f"P{p:02d}-SO{i:02d}", f"{name} {province}", "department"))
    i = 0
    while len(units) < per:
        base = COMMUNE_NAMES[i % len(COMMUNE_NAMES)]
        suffix = f" {i // len(COMMUNE_NAMES) + 1}" if i >= len(COMMUNE_NAMES) else ""
        units.append((f"P{p:02d}-X{i:03d}", f"UBND xã {base}{suffix}, {province}", "commune"))
        i += 1
    return units[:per]


def _bulk(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """Insert rows in batches: COPY on PostgreSQL, executemany elsewhere; how many."""
    if connection.dialect.name == "postgresql":
        return _copy(connection, table, rows)
    count = 0
    for batch in _batches(rows):
        connection.execute(insert(table), batch)
        count += len(batch)
    return count


def _batches(rows: Iterable[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Rows in lists of BATCH."""
    batch: list[dict[str, Any]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


def _copy(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows into a PostgreSQL table through the driver (JSON columns given as text)."""
    iterator = (_with_defaults(table, row) for row in rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = list(first)
    raw = connection.connection.driver_connection
    assert raw is not None
    count = 0
    with raw.cursor() as cursor:
        sql = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
        with cursor.copy(sql) as copy:
            for row in _chain(first, iterator):
                copy.write_row([_copy_value(row[c]) for c in columns])
                count += 1
    return count


def _with_defaults(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """The row with the Python-side defaults of the columns it leaves out (COPY applies none)."""
    missing = {}
    for column in table.columns:
        default = column.default
        if column.name in row or default is None or not hasattr(default, "arg"):
            continue
        arg = default.arg
        missing[column.name] = arg(None) if callable(arg) else arg
    return {**row, **missing}


def _chain(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    """The first row, then the others."""
    yield first
    yield from rest


def _copy_value(value: Any) -> Any:
    """A Python value as COPY takes it (lists and dicts as JSON text)."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def _start_ids(connection: Connection) -> Ids:
    """Ids continue after whatever the tables hold."""
    ids = Ids()
    for name in ID_TABLES:
        table = TABLES[name]
        top = connection.execute(select(func.max(table.c.id))).scalar() or 0
        ids.next[table.name] = int(top) + 1
    return ids


def _reset_sequences(connection: Connection) -> None:
    """After rows were given explicit ids, PostgreSQL's sequences must move past them."""
    if connection.dialect.name != "postgresql":
        return
    for name in ID_TABLES:
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                f"(SELECT COALESCE(MAX(id), 1) FROM {name}))"
            )
        )


@dataclass
class Province:
    """One generated province: its units' ids with their publishing weights."""

    name: str
    unit_ids: list[int]
    weights: list[float]


class Generator:
    """Makes the rows of one size, seeded."""

    def __init__(self, size: Size, rng: random.Random, titles: Sequence[str]):
        self.size = size
        self.rng = rng
        self.titles = titles
        self.channels = [t.slug for t in CHANNELS if t.slug != "khac"]
        self.forms = [t.slug for t in FORMS if t.slug != "khac"]
        self.now = datetime.now(UTC)

    def units(self, connection: Connection, ids: Ids, made: Made) -> list[Province]:
        """Units and one group per kind and province."""
        provinces: list[Province] = []
        unit_rows: list[dict[str, Any]] = []
        group_rows: list[dict[str, Any]] = []
        member_rows: list[dict[str, Any]] = []
        for p, name in enumerate(PROVINCES[: self.size.provinces]):
            by_kind: dict[str, list[int]] = {}
            unit_ids: list[int] = []
            for code, unit_name, kind in province_units(name, p, self.size.units_per_province):
                unit_id = ids.take("units")
                unit_ids.append(unit_id)
                by_kind.setdefault(kind, []).append(unit_id)
                unit_rows.append(self._unit_row(unit_id, code, unit_name, kind))
            for kind, members in by_kind.items():
                group_id = ids.take("unit_groups")
                group_rows.append(self._group_row(group_id, f"P{p:02d}-{kind}", f"{kind} {name}"))
                member_rows += [{"group_id": group_id, "unit_id": u} for u in members]
            order = unit_ids[:]
            self.rng.shuffle(order[3:])  # the three media units stay the heaviest publishers
            provinces.append(Province(name, order, zipf_weights(len(order))))
        made.units = _bulk(connection, TABLES["units"], unit_rows)
        made.groups = _bulk(connection, TABLES["unit_groups"], group_rows)
        _bulk(connection, group_members, member_rows)
        made.provinces = len(provinces)
        return provinces

    def _unit_row(self, unit_id: int, code: str, name: str, kind: str) -> dict[str, Any]:
        """A unit row with every column."""
        return {
            "id": unit_id, "code": code, "name": name, "short_name": "", "kind": kind,
            "parent_id": None, "contact_name": "", "email": "", "phone": "", "websites": [],
            "feeds": [], "fanpages": [], "active": True, "note": "",
            "created_at": self.now, "updated_at": self.now,
        }  # fmt: skip

    def _group_row(self, group_id: int, code: str, name: str) -> dict[str, Any]:
        """A unit group row with every column."""
        return {"id": group_id, "code": code, "name": name, "aliases": []}

    def campaigns(
        self, connection: Connection, ids: Ids, provinces: list[Province], made: Made
    ) -> list[tuple[int, date, date, list[int], list[tuple[int, int, float]]]]:
        """Campaigns with themes and assignments; per campaign (id, start, end, themes, units)."""
        plans = []
        campaign_rows, theme_rows, assignment_rows = [], [], []
        start_day = date(2025, 7, 1)
        for province in provinces:
            for c in range(self.size.campaigns_per_province):
                campaign_id = ids.take("campaigns")
                topic, keywords = TOPICS[(c + len(province.name)) % len(TOPICS)]
                begin = start_day + timedelta(days=45 * c)
                end = begin + timedelta(days=60)
                campaign_rows.append(
                    self._campaign_row(campaign_id, topic, province.name, begin, end)
                )
                theme_ids = []
                for t, keyword in enumerate(keywords):
                    theme_id = ids.take("themes")
                    theme_ids.append(theme_id)
                    theme_rows.append(
                        {"id": theme_id, "campaign_id": campaign_id, "code": f"T{t + 1}",
                         "position": t, "title": f"{topic}: {keyword}",
                         "text": f"Tuyên truyền về {keyword} trong {topic.lower()}",
                         "keywords": [keyword]}
                    )  # fmt: skip
                assigned = []
                for unit_id, weight in zip(province.unit_ids, province.weights, strict=True):
                    if self.rng.random() < 0.7 or weight > 0.2:
                        assignment_id = ids.take("assignments")
                        assigned.append((unit_id, assignment_id, weight))
                        assignment_rows.append(
                            self._assignment_row(assignment_id, campaign_id, unit_id, end)
                        )
                plans.append((campaign_id, begin, end, theme_ids, assigned))
        made.campaigns = _bulk(connection, TABLES["campaigns"], campaign_rows)
        made.themes = _bulk(connection, TABLES["themes"], theme_rows)
        made.assignments = _bulk(connection, TABLES["assignments"], assignment_rows)
        return plans

    def _campaign_row(
        self, campaign_id: int, topic: str, province: str, begin: date, end: date
    ) -> dict[str, Any]:
        """A campaign row with every column."""
        status = "closed" if end < self.now.date() else "active"
        return {
            "id": campaign_id, "title": f"{topic} năm 2025-2026 ({province})",
            "directive_id": None, "status": status, "period_start": begin, "period_end": end,
            "report_deadline": end + timedelta(days=10), "description": "",
            "created_by_id": None, "closed_at": None, "report_number": "", "report_date": None,
            "copied_from_id": None, "created_at": self.now, "updated_at": self.now,
        }  # fmt: skip

    def _assignment_row(
        self, assignment_id: int, campaign_id: int, unit_id: int, end: date
    ) -> dict[str, Any]:
        """An assignment row with every column."""
        state = self.rng.choices(STATES, STATE_WEIGHTS)[0]
        return {
            "id": assignment_id, "campaign_id": campaign_id, "unit_id": unit_id, "state": state,
            "deadline": end, "tasks": [], "channels": [], "forms": [], "note": "", "version": 1,
            "created_at": self.now, "updated_at": self.now,
        }  # fmt: skip

    def outputs(self, connection: Connection, ids: Ids, plans: list[Any], made: Made) -> None:
        """Outputs campaign by campaign, skewed over units, with one or two themes each."""
        share, extra = divmod(self.size.outputs, max(1, len(plans)))
        for index, (campaign_id, begin, end, theme_ids, assigned) in enumerate(plans):
            per_campaign = share + (1 if index < extra else 0)
            weights = [w for _, _, w in assigned]
            rows, links = [], []
            for unit_id, assignment_id, _ in self.rng.choices(assigned, weights, k=per_campaign):
                output_id = ids.take("outputs")
                rows.append(
                    self._output_row(output_id, (campaign_id, begin, end), (unit_id, assignment_id))
                )
                for theme_id in self.rng.sample(theme_ids, self.rng.choice((1, 1, 2))):
                    links.append({"output_id": output_id, "theme_id": theme_id})
            made.outputs += _bulk(connection, TABLES["outputs"], rows)
            made.output_themes += _bulk(connection, output_themes, links)

    def _output_row(
        self, output_id: int, campaign: tuple[int, date, date], unit: tuple[int, int]
    ) -> dict[str, Any]:
        """An output row with every column (a URL for online channels)."""
        (campaign_id, begin, end), (unit_id, assignment_id) = campaign, unit
        title = self.rng.choice(self.titles)
        channel = self.rng.choice(self.channels)
        day = begin + timedelta(days=self.rng.randrange((end - begin).days + 1))
        published = datetime(day.year, day.month, day.day, self.rng.randrange(6, 22), tzinfo=UTC)
        online = channel not in ("phat_thanh", "truyen_hinh", "bao_in")
        url = f"https://u{unit_id}.gov.vn/tin/{output_id}.html" if online else ""
        key = hashlib.sha256(f"gen|{output_id}".encode()).hexdigest()
        return {
            "id": output_id, "campaign_id": campaign_id, "unit_id": unit_id,
            "assignment_id": assignment_id, "title": title, "title_folded": fold(title),
            "url": url, "canonical_url": url.split("://", 1)[-1] if url else "",
            "channel": channel, "form": self.rng.choice(self.forms), "published_at": published,
            "duration_seconds": None, "reach": None, "source": "reported",
            "verification": "unverified", "dedup_key": key, "content_hash": "", "excerpt": "",
            "note": "", "created_by_id": None, "created_at": published, "updated_at": published,
            "removed_at": None, "removed_by_id": None, "removed_reason": "",
        }  # fmt: skip


def generate(engine: Engine, size_name: str, seed: int = 2026) -> Made:
    """Make one size of data in the database, in one transaction; what was made."""
    started = time.perf_counter()
    rng = random.Random(seed)
    titles = corpus_titles()
    made = Made(size=size_name, engine=engine.dialect.name, titles_from_corpus=bool(titles))
    generator = Generator(SIZES[size_name], rng, titles or made_up_titles(rng))
    with engine.begin() as connection:
        if connection.execute(select(func.count()).select_from(TABLES["units"])).scalar():
            msg = "the database already holds units: generate into a migrated, empty database"
            raise SystemExit(msg)
        ids = _start_ids(connection)
        provinces = generator.units(connection, ids, made)
        plans = generator.campaigns(connection, ids, provinces, made)
        generator.outputs(connection, ids, plans, made)
        _reset_sequences(connection)
    made.seconds = round(time.perf_counter() - started, 1)
    return made


def main(argv: Sequence[str] | None = None) -> None:
    """Parse the size, generate, print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    made = generate(get_engine(), args.size, args.seed)
    sys.stdout.write(json.dumps(made.__dict__, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
