"""typer root: commands parse arguments and call services, nothing more."""

from __future__ import annotations

import typer

from trienkhai import db_commands, demo_commands
from trienkhai.campaigns import commands as campaign_commands
from trienkhai.documents import commands as document_commands
from trienkhai.ingest import commands as ingest_commands
from trienkhai.ingest import verify_commands
from trienkhai.jobs import commands as job_commands
from trienkhai.outputs import commands as output_commands
from trienkhai.reports import commands as report_commands
from trienkhai.themes import commands as theme_commands
from trienkhai.units import commands as unit_commands
from trienkhai.users import commands as user_commands
from trienkhai.web.commands import serve as serve_command

app = typer.Typer(
    name="trienkhai",
    help="Đọc văn bản chỉ đạo, theo dõi triển khai và báo cáo kết quả tuyên truyền.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root() -> None:
    """trienkhai: read directives, run campaigns, collect outputs, report."""


app.command("parse")(document_commands.parse)
app.command("check")(document_commands.check)
app.add_typer(db_commands.app, name="db")
app.command("backup")(db_commands.backup)
app.command("restore")(db_commands.restore)
app.command("demo")(demo_commands.demo)
app.command("serve")(serve_command)
app.add_typer(unit_commands.app, name="units")
app.add_typer(campaign_commands.app, name="campaign")
app.add_typer(report_commands.app, name="report")
app.command("remind")(report_commands.remind)
app.add_typer(user_commands.app, name="users")
app.add_typer(output_commands.app, name="outputs")
app.add_typer(theme_commands.app, name="themes")
app.add_typer(job_commands.app, name="jobs")
app.command("worker")(job_commands.worker)
app.add_typer(ingest_commands.app, name="sources")
app.command("crawl")(ingest_commands.crawl)
app.command("verify")(verify_commands.verify)


def main() -> None:
    """Console-script entry point."""
    app()


if __name__ == "__main__":
    main()
