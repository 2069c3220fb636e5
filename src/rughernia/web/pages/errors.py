"""Errors on a page: the app's problem answer shown as a page, in the page's language.

The handlers of ``web/problems.py`` decide status and kind once, for every surface;
here each is wrapped so that a request for a page (not ``/api/``, not CDS Hooks, not
a static file) gets HTML instead of problem+json. A page that needs a session sends
the visitor to the sign-in page and back.
"""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from urllib.parse import quote

from fastapi import FastAPI, Request
from starlette.responses import RedirectResponse, Response

from rughernia.web.pages.frame import page_lang
from rughernia.web.pages.render import Lang, html, tr

Handler = Callable[[Request, Exception], Awaitable[Response]]
NOT_PAGES = ("/api/", "/cds-services", "/static/")


def is_page(request: Request) -> bool:
    return not request.url.path.startswith(NOT_PAGES)


def _is_fragment(request: Request) -> bool:
    """An htmx request for part of a page, not a boosted link or form (a whole page)."""
    headers = request.headers
    return headers.get("hx-request") == "true" and headers.get("hx-boosted") != "true"


def _texts(status: int, lang: Lang) -> tuple[str, str]:
    if status == 404:
        return (
            tr(lang, "Page not found"),
            tr(lang, "This page does not exist, or it is not yours."),
        )
    if status == 403:
        return (
            tr(lang, "Not allowed"),
            tr(lang, "The form has expired. Go back, reload the page and try again."),
        )
    if status == 429:
        return tr(lang, "Too many attempts"), tr(lang, "Wait a little and try again.")
    if status < 500:
        return (
            tr(lang, "This did not work"),
            tr(lang, "Something in the request was not right. Go back and try again."),
        )
    return (
        tr(lang, "Something went wrong"),
        tr(lang, "Something went wrong on our side. Try again later."),
    )


def _wrap(handler: Handler) -> Handler:
    async def on_page(request: Request, exc: Exception) -> Response:
        response = await handler(request, exc)
        if not is_page(request) or response.media_type != "application/problem+json":
            return response
        if _is_fragment(request):
            # A part of a page (the worklist's rows, polled): an error page there would
            # sit inside the list, and keeping the old rows would show a list that no
            # longer updates as if it did. The whole page is loaded again instead, so
            # the clinician sees the sign-in page or the error itself.
            return Response(status_code=response.status_code, headers={"HX-Refresh": "true"})
        if response.status_code == 401:
            target = quote(request.url.path, safe="/")
            return RedirectResponse(f"/signin?next={target}", status_code=303)
        kind = json.loads(bytes(response.body)).get("type", "")
        lang = page_lang(request)
        title, message = _texts(response.status_code, lang)
        if kind.endswith("/intake-required"):
            return RedirectResponse("/intake", status_code=303)
        keep = {k: v for k, v in response.headers.items() if k.lower() == "retry-after"}
        return html(
            lang,
            "error.html",
            response.status_code,
            keep,
            title=title,
            message=message,
            csrf="",
            user=None,
            path=request.url.path,
        )

    return on_page


def install(app: FastAPI) -> None:
    """After ``problems.install``: wrap every handler it registered."""
    for key, handler in list(app.exception_handlers.items()):
        app.exception_handlers[key] = _wrap(handler)  # type: ignore[arg-type]
