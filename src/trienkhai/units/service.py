"""Units registry: CRUD, aliases, groups, phrase resolution, YAML/CSV import and export."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session, lazyload

from trienkhai.campaigns.models import Assignment
from trienkhai.text import fold, nfc
from trienkhai.units import registry_io
from trienkhai.units.matching import match_key, split_phrase
from trienkhai.units.models import Unit, UnitAlias, UnitGroup, UnitKind, group_members
from trienkhai.units.registry_io import RegistryError
from trienkhai.units.schemas import (
    GroupCreate,
    GroupRead,
    ImportSummary,
    RegistryFile,
    ResolutionRead,
    UnitBrief,
    UnitCreate,
    UnitRead,
    UnitUpdate,
    check_code,
)
from trienkhai.users.models import User
from trienkhai.users.service import audit

SAMPLE_REGISTRY = Path(__file__).resolve().parent / "data" / "kon-tum-2024.yaml"

__all__ = ["RegistryError", "Resolution"]


# --- reading -----------------------------------------------------------------------------


def get(*, session: Session, unit_id: int) -> Unit | None:
    """The unit with this id, if any."""
    return session.get(Unit, unit_id)


def get_by_code(*, session: Session, code: str) -> Unit | None:
    """The unit with this code, if any."""
    return session.scalar(select(Unit).where(Unit.code == code.strip()))


@dataclass(frozen=True)
class UnitChoice:
    """A unit as a pick list shows it: id and name only."""

    id: int
    name: str


def unit_choices(*, session: Session, active: bool | None = None) -> list[UnitChoice]:
    """Units for a pick list, by kind and name: two columns, because a nation has 5,000 units
    and a page may list them several times."""
    stmt = select(Unit.id, Unit.name).order_by(Unit.kind, Unit.name)
    if active is not None:
        stmt = stmt.where(Unit.active == active)
    return [UnitChoice(unit_id, name) for unit_id, name in session.execute(stmt)]


def count_active(*, session: Session) -> int:
    """How many units are active (a pick list's size)."""
    return int(
        session.scalar(select(func.count()).select_from(Unit).where(Unit.active.is_(True))) or 0
    )


PICK_LIST_MAX = 300  # beyond this many units a page asks for them as the user types


def find_choices(
    *, session: Session, q: str, exclude: set[int] | None = None, limit: int = 50
) -> list[UnitChoice]:
    """Active units whose name or code holds the typed text (diacritics ignored), up to `limit`."""
    needle, skip = fold(q.strip()), exclude or set()
    found: list[UnitChoice] = []
    stmt = select(Unit.id, Unit.name, Unit.code).where(Unit.active.is_(True))
    for unit_id, name, code in session.execute(stmt.order_by(Unit.kind, Unit.name)):
        if unit_id in skip or (needle and needle not in fold(f"{name} {code}")):
            continue
        found.append(UnitChoice(unit_id, name))
        if len(found) >= limit:
            break
    return found


def list_units(
    *, session: Session, q: str | None = None, kind: str | None = None, active: bool | None = None
) -> list[Unit]:
    """Units ordered by kind and name; `q` matches name, code or alias ignoring diacritics."""
    stmt = select(Unit).order_by(Unit.kind, Unit.name)
    if kind:
        stmt = stmt.where(Unit.kind == kind)
    if active is not None:
        stmt = stmt.where(Unit.active == active)
    units = list(session.scalars(stmt))
    if not q:
        return units
    # A province has at most a few thousand units: folding in Python keeps search identical
    # on SQLite and PostgreSQL (neither folds Vietnamese diacritics by itself).
    needle = fold(match_key(q)) or fold(q.strip())
    return [unit for unit in units if needle in _haystack(unit)]


def _haystack(unit: Unit) -> str:
    """Everything a search may match in a unit, folded."""
    names = [unit.code, unit.name, unit.short_name, *(a.alias for a in unit.aliases)]
    return " | ".join(fold(match_key(name)) + " " + fold(name) for name in names if name)


def to_read(unit: Unit) -> UnitRead:
    """The API shape of a unit."""
    parent = None
    if unit.parent_id is not None:
        parent_unit = _session_of(unit).get(Unit, unit.parent_id)
        parent = parent_unit.code if parent_unit else None
    return UnitRead(
        id=unit.id,
        code=unit.code,
        name=unit.name,
        short_name=unit.short_name,
        kind=UnitKind(unit.kind),
        parent=parent,
        contact_name=unit.contact_name,
        email=unit.email,
        phone=unit.phone,
        websites=list(unit.websites or []),
        feeds=list(unit.feeds or []),
        fanpages=list(unit.fanpages or []),
        active=unit.active,
        note=unit.note,
        aliases=[a.alias for a in unit.aliases],
        groups=sorted(g.code for g in unit.groups),
    )


def _session_of(unit: Unit) -> Session:
    """The session a loaded unit belongs to."""
    session = Session.object_session(unit)
    if session is None:  # pragma: no cover - units are always read through a session
        msg = "unit is detached"
        raise RuntimeError(msg)
    return session


def brief(unit: Unit) -> UnitBrief:
    """The short shape of a unit named inside another record."""
    return UnitBrief(id=unit.id, code=unit.code, name=unit.name, kind=unit.kind)


def list_groups(*, session: Session) -> list[UnitGroup]:
    """All groups ordered by name."""
    return list(session.scalars(select(UnitGroup).order_by(UnitGroup.name)))


def groups_with_members(*, session: Session) -> list[tuple[UnitGroup, set[int]]]:
    """Every group (by name) with the ids of its units, in two queries.

    The groups' `units` relationship is not loaded: selectin would read every Unit object of the
    nation (5,000 at national size) only for their ids, which the membership table has.
    """
    groups = list(
        session.scalars(
            select(UnitGroup).options(lazyload(UnitGroup.units)).order_by(UnitGroup.name)
        )
    )
    members: dict[int, set[int]] = {g.id: set() for g in groups}
    for group_id, unit_id in session.execute(
        select(group_members.c.group_id, group_members.c.unit_id)
    ):
        members.setdefault(int(group_id), set()).add(int(unit_id))
    return [(g, members[g.id]) for g in groups]


def get_group_by_code(*, session: Session, code: str) -> UnitGroup | None:
    """The group with this code, if any."""
    return session.scalar(select(UnitGroup).where(UnitGroup.code == code.strip()))


def group_read(group: UnitGroup) -> GroupRead:
    """The API shape of a group."""
    members = sorted(group.units, key=lambda u: (u.kind, u.name))
    return GroupRead(
        id=group.id,
        code=group.code,
        name=group.name,
        aliases=list(group.aliases or []),
        units=[brief(u) for u in members],
    )


# --- resolution --------------------------------------------------------------------------


@dataclass
class Resolution:
    """What a recipient phrase names: one unit, a group's members, or nothing."""

    phrase: str
    via: str = "none"  # "unit", "group", "split", "none"
    units: list[Unit] = field(default_factory=list)
    group: UnitGroup | None = None
    parts: list[Resolution] = field(default_factory=list)

    @property
    def resolved(self) -> bool:
        """Whether the phrase named at least one unit."""
        return bool(self.units)

    @property
    def unit(self) -> Unit | None:
        """The unit when the phrase names exactly one."""
        return self.units[0] if self.via == "unit" else None

    def read(self) -> ResolutionRead:
        """The API shape."""
        return ResolutionRead(
            phrase=self.phrase,
            resolved=self.resolved,
            via=self.via,
            group=self.group.code if self.group else None,
            units=[brief(u) for u in self.units],
        )


def _unit_by_key(session: Session, phrase_key: str) -> Unit | None:
    """The unit one of whose aliases has this key."""
    return session.scalar(
        select(Unit)
        .join(UnitAlias, UnitAlias.unit_id == Unit.id)
        .where(UnitAlias.key == phrase_key)
    )


def _group_by_key(session: Session, phrase_key: str) -> UnitGroup | None:
    """The group whose name or one of whose aliases has this key."""
    for group in list_groups(session=session):
        if phrase_key in {match_key(name) for name in [group.name, *(group.aliases or [])]}:
            return group
    return None


def _resolve_whole(session: Session, phrase: str) -> Resolution:
    """Resolve the phrase as one name (a unit alias or a group), without splitting."""
    phrase_key = match_key(phrase)
    if not phrase_key:
        return Resolution(phrase=phrase)
    unit = _unit_by_key(session, phrase_key)
    if unit is not None:
        return Resolution(phrase=phrase, via="unit", units=[unit])
    group = _group_by_key(session, phrase_key)
    if group is not None:
        members = sorted((u for u in group.units if u.active), key=lambda u: (u.kind, u.name))
        return Resolution(phrase=phrase, via="group", units=members, group=group)
    return Resolution(phrase=phrase)


def resolve_phrase(*, session: Session, phrase: str) -> Resolution:
    """The unit(s) a recipient phrase names; compound phrases resolve only if every part does."""
    whole = _resolve_whole(session, phrase)
    if whole.resolved:
        return whole
    parts = split_phrase(phrase)
    if len(parts) < 2:
        return whole
    resolutions = [_resolve_whole(session, part) for part in parts]
    if not all(r.resolved for r in resolutions):
        return whole
    units: dict[int, Unit] = {}
    for part in resolutions:
        units.update((u.id, u) for u in part.units)
    return Resolution(phrase=phrase, via="split", units=list(units.values()), parts=resolutions)


# --- writing -----------------------------------------------------------------------------


def _alias_keys(unit_names: list[str]) -> dict[str, str]:
    """Match key → first alias text that produces it."""
    keys: dict[str, str] = {}
    for name in unit_names:
        name_key = match_key(name)
        if name_key:
            keys.setdefault(name_key, name)
    return keys


def _sync_aliases(session: Session, unit: Unit, aliases: list[str]) -> None:
    """Make the unit's alias rows equal its name, short name and aliases (by key)."""
    wanted = _alias_keys([unit.name, unit.short_name, *aliases])
    for row in list(unit.aliases):
        if row.key not in wanted:
            unit.aliases.remove(row)
    # Deletes must reach the database before inserts reuse a key (unique constraint).
    session.flush()
    have = {row.key for row in unit.aliases}
    for alias_key, text in wanted.items():
        if alias_key not in have:
            unit.aliases.append(UnitAlias(alias=text, key=alias_key))


def _check_alias_clash(session: Session, code: str, names: list[str]) -> list[str]:
    """Aliases already owned by another unit."""
    problems = []
    for alias_key, text in _alias_keys(names).items():
        owner = _unit_by_key(session, alias_key)
        if owner is not None and owner.code != code:
            problems.append(f"tên/bí danh '{text}' đã thuộc đơn vị '{owner.code}' (alias taken)")
    return problems


def _apply_fields(unit: Unit, data: UnitCreate | UnitUpdate) -> None:
    """Copy plain fields from a create/update shape onto the unit."""
    plain = data.model_dump(exclude_unset=isinstance(data, UnitUpdate), mode="json")
    for name in ("name", "short_name", "kind", "contact_name", "email", "phone", "note"):
        if plain.get(name) is not None:
            setattr(unit, name, plain[name])
    for name in ("websites", "feeds", "fanpages"):
        if plain.get(name) is not None:
            setattr(unit, name, list(plain[name]))
    if plain.get("active") is not None:
        unit.active = bool(plain["active"])


def _parent_id(session: Session, code: str | None) -> int | None:
    """The id of the parent unit named by code (RegistryError when unknown)."""
    if not code:
        return None
    parent = get_by_code(session=session, code=code)
    if parent is None:
        raise RegistryError([f"trường 'parent': không có đơn vị mã '{code}' (unknown unit)"])
    return parent.id


def _set_groups(session: Session, unit: Unit, codes: list[str]) -> None:
    """Make the unit a member of exactly these groups."""
    groups = []
    for code in codes:
        group = get_group_by_code(session=session, code=code)
        if group is None:
            raise RegistryError([f"trường 'groups': không có nhóm mã '{code}' (unknown group)"])
        groups.append(group)
    unit.groups = groups


def create_unit(*, session: Session, data: UnitCreate, actor: User | None) -> Unit:
    """Add a unit with its aliases and group memberships."""
    if get_by_code(session=session, code=data.code) is not None:
        raise RegistryError([f"trường 'code': mã '{data.code}' đã có (code already exists)"])
    clash = _check_alias_clash(session, data.code, [data.name, data.short_name, *data.aliases])
    if clash:
        raise RegistryError(clash)
    unit = Unit(code=data.code, parent_id=_parent_id(session, data.parent))
    _apply_fields(unit, data)
    session.add(unit)
    session.flush()
    _sync_aliases(session, unit, data.aliases)
    _set_groups(session, unit, data.groups)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="unit",
        entity_id=unit.id,
        summary=f"Thêm đơn vị {unit.name}",
    )
    return unit


