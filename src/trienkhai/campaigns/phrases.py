"""Unresolved recipient phrases: one entry per phrase, mapped to units or a group, remembered."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns import planning
from trienkhai.campaigns import service as campaigns
from trienkhai.campaigns.models import Assignment, Campaign, UnresolvedPhrase
from trienkhai.errors import InvalidError, NotFoundError
from trienkhai.units import service as units
from trienkhai.units.matching import match_key
from trienkhai.units.models import Unit, UnitGroup
from trienkhai.users.models import AuditLog, User
from trienkhai.users.service import audit

_WORD = re.compile(r"\w+")


def _words(phrase: str) -> list[str]:
    """The phrase's words as matching compares them (case, tone marks, abbreviations)."""
    return _WORD.findall(match_key(phrase))


def _inside(part: list[str], whole: list[str]) -> bool:
    """Whether the words of part appear, contiguous and in order, in a longer whole."""
    size = len(part)
    if not part or size >= len(whole):
        return False
    return any(whole[i : i + size] == part for i in range(len(whole) - size + 1))


def dedupe(phrases: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """One entry per recipient: drop a phrase that is a contiguous part of a longer one.

    Why: the parser sometimes splits a long name at "và" or a comma and also keeps the whole;
    the halves then match no unit and the coordinator saw the same recipient three times.
    A half is a phrase whose words run, in order and contiguous, inside another phrase of the
    same letter; the longest phrase is kept, where the letter first printed it.
    """
    words = [_words(p) for p, _ in phrases]
    kept: list[tuple[str, str]] = []
    for i, entry in enumerate(phrases):
        if any(_inside(words[i], other) for j, other in enumerate(words) if j != i):
            continue
        if match_key(entry[0]) not in {match_key(p) for p, _ in kept}:
            kept.append(entry)
    return kept


@dataclass
class Mapping:
    """What mapping a phrase did: units newly assigned, units already assigned, the alias kept."""

    assigned: list[Unit] = field(default_factory=list)
    already: list[Unit] = field(default_factory=list)
    remembered: str = ""  # "unit", "group" or "" (several units are not remembered)


def _targets(
    session: Session, unit_ids: Sequence[int], group_id: int | None
) -> tuple[list[Unit], UnitGroup | None]:
    """The chosen units plus the group's active members, each once, and the group."""
    chosen: dict[int, Unit] = {}
    for unit_id in unit_ids:
        unit = units.get(session=session, unit_id=unit_id)
        if unit is None:
            raise NotFoundError(f"không có đơn vị số {unit_id} (unit not found)")
        chosen[unit.id] = unit
    group = session.get(UnitGroup, group_id) if group_id is not None else None
    if group_id is not None and group is None:
        raise NotFoundError(f"không có nhóm đơn vị số {group_id} (group not found)")
    for unit in group.units if group else []:
        if unit.active:
            chosen.setdefault(unit.id, unit)
    if not chosen:
        raise InvalidError("Chọn ít nhất một đơn vị hoặc một nhóm đơn vị có thành viên")
    return list(chosen.values()), group


def learn_group_alias(*, session: Session, group: UnitGroup, phrase: str) -> bool:
    """Remember a phrase as a name of the group unless a unit or group already owns it."""
    if not match_key(phrase) or units.resolve_phrase(session=session, phrase=phrase).resolved:
        return False
    group.aliases = [*(group.aliases or []), phrase.strip()]
    session.flush()
    return True


def map_phrase(
    *,
    session: Session,
    campaign: Campaign,
    phrase: UnresolvedPhrase,
    unit_ids: Sequence[int] = (),
    group_id: int | None = None,
    actor: User | None,
    remember: bool = True,
) -> Mapping:
    """Assign the phrase's tasks to units and/or a group's members; skip units already assigned.

    Remembering keeps the phrase as an alias of the one unit, or as a name of the group, so
    later letters resolve it; a set of several loose units is not remembered (no such alias).
    """
    if phrase.dismissed or phrase.resolved_unit_id is not None:
        raise campaigns.CampaignError(f"cụm từ '{phrase.phrase}' đã được xử lý (already handled)")
    targets, group = _targets(session, unit_ids, group_id)
    record = campaigns._directive_record(session, campaign)
    tasks, deadlines = planning.tasks_for_phrase(record, phrase.phrase)
    existing = {
        a.unit_id: a
        for a in session.scalars(select(Assignment).where(Assignment.campaign_id == campaign.id))
    }
    result = Mapping()
    for unit in targets:
        assignment = existing.get(unit.id)
        if assignment is None:
            session.add(
                campaigns._new_assignment(
                    campaign, unit, list(tasks), planning.earliest(deadlines), ""
                )
            )
            result.assigned.append(unit)
        else:
            assignment.tasks = list(assignment.tasks) + [
                t for t in tasks if t not in assignment.tasks
            ]
            result.already.append(unit)
    phrase.resolved_unit_id = targets[0].id
    if remember:
        result.remembered = _remember(session, phrase.phrase, targets, group, unit_ids)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="map",
        entity="unresolved_phrase",
        entity_id=phrase.id,
        summary=mapped_label(targets, group),
        detail={
            "phrase": phrase.phrase,
            "units": [u.code for u in targets],
            "group": group.code if group else None,
            "remembered": result.remembered,
        },
    )
    return result


def _remember(
    session: Session,
    phrase: str,
    targets: list[Unit],
    group: UnitGroup | None,
    unit_ids: Sequence[int],
) -> str:
    """Keep the phrase for later letters: an alias of one unit, or a name of the group."""
    if group is not None and not unit_ids:
        return "group" if learn_group_alias(session=session, group=group, phrase=phrase) else ""
    if group is None and len(targets) == 1:
        return "unit" if units.learn_alias(session=session, unit=targets[0], phrase=phrase) else ""
    return ""


def mapped_label(targets: Sequence[Unit], group: UnitGroup | None) -> str:
    """What a phrase was mapped to, in words: the group, or the unit names."""
    names = [u.name for u in targets]
    if group is not None:
        return group.name
    return names[0] if len(names) == 1 else f"{len(names)} đơn vị: " + ", ".join(names)


def mapped_labels(*, session: Session, phrase_ids: Sequence[int]) -> dict[int, str]:
    """The latest mapping label of each phrase that was mapped to a group or several units."""
    if not phrase_ids:
        return {}
    stmt = (
        select(AuditLog.entity_id, AuditLog.summary)
        .where(
            AuditLog.entity == "unresolved_phrase",
            AuditLog.action == "map",
            AuditLog.entity_id.in_([str(i) for i in phrase_ids]),
        )
        .order_by(AuditLog.id)
    )
    return {int(str(pid)): str(label) for pid, label in session.execute(stmt)}
