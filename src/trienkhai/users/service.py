"""Users: password hashing (argon2id), authentication, API tokens, audit log."""

from __future__ import annotations

from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.settings import get_settings
from trienkhai.users.models import AuditLog, Role, User

_HASHER = PasswordHasher()  # argon2id with the library's current recommended parameters
TOKEN_MAX_AGE = 12 * 3600


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
) -> User:
    """Add a user; unit editors must belong to a unit."""
    role = Role(role)
    if role is Role.unit_editor and unit_id is None:
        msg = "unit editors need a unit (unit_id)"
        raise ValueError(msg)
    user = User(
        username=username.strip(),
        password_hash=hash_password(password),
        role=role.value,
        full_name=full_name,
        email=email,
        unit_id=unit_id,
    )
    session.add(user)
    session.flush()
    return user


def get_by_username(*, session: Session, username: str) -> User | None:
    """The user with this username, if any."""
    return session.scalar(select(User).where(User.username == username.strip()))


def authenticate(*, session: Session, username: str, password: str) -> User | None:
    """The active user whose password matches, or None."""
    user = get_by_username(session=session, username=username)
    if user is None or not user.active or not verify_password(user.password_hash, password):
        return None
    return user


def _serializer() -> URLSafeTimedSerializer:
    """Signer for API tokens, keyed by the settings' secret."""
    return URLSafeTimedSerializer(get_settings().secret_key.get_secret_value(), salt="api-token")


def issue_token(user: User) -> str:
    """A signed bearer token naming the user."""
    return _serializer().dumps({"uid": user.id})


def user_from_token(*, session: Session, token: str) -> User | None:
    """The active user a valid, unexpired token names."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_MAX_AGE)
    except (BadSignature, SignatureExpired):
        return None
    user = session.get(User, int(data.get("uid", 0)))
    return user if user is not None and user.active else None


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