def update_unit(*, session: Session, unit: Unit, data: UnitUpdate, actor: User | None) -> Unit:
    """Change a unit; omitted fields stay; aliases and groups are replaced when given."""
    aliases = data.aliases if data.aliases is not None else _extra_aliases(unit)
    names = [data.name or unit.name, data.short_name or unit.short_name, *aliases]
    clash = _check_alias_clash(session, unit.code, names)
    if clash:
        raise RegistryError(clash)
    if "parent" in data.model_fields_set:
        unit.parent_id = _parent_id(session, data.parent)
    _apply_fields(unit, data)
    _sync_aliases(session, unit, aliases)
    if data.groups is not None:
        _set_groups(session, unit, data.groups)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="update",
        entity="unit",
        entity_id=unit.id,
        detail=data.model_dump(exclude_unset=True, mode="json"),
    )
    return unit


def _extra_aliases(unit: Unit) -> list[str]:
    """The unit's aliases other than its name and short name."""
    own = {match_key(unit.name), match_key(unit.short_name)}
    return [row.alias for row in unit.aliases if row.key not in own]


def aliases_of(unit: Unit) -> list[str]:
    """The unit's aliases other than its own name and short name, as people typed them."""
    return _extra_aliases(unit)


def add_alias(*, session: Session, unit: Unit, alias: str, actor: User | None) -> Unit:
    """Give the unit one more alias; refused when blank or when another unit owns it."""
    text = " ".join(nfc(alias).split())
    if not match_key(text):
        raise RegistryError(["trường 'alias': bí danh không được để trống (alias is blank)"])
    data = UnitUpdate(aliases=[*_extra_aliases(unit), text])
    return update_unit(session=session, unit=unit, data=data, actor=actor)


