"""Factories of the users area: accounts that can sign in, bearer headers, an API client.

Kept here rather than in tests/factories.py, which several engineers rewrite concurrently.
"""

from __future__ import annotations

import itertools
import uuid

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from trienkhai.deps import get_session
from trienkhai.users.models import User
from trienkhai.users.service import create_user, issue_token
from trienkhai.web.app import create_app

PASSWORD = "mat-khau-thu-nghiem"
_SEQ = itertools.count(1)


def make_account(
    session: Session, *, role: str, unit_id: int | None = None, username: str | None = None
) -> User:
    """A user who signs in with PASSWORD, created through the users service."""
    name = username or f"{role}-{next(_SEQ)}-{uuid.uuid4().hex[:6]}"
    return create_user(
        session=session, username=name, password=PASSWORD, role=role, unit_id=unit_id
    )


def bearer(user: User) -> dict[str, str]:
    """An Authorization header with a fresh token of the user."""
    return {"Authorization": f"Bearer {issue_token(user)}"}


def api_client(session: Session) -> TestClient:
    """A TestClient whose requests run inside the test's session (rolled back afterwards)."""
    app = create_app(session.get_bind().engine)

    def same_session() -> Session:
        return session

    app.dependency_overrides[get_session] = same_session
    return TestClient(app)
