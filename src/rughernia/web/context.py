"""Per-request context: the database session, the clock, and who is asking.

A request is one transaction: the ``db`` dependency opens it, the care
operation the handler calls commits it as its audited step ends, before the
answer (so an acknowledged write is durable), and anything not committed is
rolled back when the session closes.

A request holds its pooled connection from its first query until the session
closes, across several hops between the event loop and worker threads. So a
request waits for a free connection here, on the event loop (in ``db``),
never in a worker thread: threads blocked on an empty pool would take all of
the thread pool, and the requests holding the connections could not take
their next hop to finish and give them back (a deadlock until the pool's
timeout, seen with more than 40 concurrent clients on SQLite).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hmac
import weakref
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Annotated, Concatenate, ParamSpec, TypeVar

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker
from starlette.concurrency import run_in_threadpool

from rughernia.care import access, signin
from rughernia.care.cds import Trust
from rughernia.care.passwords import Passwords
from rughernia.care.shapes import MAX_ID, Actor, SignedIn
from rughernia.settings import Settings
from rughernia.web.ids import canonical_int
from rughernia.web.problems import ApiError, is_unauthenticated

SESSION_COOKIE = "rughernia_session"
CSRF_COOKIE = "rughernia_csrf"
CSRF_HEADER = "X-CSRF-Token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})

Clock = Callable[[], dt.datetime]
P = ParamSpec("P")
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class AppState:
    """What the app factory sets up once and every request reads."""

    settings: Settings
    sessions: sessionmaker[Session]
    read_sessions: sessionmaker[Session]  # for GET/HEAD: see store.engine.relaxed
    clock: Clock
    passwords: Passwords
    # How many requests may use the database at once: the pool's connections.
    db_slots: int = 1
    # The CDS clients we trust (their key set read once, at start).
    cds_trust: Trust = field(default_factory=lambda: Trust(None, (), False))
    _gates: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = field(
        default_factory=weakref.WeakKeyDictionary, repr=False
    )

    def gate(self) -> asyncio.Semaphore:
        """This event loop's gate to the database (tests may run one app on several loops)."""
        loop = asyncio.get_running_loop()
        gate = self._gates.get(loop)
        if gate is None:
            gate = self._gates[loop] = asyncio.Semaphore(self.db_slots)
        return gate


def app_state(request: Request) -> AppState:
    state: AppState = request.app.state.rughernia
    return state


async def db(request: Request) -> AsyncIterator[Session]:
    """The request's session, once a connection is free (waited for on the event loop).

    Async on purpose: making a session does no I/O, and every hop to a worker
    thread is a wait for the busy event loop while the connection is held.
    """
    state = app_state(request)
    # A read changes only the audit trail; see store.engine.relaxed for the risk.
    factory = state.read_sessions if request.method in SAFE_METHODS else state.sessions
    async with state.gate():
        session = factory()
        try:
            yield session
        except Exception as exc:
            if is_unauthenticated(exc):
                await run_in_threadpool(_audit_unauthenticated, session, request)
            raise
        finally:
            await _close(session)


DB = Annotated[Session, Depends(db)]


async def in_session(
    request: Request, work: Callable[Concatenate[Session, P], T], *args: P.args, **kw: P.kwargs
) -> T:
    """``work(session, ...)`` in a worker thread, in a session of its own, once a
    connection is free; the connection is given back as soon as it returns.

    For routes with slow work that needs no database (sign-in's password check):
    they call this before and after that work instead of holding a connection (on
    SQLite: the write lock) all along, as the ``db`` dependency would.
    """
    state = app_state(request)
    async with state.gate():
        session = state.sessions()
        try:
            return await run_in_threadpool(work, session, *args, **kw)
        finally:
            await _close(session)


async def _close(session: Session) -> None:
    if session.in_transaction():  # not committed: the rollback talks to the database
        await run_in_threadpool(session.close)
    else:
        session.close()


def _audit_unauthenticated(session: Session, request: Request) -> None:
    """An attempt without a valid session on a patient's record is audited too.

    Nobody is signed in, so the action names the route itself, e.g.
    ``GET /diary/{date}`` for ``GET /api/v1/patients/7/diary/2026-03-01``.
    """
    patient_id = canonical_int(request.path_params.get("patient_id"), MAX_ID)
    if patient_id is None:
        return  # not a route on a record, or an id that names no patient (0, 01, 1.0)
    route = request.scope.get("route")
    template = str(getattr(route, "path_format", None) or "{patient_id}")
    action = f"{request.method} {template.partition('{patient_id}')[2] or '/'}"[:40]
    client = request.client.host if request.client else None
    access.unauthenticated(session, client, action, patient_id, app_state(request).clock())


