"""Users: password hashing (argon2id), authentication, API tokens, audit log."""

from __future__ import annotations

import secrets
from datetime import datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.errors import InvalidError
from trienkhai.security import app_secret
from trienkhai.settings import get_settings
from trienkhai.text import nfc
from trienkhai.units.models import Unit
from trienkhai.users import throttle
from trienkhai.users.models import AuditLog, Role, User
from trienkhai.users.passwords import check_password

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the username is unknown, so both failure paths cost one argon2 check
# and response time does not reveal which usernames exist.
_DUMMY_HASH = _HASHER.hash("trienkhai-no-such-user")


class UserError(InvalidError):
    """Bad input for a user; the message is Vietnamese."""


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    return _HASHER.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """Whether the password matches the hash."""
    try:
        return _HASHER.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def create_user(
    *,
    session: Session,
    username: str,
    password: str,
    role: Role | str,
    full_name: str = "",
    email: str | None = None,
    unit_id: int | None = None,
    actor: User | None = None,
) -> User:
    """Add a user; unit editors must belong to a unit; usernames are unique."""
    role = _role(role)
    if role is Role.unit_editor and unit_id is None:
        raise UserError("Biên tập viên đơn vị phải thuộc một đơn vị (unit editors need a unit)")
    name = nfc(username).strip()
    if not name or len(name) > 80:
        raise UserError("Tên đăng nhập phải có từ 1 đến 80 ký tự")
    if get_by_username(session=session, username=name) is not None:
        raise UserError(f"Tên đăng nhập '{name}' đã tồn tại")
    _check_password(password, name)
    _check_unit(session, unit_id)
    user = User(
        username=name,
        password_hash=hash_password(password),
        role=role.value,
        full_name=nfc(full_name).strip(),
        email=email,
        unit_id=unit_id,
    )
    session.add(user)
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="create",
        entity="user",
        entity_id=user.id,
        detail={"username": name, "role": role.value, "unit_id": unit_id},
        summary=name,
    )
    return user


def _role(value: Role | str) -> Role:
    """The role a string names; UserError listing the roles otherwise."""
    try:
        return Role(value)
    except ValueError:
        raise UserError(
            f"Vai trò '{value}' không hợp lệ; chấp nhận: {', '.join(r.value for r in Role)}"
        ) from None


def _check_password(password: str, username: str) -> None:
    """The password policy (passwords.check_password), raising UserError."""
    try:
        check_password(password, username=username)
    except InvalidError as exc:
        raise UserError(str(exc)) from None


def _check_unit(session: Session, unit_id: int | None) -> None:
    """Refuse a unit id that names no unit (it would break the foreign key: a server error)."""
    if unit_id is not None and session.get(Unit, unit_id) is None:
        raise UserError(f"Trường 'unit_id': không có đơn vị số {unit_id}")


def get_user(*, session: Session, user_id: int) -> User | None:
    """The user with this id, if any."""
    return session.get(User, user_id)


def list_users(*, session: Session) -> list[User]:
    """Every user, by username."""
    return list(session.scalars(select(User).order_by(User.username)))


def update_user(
    *, session: Session, actor: User | None, user: User, changes: dict[str, Any]
) -> User:
    """Change a user's name, e-mail, role, unit, active flag or password (audited)."""
    changed: list[str] = []
    if "password" in changes and changes["password"] is not None:
        _check_password(changes["password"], user.username)
        user.password_hash = hash_password(changes["password"])
        user.calendar_version += 1  # a reset password may mean a leak: calendar links go too
        changed.append("password")
    if changes.get("role") is not None:
        changes["role"] = _role(changes["role"]).value
    _check_self_change(actor, user, changes)
    if "unit_id" in changes:
        _check_unit(session, changes["unit_id"])
    for name in ("full_name", "email", "role", "unit_id", "active", "language"):
        if name in changes and getattr(user, name) != changes[name]:
            if name == "full_name" and changes[name] is None:
                continue
            setattr(user, name, changes[name])
            changed.append(name)
    if user.role == Role.unit_editor.value and user.unit_id is None:
        raise UserError("Biên tập viên đơn vị phải thuộc một đơn vị (unit editors need a unit)")
    if {"password", "role", "unit_id", "active"} & set(changed):
        user.session_version += 1  # every cookie and token issued before this change stops
    session.flush()
    audit(
        session=session,
        actor=actor,
        action="update",
        entity="user",
        entity_id=user.id,
        detail={"changed": changed},
        summary=user.username,
    )
    return user


def _check_self_change(actor: User | None, user: User, changes: dict[str, Any]) -> None:
    """Nobody deactivates their own account or changes their own role (they would lock out)."""
    if actor is None or actor.id != user.id:
        return
    if changes.get("active") is False:
        raise UserError("Không thể tự khóa tài khoản của mình (cannot deactivate yourself)")
    if changes.get("role") not in (None, user.role):
        raise UserError("Không thể tự đổi vai trò của mình (cannot change your own role)")


