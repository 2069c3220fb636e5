"""What every page needs: its language, who is signed in, and the form token.

A state-changing form carries a CSRF token in a hidden field. Signed in, it is the
session's own token (as the API's ``X-CSRF-Token``); not signed in (sign-in, joining,
the language switch), it must equal a random cookie set with the form (double
submit), so a form posted from another site is refused and nothing is stored.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass, field
from typing import Annotated, Any, cast

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rughernia.pathway import Assessment
from rughernia.web.context import Ctx, anonymous, context
from rughernia.web.limits import DEFAULT_BODY_BYTES, allows_body
from rughernia.web.pages.render import Lang, html
from rughernia.web.problems import ApiError

LANG_COOKIE = "rughernia_lang"
FORM_COOKIE = "rughernia_form"
FORM_FIELD = "csrf"
YEAR = 365 * 24 * 3600
# A page's form is read by the handler itself (``Page.form``), so FastAPI cannot see that
# the route takes a body: each form route says so, with the default limit (a diary day
# with a 2000-character note is at most about 25 KB as a form).
takes_form = allows_body(DEFAULT_BODY_BYTES)


@dataclass(slots=True)
class Page:
    request: Request
    ctx: Ctx
    lang: Lang
    _form_token: str | None = None
    _new_form_token: bool = False
    cookies: dict[str, tuple[str, int]] = field(default_factory=dict)

    @property
    def csrf(self) -> str:
        """The token the page's forms carry."""
        user = self.ctx.user
        if user is not None:
            return user.csrf_token
        if self._form_token is None:
            self._form_token = secrets.token_urlsafe(24)
            self._new_form_token = True
        return self._form_token

    def render(self, template: str, status: int = 200, **data: Any) -> HTMLResponse:
        response = html(
            self.lang,
            template,
            status,
            csrf=self.csrf,
            user=self.ctx.user,
            path=self.request.url.path,
            **data,
        )
        self.finish(response)
        return response

    def redirect(self, url: str) -> RedirectResponse:
        response = RedirectResponse(url, status_code=303)
        self.finish(response)
        return response

    def finish(self, response: Response) -> None:
        secure = self.request.url.scheme == "https"
        if self._new_form_token and self._form_token is not None:
            response.set_cookie(
                FORM_COOKIE, self._form_token, httponly=True, samesite="strict", secure=secure
            )
        for name, (value, max_age) in self.cookies.items():
            response.set_cookie(
                name, value, max_age=max_age, httponly=True, samesite="lax", secure=secure
            )

    async def form(self) -> FormData:
        """The posted form, once its CSRF token is checked (403 and nothing done if not)."""
        posted = await self.posted()
        # Who is signed in is a query: in a worker thread, never on the event loop.
        return await run_in_threadpool(self.checked, posted)

    async def posted(self) -> FormData | None:
        """The posted form, not checked yet (None: not sent as a form). For a handler that
        does all its database work in one worker thread: it calls ``checked`` there."""
        if self.request.headers.get("content-type", "").split(";")[0].strip() not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            return None
        return await self.request.form(max_files=0, max_fields=200)

    def checked(self, posted: FormData | None) -> FormData:
        """``posted`` once its CSRF token is checked: 415 or 403, and nothing done, if not.
        Looks up who is signed in (a query): call it in a worker thread."""
        if posted is None:
            raise ApiError(415, "unsupported-media-type", "Send the form as a form")
        sent = str(posted.get(FORM_FIELD) or "")
        user = self.ctx.user
        expected = user.csrf_token if user is not None else self._form_token
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            raise ApiError(403, "csrf", "Missing or wrong CSRF token", "reload the page")
        return posted


def page_lang(request: Request) -> Lang:
    wanted = request.cookies.get(LANG_COOKIE)
    return "en" if wanted == "en" else "nl"


def shown(assessment: Assessment) -> dict[str, Any]:
    """An assessment in the contract's JSON shape, as the templates read it."""
    return cast(dict[str, Any], assessment.to_dict())


async def page(request: Request, ctx: Annotated[Ctx, Depends(context)]) -> Page:
    return Page(request, ctx, page_lang(request), request.cookies.get(FORM_COOKIE))


PageCtx = Annotated[Page, Depends(page)]


async def page_without_db(request: Request) -> Page:
    """For sign-in and joining: they take database connections of their own around the
    password hashing (``web.signing``), so the request must not hold one all along (on
    SQLite there is one: it would wait for itself). Nobody counts as signed in here."""
    return Page(request, anonymous(request), page_lang(request), request.cookies.get(FORM_COOKIE))


AnonPageCtx = Annotated[Page, Depends(page_without_db)]