def remove_alias(*, session: Session, unit: Unit, alias: str, actor: User | None) -> Unit:
    """Take one alias away from the unit (its own name and short name stay)."""
    data = UnitUpdate(aliases=[a for a in _extra_aliases(unit) if a != alias])
    return update_unit(session=session, unit=unit, data=data, actor=actor)


def delete_unit(*, session: Session, unit: Unit, actor: User | None) -> None:
    """Remove a unit that no campaign assigns (deactivate it otherwise)."""
    used = session.scalar(select(func.count()).where(Assignment.unit_id == unit.id))
    if used:
        msg = f"đơn vị '{unit.code}' đã được giao {used} nhiệm vụ; hãy ngừng kích hoạt thay vì xóa"
        raise RegistryError([msg])
    audit(
        session=session,
        actor=actor,
        action="delete",
        entity="unit",
        entity_id=unit.id,
        summary=f"Xóa đơn vị {unit.name}",
    )
    session.delete(unit)
    session.flush()


def save_group(
    *,
    session: Session,
    code: str,
    name: str,
    aliases: list[str],
    unit_ids: list[int] | None,
    actor: User | None,
) -> UnitGroup:
    """Create or change a group: its name, the phrases naming it, and (when given) its members."""
    try:
        code = check_code(code)
    except ValueError as exc:
        raise RegistryError([f"trường 'code': {exc}"]) from exc
    name = " ".join(nfc(name).split())
    if not name:
        raise RegistryError(["trường 'name': tên nhóm không được để trống (name is required)"])
    group = get_group_by_code(session=session, code=code)
    created = group is None
    if group is None:
        group = UnitGroup(code=code)
        session.add(group)
    group.name = name
    group.aliases = list(dict.fromkeys(a for a in (" ".join(nfc(x).split()) for x in aliases) if a))
    if unit_ids is not None:
        group.units = list(session.scalars(select(Unit).where(Unit.id.in_(unit_ids))))
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create" if created else "update",
        entity="unit_group",
        entity_id=group.id,
        detail={"code": code, "aliases": group.aliases, "units": len(group.units)},
        summary=f"Nhóm đơn vị {name}",
    )
    return group


