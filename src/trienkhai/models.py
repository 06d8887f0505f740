"""Imports every feature's tables so the metadata (and Alembic) sees the whole schema."""

from trienkhai.campaigns import models as campaigns
from trienkhai.documents import models as documents
from trienkhai.ingest import models as ingest
from trienkhai.jobs import models as jobs
from trienkhai.outputs import models as outputs
from trienkhai.reports import models as reports
from trienkhai.themes import models as themes
from trienkhai.units import models as units
from trienkhai.users import models as users

__all__ = [
    "campaigns",
    "documents",
    "ingest",
    "jobs",
    "outputs",
    "reports",
    "themes",
    "units",
    "users",
]
