"""Units registry: alias matching, groups, resolution of the sample's phrases, import/export."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tests.factories import SAMPLE_RECIPIENTS, SAMPLE_SECTION_II, make_unit, unique
from trienkhai.units import service as units
from trienkhai.units.matching import match_key, split_phrase
from trienkhai.units.models import Unit, UnitGroup
from trienkhai.units.registry_io import RegistryError
from trienkhai.units.schemas import UnitCreate, UnitUpdate


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("UBND huyện Đắk Hà", "Ủy ban nhân dân huyện Đắk Hà"),
        ("UBND H. Đắk Hà", "Ủy ban nhân dân huyện Đắk Hà"),
        ("Uỷ ban nhân dân H.Đắk Hà;", "ủy ban nhân dân huyện đắk hà"),
        ("TP. Kon Tum", "Thành phố Kon Tum"),
        ("Sở TT&TT", "Sở Thông tin và Truyền thông"),
        ("Sở TTTT", "Sở Thông tin và Truyền thông"),
        ("Đài PT-TH tỉnh", "Đài Phát thanh – Truyền hình tỉnh"),
        ("Đài Phát thanh — Truyền hình tỉnh", "Đài Phát thanh - Truyền hình tỉnh"),
        ("Cổng TTĐT tỉnh", "Cổng thông tin điện tử tỉnh"),
        ("Công thông tin điện tử tỉnh.", "Cổng thông tin điện tử tỉnh"),
        ("*Đài Phát thanh – Truyền hình tỉnh:*", "Đài PT-TH tỉnh"),
        ("- Các Sở, ban, ngành thuộc tỉnh;", "Sở,ban, ngành thuộc tỉnh"),
    ],
)
def test_match_key_variants_agree(left: str, right: str) -> None:
    assert match_key(left) == match_key(right)


def test_match_key_keeps_diacritics() -> None:
    assert match_key("Đắk Hà") != match_key("Dak Ha")
    assert match_key("Sở Y tế") != match_key("Sở Ý tế")


def test_split_phrase_splits_compound_not_names() -> None:
    assert split_phrase("Cổng thông tin điện tử tỉnh và các sở, ban, ngành") == [
        "Cổng thông tin điện tử tỉnh",
        "các sở, ban, ngành",
    ]
    assert split_phrase("Sở Văn hóa, Thể thao và Du lịch") == ["Sở Văn hóa, Thể thao và Du lịch"]


@pytest.fixture
def registry(session: Session) -> Session:
    """The shipped Kon Tum registry loaded into the test transaction."""
    units.load_sample_registry(session=session)
    return session


def test_sample_registry_counts(registry: Session) -> None:
    counts = dict(registry.execute(select(Unit.kind, func.count()).group_by(Unit.kind)).all())
    assert counts["district"] == 10
    assert counts["department"] == 20
    assert counts["portal"] == 1
    assert {g.code for g in units.list_groups(session=registry)} >= {
        "so-ban-nganh",
        "ubnd-huyen",
        "bao-chi-tinh",
        "bao-chi-thuong-tru",
        "bao-chi-tw-dp",
    }


def test_sample_registry_reload_is_idempotent(registry: Session) -> None:
    before = registry.scalar(select(func.count(Unit.id)))
    summary = units.load_sample_registry(session=registry)
    assert summary.created == 0
    assert summary.updated == before
    assert registry.scalar(select(func.count(Unit.id))) == before


@pytest.mark.parametrize(
    "phrase",
    ["UBND huyện Đắk Hà", "Ủy ban nhân dân huyện Đắk Hà", "UBND H. Đắk Hà", "huyện Đăk Hà"],
)
def test_district_aliases_resolve_to_one_unit(registry: Session, phrase: str) -> None:
    res = units.resolve_phrase(session=registry, phrase=phrase)
    assert res.via == "unit"
    assert res.unit is not None
    assert res.unit.code == "h-dak-ha"


@pytest.mark.parametrize(
    ("phrase", "code"),
    [
        ("Sở TT&TT", "so-tttt"),
        ("Sở Thông tin và Truyền thông", "so-tttt"),
        ("Đài PT-TH tỉnh", "dai-ptth"),
        ("Đài Phát thanh – Truyền hình tỉnh", "dai-ptth"),
        ("Cổng TTĐT tỉnh", "cong-ttdt"),
        ("Công thông tin điện tử tỉnh", "cong-ttdt"),
        ("UBND TP. Kon Tum", "tp-kon-tum"),
        ("Sở Lao động – Thương binh và Xã hội", "so-ldtbxh"),
        ("UBND huyện Ia H’Drai", "h-ia-hdrai"),
    ],
)
def test_unit_aliases_resolve(registry: Session, phrase: str, code: str) -> None:
    res = units.resolve_phrase(session=registry, phrase=phrase)
    assert [u.code for u in res.units] == [code]


def _codes(session: Session, phrase: str) -> set[str]:
    return {u.code for u in units.resolve_phrase(session=session, phrase=phrase).units}


def test_sample_recipients_and_section_ii_groups_resolve(registry: Session) -> None:
    for phrase in [*SAMPLE_RECIPIENTS, *SAMPLE_SECTION_II]:
        assert units.resolve_phrase(session=registry, phrase=phrase).resolved, phrase
    districts = _codes(registry, "Ủy ban nhân dân các huyện, thành phố")
    assert len(districts) == 10
    assert "tp-kon-tum" in districts
    assert _codes(registry, "Các cơ quan báo chí tỉnh") == {"bao-kon-tum", "dai-ptth"}
    resident = _codes(registry, "Các cơ quan báo chí thường trú tại địa phương")
    both = _codes(registry, "Các cơ quan báo chí Trung ương và địa phương")
    assert both == resident | {"bao-kon-tum", "dai-ptth"}
    depts = _codes(registry, "Các Sở, ban, ngành thuộc tỉnh")
    assert {"so-tttt", "so-y-te", "cong-an"} <= depts
    assert _codes(registry, "Cổng thông tin điện tử tỉnh và các sở, ban, ngành") == depts | {
        "cong-ttdt"
    }


def test_compound_phrase_resolves_by_split_when_no_group(registry: Session) -> None:
    res = units.resolve_phrase(session=registry, phrase="Báo Kon Tum và Đài PT-TH tỉnh")
    assert res.via == "split"
    assert {u.code for u in res.units} == {"bao-kon-tum", "dai-ptth"}


def test_unknown_phrase_is_unresolved(registry: Session) -> None:
    res = units.resolve_phrase(session=registry, phrase="Phòng VH-TT các huyện, thành phố")
    assert not res.resolved
    assert res.via == "none"
    assert units.resolve_phrase(session=registry, phrase="Báo Kon Tum và Phòng X").via == "none"


def test_search_is_diacritic_insensitive(registry: Session) -> None:
    assert [u.code for u in units.list_units(session=registry, q="dak ha")] == ["h-dak-ha"]
    assert "dai-ptth" in [u.code for u in units.list_units(session=registry, q="Đài PT-TH")]
    assert units.list_units(session=registry, q="khong-co-dau") == []


def test_create_update_delete_unit(session: Session) -> None:
    unit = make_unit(session, "Trung tâm Văn hóa thử nghiệm")
    assert isinstance(unit, Unit)
    found = units.resolve_phrase(session=session, phrase="trung tâm văn hóa thử nghiệm").unit
    assert found is not None
    assert found.id == unit.id
    units.update_unit(session=session, unit=unit, data=UnitUpdate(aliases=["TTVH thử"]), actor=None)
    assert units.resolve_phrase(session=session, phrase="TTVH thử").unit is unit
    units.update_unit(session=session, unit=unit, data=UnitUpdate(aliases=[]), actor=None)
    assert not units.resolve_phrase(session=session, phrase="TTVH thử").resolved
    units.delete_unit(session=session, unit=unit, actor=None)
    assert units.get_by_code(session=session, code=unit.code) is None


def test_alias_clash_is_refused(session: Session) -> None:
    first = make_unit(session, "Tên trùng thử nghiệm")
    assert isinstance(first, Unit)
    with pytest.raises(RegistryError, match="đã thuộc đơn vị"):
        units.create_unit(
            session=session,
            data=UnitCreate(code=unique("dup"), name="Khác", aliases=["Tên TRÙNG thử nghiệm"]),
            actor=None,
        )


# --- import / export ---------------------------------------------------------------------


def test_yaml_round_trip(registry: Session) -> None:
    text = units.export_text(session=registry, fmt="yaml")
    parsed = units.parse_registry(text=text, filename="export.yaml")
    assert len(parsed.units) == registry.scalar(select(func.count(Unit.id)))
    summary = units.import_registry(session=registry, registry=parsed, actor=None)
    assert summary.created == 0
    assert _codes(registry, "UBND các huyện, thành phố") == {
        u.code for u in units.list_units(session=registry, kind="district")
    }
    assert units.export_text(session=registry, fmt="yaml") == text


def test_csv_round_trip(registry: Session) -> None:
    text = units.export_text(session=registry, fmt="csv")
    parsed = units.parse_registry(text=text, filename="export.csv")
    dak_ha = next(u for u in parsed.units if u.code == "h-dak-ha")
    assert "ubnd-huyen" in dak_ha.groups
    assert "UBND huyện Đăk Hà" in dak_ha.aliases
    units.import_registry(session=registry, registry=parsed, actor=None)
    assert units.export_text(session=registry, fmt="csv") == text


def test_csv_import_updates_by_code(session: Session) -> None:
    code = unique("csv")
    first = f"code,name,kind,aliases\n{code},Đơn vị CSV,press,Tên cũ {code}\n"
    units.import_registry(
        session=session, registry=units.parse_registry(text=first, filename="a.csv"), actor=None
    )
    second = f"code,name,kind,aliases\n{code},Đơn vị CSV đổi tên,press,Tên mới {code}\n"
    summary = units.import_registry(
        session=session, registry=units.parse_registry(text=second, filename="a.csv"), actor=None
    )
    assert (summary.created, summary.updated) == (0, 1)
    assert session.scalar(select(func.count()).where(Unit.code == code)) == 1
    unit = units.get_by_code(session=session, code=code)
    assert unit is not None
    assert unit.name == "Đơn vị CSV đổi tên"
    assert not units.resolve_phrase(session=session, phrase=f"Tên cũ {code}").resolved
    assert units.resolve_phrase(session=session, phrase=f"Tên mới {code}").unit is unit


def test_bad_csv_rows_name_row_and_field_and_store_nothing(session: Session) -> None:
    ok = unique("ok")
    text = (
        "code,name,kind\n"
        f"{ok},Đơn vị tốt,press\n"
        "BAD CODE,Đơn vị xấu,press\n"
        f"{unique('k')},Đơn vị loại sai,newspaper\n"
    )
    with pytest.raises(RegistryError) as info:
        units.parse_registry(text=text, filename="bad.csv")
    errors = info.value.errors
    assert any("bad.csv, dòng 3" in e and "'code'" in e for e in errors)
    assert any("bad.csv, dòng 4" in e and "'kind'" in e for e in errors)
    assert units.get_by_code(session=session, code=ok) is None


def test_bad_yaml_names_line_and_field(session: Session) -> None:
    good = unique("y")
    text = (
        "units:\n"
        f"  - code: {good}\n"
        "    name: Tốt\n"
        "  - code: x2\n"
        "    kind: press\n"
        "groups:\n"
        "  - code: g1\n"
        "    name: Nhóm\n"
        "    units: [khong-co]\n"
    )
    with pytest.raises(RegistryError) as info:
        units.parse_registry(text=text, filename="bad.yaml")
    assert any("units[2] (dòng 4)" in e and "'name'" in e for e in info.value.errors)
    registry = units.parse_registry(
        text=text.replace("    kind: press\n", "    name: Hai\n"), filename="bad.yaml"
    )
    with pytest.raises(RegistryError) as info2:
        units.import_registry(session=session, registry=registry, actor=None, source="bad.yaml")
    assert any("groups[1]" in e and "'units'" in e and "khong-co" in e for e in info2.value.errors)
    assert units.get_by_code(session=session, code=good) is None
    assert session.scalar(select(UnitGroup).where(UnitGroup.code == "g1")) is None


def test_duplicate_codes_and_aliases_in_file_are_refused(session: Session) -> None:
    code = unique("d")
    text = (
        f"code,name\n{code},Một tên riêng {code}\n{code},Tên khác {code}\n"
        f"{code}-b,Một tên riêng {code}\n"
    )
    registry = units.parse_registry(text=text, filename="dup.csv")
    with pytest.raises(RegistryError) as info:
        units.import_registry(session=session, registry=registry, actor=None, source="dup.csv")
    joined = "\n".join(info.value.errors)
    assert "duplicate code" in joined
    assert f"trùng với đơn vị '{code}'" in joined
    assert units.get_by_code(session=session, code=code) is None