# --- import / export ---------------------------------------------------------------------


def _file_problems(session: Session, registry: RegistryFile) -> list[str]:
    """Cross-row checks: duplicate codes, alias clashes, unknown parents and group members."""
    problems: list[str] = []
    codes = [u.code for u in registry.units]
    # One query for every alias owner instead of one per alias (imports run to thousands).
    stmt = select(UnitAlias.key, Unit.code).join(Unit, Unit.id == UnitAlias.unit_id)
    owners: dict[str, str] = {row.key: row.code for row in session.execute(stmt)}
    seen_keys: dict[str, str] = {}
    for index, unit in enumerate(registry.units):
        where = f"units[{index + 1}] (mã '{unit.code}')"
        if codes.count(unit.code) > 1:
            problems.append(f"{where}, trường 'code': mã lặp lại trong tệp (duplicate code)")
        for alias_key, text in _alias_keys([unit.name, unit.short_name, *unit.aliases]).items():
            other = seen_keys.setdefault(alias_key, unit.code)
            if other != unit.code:
                problems.append(f"{where}, trường 'aliases': '{text}' trùng với đơn vị '{other}'")
        problems += [f"{where}, {p}" for p in _check_alias_clash_file(owners, unit, set(codes))]
        if (
            unit.parent
            and unit.parent not in codes
            and not get_by_code(session=session, code=unit.parent)
        ):
            problems.append(f"{where}, trường 'parent': không có đơn vị mã '{unit.parent}'")
    problems += _group_problems(session, registry, set(codes))
    return problems


