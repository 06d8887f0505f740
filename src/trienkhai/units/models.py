"""Registry of recipient units, their aliases and groups (data, not code)."""

from __future__ import annotations

import enum

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trienkhai.db import Base, TimestampMixin


class UnitKind(enum.StrEnum):
    """Kinds of recipient unit."""

    department = "department"
    district = "district"
    commune = "commune"
    press = "press"
    broadcaster = "broadcaster"
    portal = "portal"
    other = "other"


group_members = Table(
    "unit_group_members",
    Base.metadata,
    Column("group_id", ForeignKey("unit_groups.id", ondelete="CASCADE"), primary_key=True),
    Column("unit_id", ForeignKey("units.id", ondelete="CASCADE"), primary_key=True),
)


class Unit(TimestampMixin, Base):
    """A unit that receives directives and publishes outputs."""

    __tablename__ = "units"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    short_name: Mapped[str] = mapped_column(String(120), default="")
    kind: Mapped[str] = mapped_column(String(20), default=UnitKind.other.value)
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("units.id", ondelete="SET NULL"))
    contact_name: Mapped[str] = mapped_column(String(200), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    websites: Mapped[list[str]] = mapped_column(JSON, default=list)
    feeds: Mapped[list[str]] = mapped_column(JSON, default=list)
    fanpages: Mapped[list[str]] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(default=True)
    note: Mapped[str] = mapped_column(Text, default="")

    # Ordered so exports are stable: PostgreSQL returns unordered rows in any order.
    aliases: Mapped[list[UnitAlias]] = relationship(
        back_populates="unit",
        cascade="all, delete-orphan",
        lazy="selectin",
        order_by="UnitAlias.id",
    )
    groups: Mapped[list[UnitGroup]] = relationship(
        secondary=group_members, back_populates="units", lazy="selectin", order_by="UnitGroup.id"
    )


class UnitAlias(Base):
    """Another name of a unit ("UBND H. Đắk Hà"); `key` is the folded form used to match."""

    __tablename__ = "unit_aliases"

    id: Mapped[int] = mapped_column(primary_key=True)
    unit_id: Mapped[int] = mapped_column(ForeignKey("units.id", ondelete="CASCADE"), index=True)
    alias: Mapped[str] = mapped_column(String(255))
    key: Mapped[str] = mapped_column(String(255), unique=True)

    unit: Mapped[Unit] = relationship(back_populates="aliases")


class UnitGroup(TimestampMixin, Base):
    """A named group of units ("UBND các huyện, thành phố") with the phrases that name it."""

    __tablename__ = "unit_groups"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(255))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    units: Mapped[list[Unit]] = relationship(
        secondary=group_members, back_populates="groups", lazy="selectin", order_by="Unit.id"
    )
