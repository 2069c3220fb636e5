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
from typing import Annotated, Any

from fastapi import Depends, Request
from starlette.datastructures import FormData
from starlette.responses import HTMLResponse, RedirectResponse, Response

from rughernia.care.errors import CareError
from rughernia.web.context import Ctx, context
from rughernia.web.pages.render import LANGS, Lang, html
from rughernia.web.problems import ApiError

LANG_COOKIE = "rughernia_lang"
FORM_COOKIE = "rughernia_form"
FORM_FIELD = "csrf"
YEAR = 365 * 24 * 3600


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
        if self.request.headers.get("content-type", "").split(";")[0].strip() not in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            raise ApiError(415, "unsupported-media-type", "Send the form as a form")
        data = await self.request.form(max_files=0, max_fields=200)
        sent = str(data.get(FORM_FIELD) or "")
        user = self.ctx.user
        expected = user.csrf_token if user is not None else self._form_token
        if not expected or not hmac.compare_digest(sent.encode(), expected.encode()):
            raise ApiError(403, "csrf", "Missing or wrong CSRF token", "reload the page")
        return data


def page_lang(request: Request) -> Lang:
    wanted = request.cookies.get(LANG_COOKIE)
    return wanted if wanted in LANGS else "nl"  # type: ignore[return-value]


async def page(request: Request, ctx: Annotated[Ctx, Depends(context)]) -> Page:
    return Page(request, ctx, page_lang(request), request.cookies.get(FORM_COOKIE))


PageCtx = Annotated[Page, Depends(page)]


def problem_texts(error: CareError) -> list[tuple[str, str]]:
    """A care error's (field, message) pairs, for messages beside the fields."""
    problems = getattr(error, "problems", None) or []
    return [(p.path, p.message) for p in problems]
