"""Short database handlers run on the event loop when the database is embedded (SQLite).

A plain ``def`` route runs in a worker thread. On SQLite that hop is pure cost:
a process has one connection (see ``store.engine``), so its requests do their
database work one at a time anyway, and that work takes well under a
millisecond; the hop to a thread and back (and the handover of the GIL) cost
about 0.3 ms of CPU a request, a third of a signed-in read. So these handlers
are called straight from the event loop on SQLite.

PostgreSQL keeps the worker thread: there a query waits on the network, and
the loop must stay free while it does. Slow handlers (password hashing, a whole
export) are not marked ``quick`` and keep their thread on both.

The price on SQLite, accepted: while another process holds the write lock, a
quick handler waits for it on the event loop, so this process answers nothing
else until it gets the lock (as its requests would have queued for the one
connection anyway). Writes wait for the disk (synchronous=FULL) the same way.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Awaitable, Callable
from typing import ParamSpec, TypeVar

from sqlalchemy.orm import Session
from starlette.concurrency import run_in_threadpool

P = ParamSpec("P")
R = TypeVar("R")


def quick(handler: Callable[P, R]) -> Callable[P, Awaitable[R]]:
    """Mark a route handler with short database work; it must take ``session: DB``."""
    if "session" not in inspect.signature(handler).parameters:
        raise TypeError(f"{handler.__name__}: a quick handler takes the request's session")

    @functools.wraps(handler)  # FastAPI reads the parameters through __wrapped__
    async def run(*args: P.args, **kwargs: P.kwargs) -> R:
        session = kwargs["session"]
        if isinstance(session, Session) and embedded(session):
            return handler(*args, **kwargs)
        return await run_in_threadpool(handler, *args, **kwargs)

    return run


def embedded(session: Session) -> bool:
    bind = session.bind
    return bind is not None and bind.dialect.name == "sqlite"