def _check_alias_clash_file(owners: dict[str, str], unit: UnitCreate, codes: set[str]) -> list[str]:
    """Aliases owned in the database by a unit that this file does not redefine."""
    problems = []
    for alias_key, text in _alias_keys([unit.name, unit.short_name, *unit.aliases]).items():
        owner = owners.get(alias_key)
        if owner is not None and owner != unit.code and owner not in codes:
            problems.append(f"trường 'aliases': '{text}' đã thuộc đơn vị '{owner}'")
    return problems


def _group_problems(session: Session, registry: RegistryFile, codes: set[str]) -> list[str]:
    """Unknown member units, unknown included groups, unknown group references of units."""
    problems = []
    group_codes = {g.code for g in registry.groups}
    known_groups = group_codes | {g.code for g in list_groups(session=session)}
    for index, group in enumerate(registry.groups):
        where = f"groups[{index + 1}] (mã '{group.code}')"
        for code in group.units:
            if code not in codes and get_by_code(session=session, code=code) is None:
                problems.append(f"{where}, trường 'units': không có đơn vị mã '{code}'")
        problems += [
            f"{where}, trường 'include': không có nhóm mã '{code}'"
            for code in group.include
            if code not in group_codes
        ]
    for index, unit in enumerate(registry.units):
        problems += [
            f"units[{index + 1}] (mã '{unit.code}'), trường 'groups': không có nhóm mã '{code}'"
            for code in unit.groups
            if code not in known_groups
        ]
    return problems


def _upsert_unit(session: Session, data: UnitCreate) -> bool:
    """Create or update one unit by code (parents and groups set later); True when created."""
    unit = get_by_code(session=session, code=data.code)
    created = unit is None
    if unit is None:
        unit = Unit(code=data.code)
        session.add(unit)
    _apply_fields(unit, data)
    session.flush()
    _sync_aliases(session, unit, data.aliases)
    return created


def _group_members(
    session: Session, group: GroupCreate, by_code: dict[str, GroupCreate], depth: int = 0
) -> dict[int, Unit]:
    """Members of a file group: explicit codes, every unit of its kinds, included groups."""
    members: dict[int, Unit] = {}
    for code in group.units:
        unit = get_by_code(session=session, code=code)
        if unit is not None:
            members[unit.id] = unit
    if group.kinds:
        kinds = [k.value for k in group.kinds]
        members.update((u.id, u) for u in session.scalars(select(Unit).where(Unit.kind.in_(kinds))))
    for code in group.include:
        if code in by_code and code != group.code and depth < 5:
            members.update(_group_members(session, by_code[code], by_code, depth + 1))
    return members


def _upsert_groups(session: Session, registry: RegistryFile) -> None:
    """Create or update each group of the file, then the units' own group references."""
    by_code = {g.code: g for g in registry.groups}
    for data in registry.groups:
        group = get_group_by_code(session=session, code=data.code)
        if group is None:
            group = UnitGroup(code=data.code)
            session.add(group)
        group.name = data.name
        group.aliases = list(data.aliases)
        group.units = list(_group_members(session, data, by_code).values())
    session.flush()
    for unit_data in registry.units:
        unit = get_by_code(session=session, code=unit_data.code)
        for code in unit_data.groups:
            member_of = get_group_by_code(session=session, code=code)
            if unit is not None and member_of is not None and unit not in member_of.units:
                member_of.units.append(unit)


