"""Seed a database for load and fault runs: the demo, every unit assigned, N unit editors."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, select

from trienkhai.campaigns.models import Assignment
from trienkhai.db import session_scope
from trienkhai.demo import load_demo
from trienkhai.migrate import upgrade
from trienkhai.units.models import Unit
from trienkhai.users.models import Role, User
from trienkhai.users.service import hash_password

PASSWORD = "mat-khau-tai-thu-2026"


@dataclass(frozen=True)
class Editor:
    """A seeded unit editor."""

    username: str
    unit_id: int


def seed(engine: Engine, *, editors: int, prefix: str = "tai") -> tuple[int, list[Editor]]:
    """Migrate, load the demo, assign every unit to its campaign, add editors round-robin.

    The editors share one argon2 hash made once: hashing 200 passwords at 64 MiB each would
    take longer than the run itself and measures nothing about the server.
    """
    upgrade(engine)
    password_hash = hash_password(PASSWORD)
    made: list[Editor] = []
    with session_scope(engine) as session:
        campaign_id = load_demo(session=session).campaign_id
        assigned = set(
            session.scalars(select(Assignment.unit_id).where(Assignment.campaign_id == campaign_id))
        )
        unit_ids = list(session.scalars(select(Unit.id).order_by(Unit.id)))
        for unit_id in unit_ids:
            if unit_id not in assigned:
                session.add(Assignment(campaign_id=campaign_id, unit_id=unit_id))
        for i in range(editors):
            unit_id = unit_ids[i % len(unit_ids)]
            username = f"{prefix}{i:03d}"
            session.add(
                User(
                    username=username,
                    full_name=f"Biên tập viên {i}",
                    password_hash=password_hash,
                    role=Role.unit_editor.value,
                    unit_id=unit_id,
                )
            )
            made.append(Editor(username, unit_id))
    return campaign_id, made
