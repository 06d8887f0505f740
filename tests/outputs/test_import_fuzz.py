"""Property-based fuzz of the importers: outputs CSV/XLSX and the units registry (YAML/CSV).

Whatever the file holds, an import either answers (row errors, warnings, counts) or raises the
importer's own clear error; never another exception, and never a half-written import.
"""

from __future__ import annotations

import csv
import io

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.outputs.factories import make_campaign, make_unit
from trienkhai.errors import InvalidError
from trienkhai.outputs import importer
from trienkhai.outputs.columns import COLUMNS
from trienkhai.outputs.models import Output
from trienkhai.units import service as units
from trienkhai.units.models import Unit
from trienkhai.units.registry_io import CSV_COLUMNS

FUZZ = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
HEADERS = [c.header for c in COLUMNS]
_text = st.text(max_size=40)
_cell = st.one_of(
    st.none(),
    _text,
    st.sampled_from(["báo điện tử", "truyền hình", "bài", "tin", "T1", "T1, T9", "=1+1", "@x",
                     "-2", "1.200", "10/07/2024", "31/02/2024", "2024-07-10T09:00", "99:99",
                     "https://baokontum.com.vn/a", "javascript:alert(1)", "\x00", "1e309"]),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True, allow_infinity=True),
)  # fmt: skip
_header = st.lists(
    st.one_of(st.sampled_from(HEADERS), _text), min_size=0, max_size=len(HEADERS) + 2
)
_rows = st.lists(st.lists(_cell, max_size=len(HEADERS) + 2), max_size=8)


def _outputs(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Output)) or 0)


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerows([["" if c is None else c for c in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def _xlsx(header: list[str], rows: list[list[object]]) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header, *rows]:
        # openpyxl refuses control characters and numbers Excel cannot hold: write them as text.
        sheet.append([_excel_cell(c) for c in row])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _excel_cell(value: object) -> object:
    if isinstance(value, str):
        return "".join(ch for ch in value if ch >= " " or ch in "\t\n")
    if isinstance(value, int) and abs(value) > 2**53:
        return str(value)
    return value


def _check_import(session: Session, filename: str, content: bytes, world: dict[str, int]) -> None:
    """One import: an answer or the importer's own error, and all rows stored or none."""
    before = _outputs(session)
    try:
        with session.begin_nested():
            result = importer.import_outputs(
                session=session,
                actor=None,
                system=True,
                campaign_id=world["campaign"],
                unit_id=world["unit"],
                filename=filename,
                content=content,
                accept_warnings=True,
            )
    except InvalidError:
        assert _outputs(session) == before
        return
    after = _outputs(session)
    if result.errors:
        assert after == before, result.errors
    else:
        assert after - before == result.stored


def _world(session: Session) -> dict[str, int]:
    unit = make_unit(session, websites=["baokontum.com.vn"])
    campaign = make_campaign(session, units=[unit])
    return {"unit": unit.id, "campaign": campaign.id}


def test_csv_import_fuzz(session: Session) -> None:
    world = _world(session)

    @FUZZ
    @given(header=_header, rows=_rows)
    def run(header: list[str], rows: list[list[object]]) -> None:
        _check_import(session, "ket-qua.csv", _csv(header, rows), world)

    run()


def test_xlsx_import_fuzz(session: Session) -> None:
    world = _world(session)

    @FUZZ
    @given(header=_header, rows=_rows)
    def run(header: list[str], rows: list[list[object]]) -> None:
        _check_import(session, "ket-qua.xlsx", _xlsx(header, rows), world)

    run()


def test_raw_bytes_import_fuzz(session: Session) -> None:
    world = _world(session)

    @FUZZ
    @given(content=st.binary(max_size=600), name=st.sampled_from(["a.csv", "a.xlsx", "a.ods"]))
    def run(content: bytes, name: str) -> None:
        _check_import(session, name, content, world)

    run()


_REGISTRY_CELL = st.one_of(
    _text,
    st.sampled_from(["so-tttt", "bao-kon-tum", "Sở Thông tin và Truyền thông", "department",
                     "district", "press", "a|b|", "https://x.vn", "0", "không", "|"]),
)  # fmt: skip
_REGISTRY_HEADER = st.lists(
    st.sampled_from([*CSV_COLUMNS, "code", "name", "x"]), min_size=1, max_size=6
)


def _units(session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(Unit)) or 0)


def _check_registry(session: Session, text: str, filename: str) -> None:
    """A registry file either imports whole or raises RegistryError with nothing written."""
    before = _units(session)
    try:
        registry = units.parse_registry(text=text, filename=filename)
        summary = units.import_registry(session=session, registry=registry, actor=None)
    except InvalidError as exc:
        assert str(exc).strip()
        assert _units(session) == before
        return
    assert _units(session) - before == summary.created


def test_registry_csv_fuzz(session: Session) -> None:
    @FUZZ
    @given(header=_REGISTRY_HEADER, rows=st.lists(st.lists(_REGISTRY_CELL, max_size=6), max_size=5))
    def run(header: list[str], rows: list[list[str]]) -> None:
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows(rows)
        _check_registry(session, buffer.getvalue(), "don-vi.csv")

    run()


def test_registry_yaml_fuzz(session: Session) -> None:
    @FUZZ
    @given(
        text=st.one_of(
            _text,
            st.sampled_from(
                [
                    "units: 3",
                    "units:\n- code: x",
                    "[1, 2]",
                    "units:\n- {code: a, name: A, parent: a}",
                    "groups:\n- {code: g, name: G, units: [zz]}",
                    "&a [*a]",
                    "!!python/object:os.system x",
                ]
            ),
        )
    )
    def run(text: str) -> None:
        _check_registry(session, text, "don-vi.yaml")

    run()
