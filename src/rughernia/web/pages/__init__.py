"""The web app's pages: server-rendered HTML for patients (and later clinicians).

Each page handler parses its form, calls the same ``rughernia.care`` functions as
the JSON routes (so the same audit, idempotency and re-assessment), and renders a
template. Errors are the app's own (``web/problems.py``); on a page they are shown
as a page in the page's language instead of problem+json (``errors.py``).
"""

from __future__ import annotations

from fastapi import APIRouter, FastAPI
from starlette.responses import HTMLResponse, Response
from starlette.staticfiles import StaticFiles

from rughernia.content import information
from rughernia.web.pages import (
    account,
    clinic,
    course,
    errors,
    info,
    mydata,
    patient,
    plan,
    selfcheck,
    worklist,
)
from rughernia.web.pages.frame import PageCtx
from rughernia.web.pages.invite import router as invite_router
from rughernia.web.pages.render import HERE

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home(page: PageCtx) -> Response:
    user = page.ctx.user
    if user is not None and user.role == "patient":
        return page.redirect("/today")
    if user is not None and user.role == "clinician":
        return page.redirect("/worklist")
    alarm = next(t for t in information.load(page.lang) if t.id == "alarm")
    return page.render("home.html", alarm=alarm)


def install(app: FastAPI) -> None:
    for module in (account, info, selfcheck, patient, plan, course, mydata, worklist, clinic):
        app.include_router(module.router, include_in_schema=False)
    app.include_router(invite_router, include_in_schema=False)
    app.include_router(router, include_in_schema=False)
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    errors.install(app)
