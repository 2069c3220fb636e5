"""A body limit for every route, enforced before anything parses the body.

A route that takes no body (every GET, sign-out, erasure) refuses one; a route that
takes a body takes at most ``DEFAULT_BODY_BYTES``; a route that needs more says so
with ``@allows_body(n)`` (only ``POST /assess``, a whole case with a long diary).
A declared Content-Length above the route's limit is refused at once, unread; a
body without one (chunked) is read only up to the limit. So no request can make
the parser, the validator or the answer grow past a small, stated size.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.routing import APIRoute, iter_route_contexts
from starlette.routing import compile_path
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rughernia.web.problems import PROBLEM_JSON, problem_body

# The longest valid body of a default route is an acknowledgement with a 1000-character
# reason and a 2000-character note: 36 KB if every character is an emoji written as
# two \uXXXX escapes (12 bytes), as Python's json.dumps does. Everything else is smaller.
DEFAULT_BODY_BYTES = 64 * 1024

F = TypeVar("F", bound=Callable[..., Any])


def allows_body(limit: int) -> Callable[[F], F]:
    """Mark a route's endpoint as taking a body of up to ``limit`` bytes."""

    def mark(endpoint: F) -> F:
        endpoint.body_limit = limit  # type: ignore[attr-defined]
        return endpoint

    return mark


def body_limit_of(route: object) -> int:
    """0 for a route without a body: FastAPI's own (a model) or ours (documented raw JSON).
    Routes that are not API routes (the OpenAPI document) take none."""
    if not isinstance(route, APIRoute):
        return 0
    takes_body = route.body_field is not None or "requestBody" in (route.openapi_extra or {})
    default = DEFAULT_BODY_BYTES if takes_body else 0
    return int(getattr(route.endpoint, "body_limit", default))


def _too_large(limit: int) -> list[Message]:
    title = f"The body is larger than {limit} bytes" if limit else "This request takes no body"
    body = problem_body(413, "too-large", title, None)
    raw = json.dumps(body).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(raw)).encode()),
        # The rest of the body is not read: the connection cannot carry another request.
        (b"connection", b"close"),
    ]
    return [
        {"type": "http.response.start", "status": 413, "headers": headers},
        {"type": "http.response.body", "body": raw},
    ]


class BodyLimit:
    """Pure ASGI, so a request within the default limit costs one header lookup."""

    def __init__(self, app: ASGIApp, limits: list[tuple[re.Pattern[str], set[str], int]]) -> None:
        self.app = app
        self.limits = limits  # (path regex, methods, limit) of every route

    def limit_for(self, scope: Scope) -> int | None:
        for regex, methods, limit in self.limits:
            if scope["method"] in methods and regex.match(scope["path"]):
                return limit
        return None  # no route: the answer is 404 or 405, and no body is read

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = None
        for name, value in scope["headers"]:
            if name == b"content-length":
                # Bounded: int() of thousands of digits is slow, then an error (a 500).
                declared = int(value) if value.isdigit() and len(value) <= 18 else None
                break
        else:
            if not any(name == b"transfer-encoding" for name, _ in scope["headers"]):
                declared = 0  # no body at all
        if declared == 0:
            await self.app(scope, receive, send)
            return
        limit = self.limit_for(scope)
        if limit is None:
            await self.app(scope, receive, send)
            return
        if declared is not None:
            if declared > limit:
                await _reply(send, _too_large(limit))
                return
            await self.app(scope, receive, send)  # the server stops at Content-Length
            return
        # No (valid) Content-Length: read up to the limit here, then hand the body on.
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                break  # the client went away; the app sees the disconnect
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                await _reply(send, _too_large(limit))
                return
            chunks.append(chunk)
            if not message.get("more_body", False):
                break
        body = b"".join(chunks)
        replayed = False

        async def replay() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, replay, send)


async def _reply(send: Send, messages: list[Message]) -> None:
    for message in messages:
        await send(message)


def install(app: FastAPI) -> None:
    """After the routes are in: each route's limit, read from its endpoint."""
    limits = [
        (compile_path(ctx.path or "")[0], set(ctx.methods or ()), body_limit_of(ctx.route))
        for ctx in iter_route_contexts(app.routes)  # an included router's prefix is in ctx.path
    ]
    app.add_middleware(BodyLimit, limits=limits)