def generate_password() -> str:
    """A random one-time password (about 72 bits) to hand over when resetting an account."""
    return secrets.token_urlsafe(9)


def delete_user(*, session: Session, actor: User | None, user: User) -> None:
    """Delete a user; nobody deletes their own account (an admin would lock themselves out)."""
    if actor is not None and actor.id == user.id:
        raise UserError("Không thể tự xóa tài khoản của mình")
    audit(
        session=session,
        actor=actor,
        action="delete",
        entity="user",
        entity_id=user.id,
        summary=user.username,
        detail={"role": user.role},
    )
    session.delete(user)
    session.flush()


def get_by_username(*, session: Session, username: str) -> User | None:
    """The user with this username, if any."""
    return session.scalar(select(User).where(User.username == username.strip()))


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user whose password matches, or None."""
    user = get_by_username(session=session, username=username)
    if user is None:
        verify_password(_DUMMY_HASH, password)  # same cost as a real check: see _DUMMY_HASH
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    return user


def sign_in(*, session: Session, username: str, password: str, address: str) -> User | None:
    """Authenticate with throttling: LockedOutError while locked, None (counted) on failure."""
    throttle.check_not_locked(session=session, username=username, address=address)
    user = authenticate(session=session, username=username, password=password)
    if user is None:
        throttle.record_failure(session=session, username=username, address=address)
        return None
    throttle.clear_failures(session=session, username=username)
    audit(session=session, actor=user, action="login", entity="user", entity_id=user.id)
    return user


def end_sessions(*, session: Session, user: User) -> None:
    """End every session cookie and API token the user holds (sign-out everywhere)."""
    user.session_version += 1
    session.flush()


def change_own_password(*, session: Session, user: User, current: str, new: str) -> None:
    """Change one's own password; the current one must match; every other session ends."""
    if not verify_password(user.password_hash, current):
        raise UserError("Mật khẩu hiện tại: không đúng")
    if current == new:
        raise UserError("Mật khẩu mới: phải khác mật khẩu hiện tại")
    update_user(session=session, actor=user, user=user, changes={"password": new})


def revoke_calendar_links(*, session: Session, user: User) -> None:
    """Revoke every calendar-feed link the user has made."""
    user.calendar_version += 1
    session.flush()
    audit(session=session, actor=user, action="revoke_calendar", entity="user", entity_id=user.id)


def user_for_session(*, session: Session, uid: object, version: object) -> User | None:
    """The active user a session cookie names, if the cookie's version is still current."""
    if not isinstance(uid, int) or not isinstance(version, int):
        return None
    user = session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def token_max_age() -> int:
    """How long an API token lives, in seconds (TRIENKHAI_TOKEN_HOURS)."""
    return get_settings().token_hours * 3600


def _serializer() -> URLSafeTimedSerializer:
    """Signer for API tokens, keyed by the server's secret."""
    return URLSafeTimedSerializer(app_secret(), salt="api-token")


def issue_token(user: User) -> str:
    """A signed, expiring bearer token naming the user and their session version."""
    return _serializer().dumps({"uid": user.id, "sv": user.session_version})


def user_from_token(*, session: Session, token: str) -> User | None:
    """The active user a valid, unexpired token names, while their session version holds."""
    try:
        data = _serializer().loads(token, max_age=token_max_age())
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(data, dict):
        return None
    return user_for_session(session=session, uid=data.get("uid"), version=data.get("sv"))


def audit(
    *,
    session: Session,
    actor: User | None,
    action: str,
    entity: str,
    entity_id: str | int | None = None,
    detail: dict[str, Any] | None = None,
    summary: str = "",
) -> AuditLog:
    """Record one change in the audit log (in the caller's transaction)."""
    row = AuditLog(
        actor_id=actor.id if actor else None,
        action=action,
        entity=entity,
        entity_id=None if entity_id is None else str(entity_id),
        detail=detail or {},
        summary=summary,
    )
    session.add(row)
    return row


def list_audit(
    *,
    session: Session,
    entity: str | None = None,
    entity_id: str | None = None,
    actor_id: int | None = None,
    since: datetime | None = None,
    limit: int = 100,
    offset: int = 0,
) -> list[AuditLog]:
    """Audit rows, newest first, optionally for one entity, record or actor."""
    stmt = select(AuditLog)
    if entity:
        stmt = stmt.where(AuditLog.entity == entity)
    if entity_id is not None:
        stmt = stmt.where(AuditLog.entity_id == str(entity_id))
    if actor_id is not None:
        stmt = stmt.where(AuditLog.actor_id == actor_id)
    if since is not None:
        stmt = stmt.where(AuditLog.at >= since)
    stmt = stmt.order_by(AuditLog.at.desc(), AuditLog.id.desc()).limit(limit).offset(offset)
    return list(session.scalars(stmt))
