"""Registry files: read YAML/CSV into validated shapes (errors by row and field), write back."""

from __future__ import annotations

import csv
import io
from typing import Any

import yaml
from pydantic import ValidationError

from trienkhai.errors import InvalidError
from trienkhai.units.schemas import GroupCreate, RegistryFile, UnitCreate

CSV_COLUMNS = [
    "code",
    "name",
    "short_name",
    "kind",
    "parent",
    "aliases",
    "groups",
    "websites",
    "feeds",
    "fanpages",
    "contact_name",
    "email",
    "phone",
    "active",
    "note",
]
_LIST_COLUMNS = {"aliases", "groups", "websites", "feeds", "fanpages"}
LIST_SEPARATOR = "|"  # commas occur inside Vietnamese unit names, bars never do


class RegistryError(InvalidError):
    """A registry file or change that cannot be applied; `errors` name the row and field."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _field_errors(where: str, exc: ValidationError) -> list[str]:
    """One Vietnamese line per pydantic error: where, field, reason."""
    lines = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "(cả dòng)"
        lines.append(f"{where}, trường '{field}': {err['msg']} (giá trị: {err.get('input')!r})")
    return lines


def _item_lines(text: str, section: str) -> list[int]:
    """1-based line numbers of the items of a top-level YAML list, for error messages."""
    try:
        root = yaml.compose(text)
    except yaml.YAMLError:
        return []
    if not isinstance(root, yaml.MappingNode):
        return []
    for key_node, value_node in root.value:
        if key_node.value == section and isinstance(value_node, yaml.SequenceNode):
            return [item.start_mark.line + 1 for item in value_node.value]
    return []


def _validate_items(
    source: str, section: str, items: Any, lines: list[int], model: type[Any]
) -> tuple[list[Any], list[str]]:
    """Validate each item of a section; errors say the file, line (or item number) and field."""
    if items is None:
        return [], []
    if not isinstance(items, list):
        return [], [f"{source}: mục '{section}' phải là một danh sách (must be a list)"]
    parsed, errors = [], []
    for index, item in enumerate(items):
        where = f"{source}, {section}[{index + 1}]"
        if index < len(lines):
            where += f" (dòng {lines[index]})"
        if not isinstance(item, dict):
            errors.append(f"{where}: phải là một bảng khóa-giá trị (must be a mapping)")
            continue
        try:
            parsed.append(model.model_validate(item))
        except ValidationError as exc:
            errors.extend(_field_errors(where, exc))
    return parsed, errors


def read_yaml(text: str, *, source: str) -> RegistryFile:
    """A YAML registry file, validated item by item."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise RegistryError([f"{source}: YAML không hợp lệ (invalid YAML): {exc}"]) from exc
    if not isinstance(data, dict):
        raise RegistryError([f"{source}: cần các mục 'units' và 'groups' (expected a mapping)"])
    units, errors = _validate_items(
        source, "units", data.get("units"), _item_lines(text, "units"), UnitCreate
    )
    groups, group_errors = _validate_items(
        source, "groups", data.get("groups"), _item_lines(text, "groups"), GroupCreate
    )
    if errors or group_errors:
        raise RegistryError(errors + group_errors)
    return RegistryFile(
        province=str(data.get("province") or ""),
        as_of=str(data.get("as_of") or ""),
        units=units,
        groups=groups,
    )


def _csv_row(row: dict[str, str | None]) -> dict[str, Any]:
    """A CSV row as the fields of UnitCreate: lists split on '|', empty cells left out."""
    item: dict[str, Any] = {}
    for column, raw in row.items():
        value = (raw or "").strip()
        if column is None or not value:
            continue
        if column in _LIST_COLUMNS:
            item[column] = [part for part in value.split(LIST_SEPARATOR) if part.strip()]
        elif column == "active":
            item[column] = value.lower() not in {"0", "false", "không", "khong", "no"}
        else:
            item[column] = value
    return item


def read_csv(text: str, *, source: str) -> RegistryFile:
    """A CSV file of units (one a row, header first); groups are referenced by code."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    missing = {"code", "name"} - set(reader.fieldnames or [])
    if missing:
        cols = ", ".join(sorted(missing))
        raise RegistryError([f"{source}, dòng 1: thiếu cột bắt buộc (missing columns): {cols}"])
    unknown = set(reader.fieldnames or []) - set(CSV_COLUMNS)
    if unknown:
        cols = ", ".join(sorted(unknown))
        raise RegistryError([f"{source}, dòng 1: cột không biết (unknown columns): {cols}"])
    units, errors = [], []
    for row in reader:
        where = f"{source}, dòng {reader.line_num}"
        if None in row:  # more cells than the header has columns (DictReader keys them None)
            errors.append(f"{where}: nhiều ô hơn số cột của dòng tiêu đề (too many cells)")
            continue
        try:
            units.append(UnitCreate.model_validate(_csv_row(row)))
        except ValidationError as exc:
            errors.extend(_field_errors(where, exc))
    if errors:
        raise RegistryError(errors)
    return RegistryFile(units=units)


def write_yaml(registry: RegistryFile) -> str:
    """A registry as YAML, omitting empty fields so the file stays readable."""
    data: dict[str, Any] = {}
    if registry.province:
        data["province"] = registry.province
    if registry.as_of:
        data["as_of"] = registry.as_of
    data["units"] = [_compact(unit.model_dump(mode="json")) for unit in registry.units]
    data["groups"] = [_compact(group.model_dump(mode="json")) for group in registry.groups]
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def _compact(item: dict[str, Any]) -> dict[str, Any]:
    """Drop empty values and the default `active: true`."""
    return {
        key: value
        for key, value in item.items()
        if value not in ("", None, [], {}) and not (key == "active" and value is True)
    }


def write_csv(registry: RegistryFile) -> str:
    """Units as CSV with a header; list cells joined by '|'."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for unit in registry.units:
        item = unit.model_dump(mode="json")
        row = {
            column: LIST_SEPARATOR.join(item[column])
            if column in _LIST_COLUMNS
            else ("" if item.get(column) is None else item[column])
            for column in CSV_COLUMNS
        }
        row["active"] = "true" if unit.active else "false"
        writer.writerow(row)
    return out.getvalue()
