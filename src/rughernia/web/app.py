"""The app factory: ``create_app(settings)`` in-process, ``app_from_env`` for uvicorn workers."""

from __future__ import annotations

import datetime as dt
import gc
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI

from rughernia import __version__, cds_settings
from rughernia.care.cds import Trust
from rughernia.care.passwords import Passwords
from rughernia.settings import Settings
from rughernia.store.engine import make_engine, relaxed, session_factory
from rughernia.web import api, docs, limits, pages, problems
from rughernia.web.context import AppState, Clock
from rughernia.web.head import HeadAsGet
from rughernia.web.headers import SecurityHeaders
from rughernia.web.timeouts import BodyTimeout

DESCRIPTION = (
    "The care pathway of the Dutch leaflet 'Rughernia' (lumbar disc herniation with "
    "sciatica): assessment, the patient's diary and record, and the clinician's view."
)


# See app_from_env.
GC_YOUNG_THRESHOLD = 50_000


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def create_app(settings: Settings, *, clock: Clock = _utcnow) -> FastAPI:
    """A ready app on ``settings.database_url``; the schema must be migrated already."""
    engine = make_engine(
        settings.database_url,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
    )

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        engine.dispose()

    app = FastAPI(
        title="Rughernia",
        version=__version__,
        description=DESCRIPTION,
        openapi_url=docs.OPENAPI_PATH,
        docs_url=None,  # FastAPI's pages load Swagger/ReDoc from a CDN; ours is local
        redoc_url=None,
        lifespan=lifespan,
        # Starlette answers /path/ with a redirect whose Location it builds from the Host
        # header, so a forged Host (or a proxy's) ends up in it. Every path has one spelling:
        # anything else is a 404 problem.
        redirect_slashes=False,
    )
    app.state.rughernia = AppState(
        settings=settings,
        sessions=session_factory(engine),
        read_sessions=session_factory(relaxed(engine)),
        clock=clock,
        passwords=Passwords(settings),
        # One connection per process on SQLite (see store.engine), else the pool's maximum.
        db_slots=1 if settings.is_sqlite else settings.db_pool_size + settings.db_max_overflow,
        cds_trust=_cds_trust(settings),
    )
    app.state.engine = engine
    problems.install(app)
    api.install(app)
    docs.install(app)
    pages.install(app)  # after problems: it shows their answers as pages
    limits.install(app)
    # Inside SecurityHeaders, so that its own 408 carries them too.
    app.add_middleware(BodyTimeout, seconds=settings.body_timeout_seconds)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(HeadAsGet)
    return app


def _cds_trust(settings: Settings) -> Trust:
    """The key set is read here, once: a file changed later needs a restart, like any setting."""
    jwks, issuers = settings.cds_jwks_file, settings.cds_issuers
    keys = cds_settings.load_jwks(jwks, issuers) if jwks else None
    return Trust(keys, settings.cds_issuer_list, settings.demo_mode)


def app_from_env() -> FastAPI:
    """For ``uvicorn --factory`` (``rughernia serve``): settings from RUGHERNIA_* variables."""
    app = create_app(Settings.from_env())
    # What start-up made (modules, content, templates) lives as long as the process: moved
    # out of the collector's sight, a full collection no longer walks it each time a large
    # answer (a year's FHIR Bundle) is built. Measured: 17 ms to build it, 6 ms after.
    gc.freeze()
    # A collection every 700 new containers (Python's default) ran 58 times in one CDS
    # Hooks call with a year of prefetch (its 1.2 MB body is ~40,000 dicts and lists, freed
    # by reference counting when the call ends), 11-15 ms of a 45 ms call, and promoted
    # the body to the older generations, whose full walks stall every request of the
    # worker. At 50,000 a request's own short-lived data seldom starts one; the few
    # reference cycles wait a little longer for theirs.
    gc.set_threshold(GC_YOUNG_THRESHOLD, *gc.get_threshold()[1:])
    return app