def import_registry(
    *, session: Session, registry: RegistryFile, actor: User | None, source: str = "registry"
) -> ImportSummary:
    """Apply a validated registry: upsert units and groups by code, all or nothing."""
    problems = _file_problems(session, registry)
    if problems:
        raise RegistryError([f"{source}, {p}" for p in problems])
    summary = ImportSummary(groups=len(registry.groups))
    with session.begin_nested():
        # Aliases may move between units in one file: free every key the file redefines first.
        file_codes = [u.code for u in registry.units]
        session.execute(
            delete(UnitAlias).where(
                UnitAlias.unit_id.in_(select(Unit.id).where(Unit.code.in_(file_codes)))
            )
        )
        session.expire_all()
        for data in registry.units:
            created = _upsert_unit(session, data)
            summary.created += created
            summary.updated += not created
        for data in registry.units:
            unit = get_by_code(session=session, code=data.code)
            if unit is not None:
                unit.parent_id = _parent_id(session, data.parent)
        _upsert_groups(session, registry)
        session.flush()
    audit(
        session=session,
        actor=actor,
        action="import",
        entity="unit",
        entity_id=None,
        detail=summary.model_dump(),
        summary=f"Nhập danh mục đơn vị từ {source}",
    )
    return summary


def read_registry_file(*, path: Path) -> RegistryFile:
    """Read and validate a YAML or CSV registry file (RegistryError names row and field)."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise RegistryError([f"{path}: không đọc được tệp (cannot read): {exc}"]) from exc
    return parse_registry(text=text, filename=path.name)


def parse_registry(*, text: str, filename: str) -> RegistryFile:
    """Validate registry text by the file's extension (.yaml/.yml or .csv)."""
    suffix = Path(filename).suffix.lower()
    if suffix in {".yaml", ".yml"}:
        return registry_io.read_yaml(text, source=filename)
    if suffix == ".csv":
        return registry_io.read_csv(text, source=filename)
    msg = f"{filename}: chỉ nhận .yaml, .yml hoặc .csv (unsupported registry format)"
    raise RegistryError([msg])


def import_file(*, session: Session, path: Path, actor: User | None) -> ImportSummary:
    """Import a YAML or CSV registry file."""
    registry = read_registry_file(path=path)
    return import_registry(session=session, registry=registry, actor=actor, source=path.name)


def load_sample_registry(*, session: Session, actor: User | None = None) -> ImportSummary:
    """Load the shipped Kon Tum 2024 registry (idempotent: re-import updates by code)."""
    return import_file(session=session, path=SAMPLE_REGISTRY, actor=actor)


def export_registry(*, session: Session) -> RegistryFile:
    """The whole registry in the import shape; groups list their members explicitly."""
    units = [_to_create(u) for u in session.scalars(select(Unit).order_by(Unit.kind, Unit.code))]
    groups = [
        GroupCreate(
            code=g.code,
            name=g.name,
            aliases=list(g.aliases or []),
            units=sorted(u.code for u in g.units),
        )
        for g in session.scalars(select(UnitGroup).order_by(UnitGroup.code))
    ]
    return RegistryFile(units=units, groups=groups)


def _to_create(unit: Unit) -> UnitCreate:
    """A unit in the import shape (aliases other than its own name)."""
    read = to_read(unit)
    data = read.model_dump(exclude={"id", "aliases"})
    return UnitCreate.model_validate({**data, "aliases": _extra_aliases(unit)})


def export_text(*, session: Session, fmt: str) -> str:
    """The registry as YAML or CSV text."""
    registry = export_registry(session=session)
    if fmt == "csv":
        return registry_io.write_csv(registry)
    if fmt == "yaml":
        return registry_io.write_yaml(registry)
    msg = f"định dạng '{fmt}' không hỗ trợ; dùng yaml hoặc csv (unsupported format)"
    raise RegistryError([msg])


def learn_alias(*, session: Session, unit: Unit, phrase: str) -> bool:
    """Remember a phrase as an alias of the unit if no unit owns it yet; True when added."""
    phrase_key = match_key(phrase)
    if not phrase_key or _unit_by_key(session, phrase_key) is not None:
        return False
    unit.aliases.append(UnitAlias(alias=phrase.strip(), key=phrase_key))
    session.flush()
    return True
