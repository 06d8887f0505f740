"""From a directive record to per-unit plans: who was asked to do what, and by when."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from trienkhai.documents.schemas import Assignment as RecordAssignment
from trienkhai.documents.schemas import DocumentRecord
from trienkhai.units import service as units
from trienkhai.units.matching import match_key
from trienkhai.units.models import Unit

_DMY = re.compile(r"(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})")
_DMY_WORDS = re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})\s+năm\s+(\d{4})", re.IGNORECASE)


def parse_deadline(text: str) -> date | None:
    """A date from an ISO string, "dd/mm/yyyy" or "ngày d tháng m năm y"; None otherwise."""
    text = text.strip()
    try:
        return date.fromisoformat(text[:10])
    except ValueError:
        pass
    for pattern in (_DMY, _DMY_WORDS):
        found = pattern.search(text)
        if found:
            day, month, year = (int(g) for g in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                return None
    return None


def earliest(texts: list[str]) -> date | None:
    """The earliest parseable deadline among the texts."""
    dates = [d for d in (parse_deadline(t) for t in texts) if d is not None]
    return min(dates) if dates else None


def walk(items: list[RecordAssignment]) -> Iterator[RecordAssignment]:
    """Every section-II item, children after their parent."""
    for item in items:
        yield item
        yield from walk(item.children)


def task_of(item: RecordAssignment) -> dict[str, Any]:
    """The stored task dict of a section-II item."""
    return {
        "label": item.label,
        "group": item.group,
        "task": item.task,
        "channels": list(item.channels),
        "forms": list(item.forms),
    }


@dataclass
class UnitPlan:
    """What one unit gets: its tasks and the deadlines printed for them."""

    unit: Unit
    tasks: list[dict[str, Any]] = field(default_factory=list)
    deadlines: list[str] = field(default_factory=list)

    def add(self, task: dict[str, Any], deadlines: list[str]) -> None:
        """Add a task unless the unit already has it (a unit named twice gets it once)."""
        if task not in self.tasks:
            self.tasks.append(task)
        self.deadlines.extend(deadlines)


@dataclass
class Plan:
    """Per-unit plans plus the phrases that named no unit, in the order the letter prints them."""

    units: dict[int, UnitPlan] = field(default_factory=dict)
    unresolved: list[tuple[str, str]] = field(default_factory=list)  # (phrase, origin)

    def note_unresolved(self, phrase: str, origin: str) -> None:
        """Keep an unresolved phrase once."""
        phrase = phrase.strip()
        if phrase and match_key(phrase) not in {match_key(p) for p, _ in self.unresolved}:
            self.unresolved.append((phrase, origin))

    def plan_for(self, unit: Unit) -> UnitPlan:
        """The unit's plan, made on first use."""
        return self.units.setdefault(unit.id, UnitPlan(unit=unit))


def _item_units(session: Session, item: RecordAssignment, plan: Plan) -> list[Unit]:
    """Units a section-II item addresses: its group's members plus any named units."""
    group = units.resolve_phrase(session=session, phrase=item.group)
    named = [units.resolve_phrase(session=session, phrase=p) for p in item.units]
    found: dict[int, Unit] = {u.id: u for u in group.units}
    for res in named:
        found.update((u.id, u) for u in res.units)
        if not res.resolved:
            plan.note_unresolved(res.phrase, "assignments")
    # A group phrase the parser split into named units is covered when every name resolved.
    if not group.resolved and item.group.strip() and not (named and all(r.resolved for r in named)):
        plan.note_unresolved(item.group, "assignments")
    return list(found.values())


def build_plan(*, session: Session, record: DocumentRecord) -> Plan:
    """Resolve Kính gửi entries and section-II items to units; the issuer never assigns itself."""
    plan = Plan()
    issuer = units.resolve_phrase(session=session, phrase=record.issuer or "").unit
    for phrase in record.recipients:
        res = units.resolve_phrase(session=session, phrase=phrase)
        if not res.resolved:
            plan.note_unresolved(phrase, "recipients")
        for unit in res.units:
            plan.plan_for(unit)
    for item in walk(record.assignments):
        for unit in _item_units(session, item, plan):
            plan.plan_for(unit).add(task_of(item), item.deadlines)
    if issuer is not None:
        plan.units.pop(issuer.id, None)
    return plan


def tasks_for_phrase(record: DocumentRecord, phrase: str) -> tuple[list[dict[str, Any]], list[str]]:
    """Tasks (and their deadlines) of the section-II items whose group or units print `phrase`."""
    wanted = match_key(phrase)
    tasks: list[dict[str, Any]] = []
    deadlines: list[str] = []
    for item in walk(record.assignments):
        if wanted in {match_key(p) for p in [item.group, *item.units]}:
            tasks.append(task_of(item))
            deadlines.extend(item.deadlines)
    return tasks, deadlines


def union(values: list[list[str]]) -> list[str]:
    """Distinct values in first-seen order."""
    seen: dict[str, None] = {}
    for group in values:
        for value in group:
            seen.setdefault(value, None)
    return list(seen)


_URL = re.compile(r"(https?://[^\s,;)”\"]+|www\.[^\s,;)”\"]+)")


def first_url(text: str) -> str:
    """The first web address printed in a text, with a scheme."""
    found = _URL.search(text)
    if not found:
        return ""
    url = found.group(1).rstrip(".")
    return url if url.startswith("http") else f"http://{url}"


def short_title(text: str, limit: int = 120) -> str:
    """The text cut at a word boundary to fit a title."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0] + "…"
