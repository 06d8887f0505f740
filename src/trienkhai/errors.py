"""One error hierarchy for the services, mapped once to HTTP answers and the Vietnamese error page.

Services raise these (or feature errors derived from them); routes never translate them one by
one. Each class also derives from the built-in error it replaced, so older `except ValueError`
callers (the CLI) keep working.
"""

from __future__ import annotations


class ServiceError(Exception):
    """Base of every error a service raises on purpose; the message is Vietnamese."""

    status_code = 400


class InvalidError(ServiceError, ValueError):
    """Input that breaks a rule; the message names the field and the reason (HTTP 422)."""

    status_code = 422


class NotFoundError(ServiceError, LookupError):
    """A row that does not exist, or that the actor may not know exists (HTTP 404)."""

    status_code = 404


class ForbiddenError(ServiceError, PermissionError):
    """A legal action the actor's role or unit does not allow (HTTP 403)."""

    status_code = 403


class ConflictError(ServiceError, RuntimeError):
    """Someone else changed the row first, or the action does not fit its state (HTTP 409)."""

    status_code = 409
