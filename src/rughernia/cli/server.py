"""``rughernia serve``, ``db upgrade``, ``user add`` and ``demo``: running the service."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from rughernia.care import accounts
from rughernia.care.errors import UsernameTaken
from rughernia.care.passwords import Passwords, password_problem
from rughernia.settings import Settings, SettingsError
from rughernia.store.engine import make_engine, session_factory
from rughernia.store.migrate import upgrade

err = Console(stderr=True)
out = Console()


@contextmanager
def migrated_engine() -> Iterator[tuple[Settings, Engine]]:
    """Settings and a migrated database; else one line and exit status 2 for a bad setting
    (usage, as for a bad option), or 1 for a database that fails."""
    try:
        settings = Settings.from_env()
        engine = make_engine(settings.database_url, pool_size=2, max_overflow=2)
    except (SettingsError, SQLAlchemyError, ValueError) as exc:
        # Plain text: rich wraps a long line at the terminal's width, and this must stay one.
        typer.echo(f"Configuration error: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        upgrade(engine)
        yield settings, engine
    except SQLAlchemyError as exc:
        err.print(f"[red]Database error[/red] ({_where(settings)}): {type(exc).__name__}: {exc}")
        raise typer.Exit(1) from None
    finally:
        engine.dispose()


def _where(settings: Settings) -> str:
    return make_url(settings.database_url).render_as_string(hide_password=True)


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(min=1, max=64, help="worker processes")] = 1,
    log_level: Annotated[str, typer.Option(help="uvicorn log level")] = "info",
) -> None:
    """Start the web app and JSON API (migrates the database first)."""
    import uvicorn

    with migrated_engine() as (settings, _unused):
        where = _where(settings)
    base = f"http://{host}:{port}"
    out.print(f"Rughernia on {base}/ (API docs: {base}/api/v1/docs; database: {where})")
    # The factory reads the same RUGHERNIA_* settings in every worker process.
    uvicorn.run(
        "rughernia.web.app:app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level=log_level,
        server_header=False,
    )


def db_upgrade() -> None:
    """Create or migrate the database schema to the newest version."""
    with migrated_engine() as (settings, _unused):
        out.print(f"Database is up to date: {_where(settings)}")


def user_add(
    username: Annotated[str, typer.Argument(help="lower-case login name")],
    role: Annotated[str, typer.Option(help="clinician or admin")] = "clinician",
    team: Annotated[
        list[str] | None, typer.Option(help="team name (repeat for more); created if new")
    ] = None,
    display_name: Annotated[str, typer.Option(help="name shown to others")] = "",
    password: Annotated[
        str, typer.Option(prompt=True, hide_input=True, confirmation_prompt=True)
    ] = "",
) -> None:
    """Add a clinician or admin account (patients join through an invitation code)."""
    # Every problem at once, each naming its own field: with a bad name and a bad password,
    # naming only the name sent people to fix the wrong thing first.
    problems = []
    if role not in ("clinician", "admin"):
        problems.append("--role must be clinician or admin; patients join with an invitation code")
    if not re.fullmatch(accounts.USERNAME_PATTERN, username):
        problems.append("username: use 3-64 lower-case letters, digits, '.', '_' or '-'")
    password_wrong = password_problem(password)
    if password_wrong:
        problems.append(f"password: {password_wrong}")
    if problems:
        for line in problems:
            err.print(line, markup=False, highlight=False)
        raise typer.Exit(2)
    with migrated_engine() as (settings, engine), session_factory(engine)() as session:
        try:
            new = accounts.NewAccount(username, password, role, display_name, team or [])
            accounts.create_account(session, Passwords(settings), new, at=dt.datetime.now(dt.UTC))
        except UsernameTaken:
            err.print(f"The username {username!r} is taken")
            raise typer.Exit(1) from None
        session.commit()
    teams = ", ".join(team or []) or "no team"
    out.print(f"Added {role} {username!r} ({teams})")


def demo(
    if_empty: Annotated[
        bool, typer.Option("--if-empty", help="only when the database has no users yet")
    ] = False,
    base_url: Annotated[str, typer.Option(help="where the service will listen")] = (
        "http://127.0.0.1:8000"
    ),
) -> None:
    """Fill the database with a demo team, clinician and patients in every phase."""
    from rughernia.care import demo as demo_data

    with migrated_engine() as (settings, engine), session_factory(engine)() as session:
        if not demo_data.is_empty(session):
            if if_empty:
                out.print("The database has users already; no demo data added.")
                return
            if demo_data.is_there(session):
                out.print("The demo data is there already.")
                typer.echo(demo_data.sign_in_help(base_url))
                return
        now = dt.datetime.now(dt.UTC)
        today = now.astimezone(settings.zone).date()
        demo_data.create(session, Passwords(settings), today, now)
        session.commit()
    typer.echo(demo_data.sign_in_help(base_url))


def register(app: typer.Typer) -> None:
    """Add this module's commands to the ``rughernia`` app."""
    app.command()(serve)
    app.command()(demo)
    db_app = typer.Typer(help="The database.", no_args_is_help=True)
    db_app.command("upgrade")(db_upgrade)
    app.add_typer(db_app, name="db")
    user_app = typer.Typer(help="Accounts.", no_args_is_help=True)
    user_app.command("add")(user_add)
    app.add_typer(user_app, name="user")