@dataclass(slots=True)
class Ctx:
    """Who asks, and when. The token is looked up on first use of ``user``:
    that happens inside the handler's worker thread, so a request makes one hop to a
    thread for all of its database work instead of one more for the lookup alone.
    """

    settings: Settings
    now: dt.datetime
    today: dt.date  # the server's date in the configured zone (Europe/Amsterdam)
    client_address: str | None
    via_cookie: bool = False
    _db: Session | None = None
    _token: str | None = None
    _required: bool = False  # set by signed_in: no valid session is a 401
    _csrf_sent: str | None = None  # set by signed_in for cookie-signed unsafe requests
    _resolved: bool = False
    _user: SignedIn | None = None

    @property
    def user(self) -> SignedIn | None:
        """The signed-in user and their session (token hash, CSRF token), or None."""
        self._resolve()
        return self._user

    def _resolve(self) -> None:
        if self._resolved:
            return
        self._resolved = True
        if self._token is not None and self._db is not None:
            found = signin.signed_in(self._db, self._token, self.now)
            if found is None and not self.via_cookie:  # a stale cookie is just no session
                raise ApiError(
                    401,
                    "unauthenticated",
                    "Sign in first",
                    "the token is unknown or has expired",
                    headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
                )
            self._user = found
        if not self._required:
            return
        if self._user is None:
            raise ApiError(
                401, "unauthenticated", "Sign in first", headers={"WWW-Authenticate": "Bearer"}
            )
        sent = self._csrf_sent
        if sent is not None and not hmac.compare_digest(
            sent.encode(), self._user.csrf_token.encode()
        ):
            raise ApiError(
                403,
                "csrf",
                "Missing or wrong CSRF token",
                f"send the {CSRF_HEADER} header given at sign-in with cookie-signed requests",
            )

    @property
    def actor(self) -> Actor:
        u = self.user
        return Actor(
            user_id=u.id if u else None,
            username=u.username if u else None,
            role=u.role if u else None,
            client_address=self.client_address,
        )


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization")
    if not header:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(
            401,
            "unauthenticated",
            "Sign in first",
            "use 'Authorization: Bearer <token>'",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return token.strip()


async def context(request: Request, session: DB) -> Ctx:
    """Who is asking (or nobody), looked up lazily; no I/O here, so it runs on the loop."""
    return _context(request, session)


def anonymous(request: Request, session: Session | None = None) -> Ctx:
    """The request's time and address, and nobody signed in (yet)."""
    state = app_state(request)
    now = state.clock()
    return Ctx(
        settings=state.settings,
        now=now,
        today=now.astimezone(state.settings.zone).date(),
        client_address=request.client.host if request.client else None,
        _db=session,
    )


def _context(request: Request, session: Session) -> Ctx:
    ctx = anonymous(request, session)
    token = _bearer(request)
    if token is None:
        token = request.cookies.get(SESSION_COOKIE)
        ctx.via_cookie = token is not None
    if token and len(token) <= 200:
        ctx._token = token
    return ctx


async def signed_in(request: Request, ctx: Annotated[Ctx, Depends(context)]) -> Ctx:
    """A signed-in user; a cookie-signed unsafe request must also carry the CSRF token.

    Only routes that act on the cookie's identity check it: signing in again or
    redeeming an invitation with an old cookie in the browser must still work.
    Without any token the answer is 401 at once; a token is checked on first use.
    """
    return _required(request, ctx)


def _required(request: Request, ctx: Ctx) -> Ctx:
    if ctx._token is None:
        raise ApiError(
            401, "unauthenticated", "Sign in first", headers={"WWW-Authenticate": "Bearer"}
        )
    ctx._required = True
    if ctx.via_cookie and request.method not in SAFE_METHODS:
        ctx._csrf_sent = request.headers.get(CSRF_HEADER, "")
    return ctx


def user_in(session: Session, request: Request) -> SignedIn:
    """The signed-in user, checked exactly as ``signed_in`` checks (token, CSRF), in the
    caller's own session: for a route that, like sign-in, calls ``in_session`` around slow
    work (argon2) instead of holding the ``db`` dependency's connection all along."""
    user = _required(request, _context(request, session)).user
    assert user is not None  # _resolve raised otherwise
    return user


AnyCtx = Annotated[Ctx, Depends(context)]
UserCtx = Annotated[Ctx, Depends(signed_in)]


def _passwords(request: Request) -> Passwords:
    return app_state(request).passwords


Hasher = Annotated[Passwords, Depends(_passwords)]
