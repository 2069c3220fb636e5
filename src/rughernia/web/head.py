"""HEAD answers exactly as GET would, without the body (RFC 9110, section 9.3.2).

FastAPI's routes list only the methods they are declared with, so HEAD on a
GET route was a 405. Rather than a second route per GET (which the OpenAPI
document, the route matrix and the audit coverage would each have to list),
this pure ASGI wrapper hands the app a GET and drops the body it sends back:
status and headers (Content-Length included) are the GET's, so a client can
trust them. The app's code sees a GET: the same access check and audit row.
"""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class HeadAsGet:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return
        # A copy: the server's own scope keeps HEAD, so it sends no body and expects none.
        as_get = {**scope, "method": "GET"}

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                if message.get("more_body", False):
                    return  # the GET's body, part by part: none of it is sent
                message = {"type": "http.response.body", "body": b"", "more_body": False}
            await send(message)

        await self.app(as_get, receive, without_body)
