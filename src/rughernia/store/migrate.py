"""Alembic, configured in code so migrations work from an installed package."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "rughernia.store:migrations")
    # env.py runs on this engine instead of reading a URL from a file.
    config.attributes["engine"] = engine
    return config


def upgrade(engine: Engine, revision: str = "head") -> None:
    command.upgrade(alembic_config(engine), revision)


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        rev: str | None = MigrationContext.configure(connection).get_current_revision()
        return rev


def head_revision(engine: Engine) -> str | None:
    head: str | None = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    return head
