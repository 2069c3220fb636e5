"""A request body must arrive in time: pure ASGI middleware around ``receive``.

Uvicorn times out idle keep-alive connections but not a request whose body
stops coming: a body shorter than its Content-Length held a connection (and
the request's task) open for minutes. Here the whole body must arrive within
``seconds`` of the app first asking for it, which also stops a client that
trickles one byte at a time. Then the client gets ``408`` (with
``Connection: close``, since the rest of its body can no longer be told from a
next request), and the app sees what it sees when a client goes away:
``http.disconnect``, so it stops reading without a special case.

A client that does go away mid-body is not an error of ours: see
``problems.install`` (``ClientDisconnect`` is logged at info, without a trace).
"""

from __future__ import annotations

import asyncio
import json
import logging

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rughernia.web.problems import BODY_TIMED_OUT, PROBLEM_JSON, problem_body

log = logging.getLogger("rughernia.web")


class BodyTimeout:
    def __init__(self, app: ASGIApp, seconds: float) -> None:
        self.app = app
        self.seconds = seconds

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline: float | None = None
        declared = any(
            (name == b"content-length" and value.strip() != b"0") or name == b"transfer-encoding"
            for name, value in scope.get("headers", ())
        )
        body_done = False
        started = False  # the app has begun its answer: too late for ours
        answered = False  # we answered 408: whatever the app sends next goes nowhere

        async def timed_receive() -> Message:
            nonlocal deadline, body_done, answered
            if BODY_TIMED_OUT in scope:
                return {"type": "http.disconnect"}  # for the app, the client is gone
            if body_done:
                # After the body only a disconnect can come; waiting for it is not reading.
                return await receive()
            if deadline is None:
                deadline = asyncio.get_running_loop().time() + self.seconds
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                scope[BODY_TIMED_OUT] = True
                log.info(
                    "request body incomplete after %gs: %s %s",
                    self.seconds,
                    scope.get("method"),
                    scope.get("path"),
                )
                if not started:
                    answered = True
                    await _answer_408(send, self.seconds)
                return {"type": "http.disconnect"}
            if message["type"] != "http.request" or not message.get("more_body", False):
                body_done = True
            return message

        async def guarded_send(message: Message) -> None:
            nonlocal started
            if answered:
                return
            if message["type"] == "http.response.start":
                started = True
                if declared and not body_done:
                    # Answered without the whole body (a route that does not read one): the
                    # rest may never come, and the server would wait for it on this
                    # connection, so it ends with this answer.
                    message["headers"] = [*message.get("headers", []), (b"connection", b"close")]
            await send(message)

        await self.app(scope, timed_receive, guarded_send)


async def _answer_408(send: Send, seconds: float) -> None:
    title = "The request body did not arrive in time"
    detail = f"Send the whole body within {seconds:g} seconds"
    body = json.dumps(problem_body(408, "request-timeout", title, detail)).encode()
    headers = [
        (b"content-type", PROBLEM_JSON.encode()),
        (b"content-length", str(len(body)).encode()),
        (b"connection", b"close"),
    ]
    await send({"type": "http.response.start", "status": 408, "headers": headers})
    await send({"type": "http.response.body", "body": body})
