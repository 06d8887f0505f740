"""The one typed settings object; nothing else in the package reads the environment."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Literal

from pydantic import SecretStr, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

# The placeholder earlier versions shipped as the default. It is public, so it is refused when
# configured; without TRIENKHAI_SECRET_KEY the server makes a random secret (trienkhai.security).
DEV_SECRET = "dev-insecure-secret-change-me"  # noqa: S105 - kept only to refuse it


class Settings(BaseSettings):
    """Every TRIENKHAI_* variable, typed and documented in docs/settings.md."""

    model_config = SettingsConfigDict(env_prefix="TRIENKHAI_", env_file=".env", extra="ignore")

    env: Literal["development", "test", "production"] = "development"
    data_dir: Path = Path("var")
    database_url: str = ""
    # Connections per process (docs/scaling.md): N web processes and M workers together must
    # stay under PostgreSQL's max_connections.
    db_pool_size: int = 10
    db_max_overflow: int = 20
    secret_key: SecretStr = SecretStr("")
    host: str = "127.0.0.1"
    port: int = 8000
    language: Literal["vi", "en"] = "vi"
    timezone: str = "Asia/Ho_Chi_Minh"
    max_upload_mb: int = 50
    max_import_rows: int = 20_000
    # An uploaded import at least this big runs as a job the page polls (web and API).
    import_job_min_kb: int = 256
    soffice_path: str = "soffice"
    tesseract_path: str = "tesseract"
    ocr_languages: str = "vie"
    # Files, uploads and resource limits (docs/security.md, "Files, uploads and fuzzing").
    soffice_isolation: Literal["auto", "namespace", "profile"] = "auto"
    ocr_max_page_pixels: int = 40_000_000
    ocr_max_document_pixels: int = 400_000_000
    ocr_max_pages: int = 100
    ocr_timeout_s: int = 600
    smtp_host: str = ""
    smtp_port: int = 25
    smtp_user: str = ""
    smtp_password: SecretStr = SecretStr("")
    smtp_from: str = "trienkhai@localhost"
    smtp_starttls: bool = False
    base_url: str = "http://127.0.0.1:8000"
    # Security (issue 10): body limits, token lifetimes, login throttling, cookies.
    max_body_kb: int = 1024
    token_hours: int = 12
    session_days: int = 14
    ics_token_days: int = 180
    login_max_failures: int = 5
    login_max_failures_per_address: int = 20
    login_window_minutes: int = 15
    cookie_secure: bool = False
    # Jobs (docs/jobs.md): "auto" runs them on threads of the web process with SQLite and by
    # `trienkhai worker` processes (procrastinate) with PostgreSQL.
    jobs_backend: Literal["auto", "inprocess", "procrastinate"] = "auto"
    jobs_threads: int = 2
    jobs_tick_seconds: float = 30.0
    jobs_heartbeat_seconds: float = 10.0
    jobs_stale_seconds: float = 60.0
    jobs_retry_seconds: float = 30.0
    # Operations (docs/scaling.md): log format and the proxies whose X-Forwarded-* are believed.
    log_format: Literal["text", "json"] = "text"
    log_level: str = "INFO"
    trusted_proxies: str = ""
    # Output discovery (issue 12, docs/ingest.md): address guard, politeness, limits, polling.
    crawl_allow_networks: str = ""
    crawl_delay_s: float = 1.0
    crawl_timeout_s: float = 20.0
    crawl_max_bytes: int = 10_000_000
    crawl_max_redirects: int = 5
    crawl_max_wait_s: float = 60.0
    crawl_concurrency: int = 16
    crawl_fetch_articles: bool = True
    crawl_max_articles: int = 100
    crawl_poll_minutes: int = 60
    crawl_poll_min_minutes: int = 15
    crawl_poll_max_minutes: int = 1440
    crawl_pause_after: int = 10
    crawl_every_minutes: int = 5
    # A crawl job claims at most this many due sources; when more are due it spawns another
    # crawl job first, so every idle worker takes a share.
    crawl_batch_sources: int = 200
    # After fetching: extraction, dedup against this many days of stored items, matching.
    dedup_window_days: int = 30
    pipeline_batch: int = 100
    verify_every_hours: int = 24
    jobs_keep_days: int = 14

    @model_validator(mode="after")
    def _refuse_placeholder_secret(self) -> Settings:
        """Refuse the old public development secret, and secrets too short to resist guessing."""
        secret = self.secret_key.get_secret_value()
        if secret == DEV_SECRET:
            msg = "TRIENKHAI_SECRET_KEY: the published development secret may not sign anything"
            raise ValueError(msg)
        if secret and len(secret) < 32:
            msg = "TRIENKHAI_SECRET_KEY must be at least 32 characters (or unset: one is generated)"
            raise ValueError(msg)
        return self

    @property
    def effective_database_url(self) -> str:
        """The database URL, defaulting to a SQLite file in the data directory."""
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'trienkhai.db').resolve()}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Settings read once per process."""
    return Settings()
