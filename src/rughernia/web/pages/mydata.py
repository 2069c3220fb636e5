"""My data: everything stored (JSON), who looked at my record, and deleting my account."""

from __future__ import annotations

import json

from fastapi import APIRouter
from starlette.responses import HTMLResponse, Response

from rughernia.care import privacy
from rughernia.web import signing
from rughernia.web.api import views
from rughernia.web.context import DB
from rughernia.web.pages.frame import PageCtx, takes_form
from rughernia.web.pages.patient import me

router = APIRouter()


@router.get("/my-data", response_class=HTMLResponse)
def my_data(page: PageCtx, session: DB) -> HTMLResponse:
    row = me(page, session)
    log = privacy.access_log(session, page.ctx.actor, row.id, at=page.ctx.now)
    return page.render("mydata.html", log=log[:100], zone=page.ctx.settings.zone)


@router.get("/my-data/export.json")
def export(page: PageCtx, session: DB) -> Response:
    row = me(page, session)
    data = views.export(privacy.export(session, page.ctx.actor, row.id, at=page.ctx.now))
    return Response(
        json.dumps(data, ensure_ascii=False, indent=2),
        media_type="application/json",
        headers={"Content-Disposition": 'attachment; filename="rughernia-my-data.json"'},
    )


@router.get("/my-data/delete", response_class=HTMLResponse)
def delete_confirm(page: PageCtx, session: DB) -> HTMLResponse:
    me(page, session)
    return page.render("delete.html", error=False)


@router.post("/my-data/delete", response_class=HTMLResponse)
@takes_form
async def delete(page: PageCtx, session: DB) -> Response:
    row = me(page, session)
    form = await page.form()
    if form.get("confirm") != "yes":
        return page.render("delete.html", 422, error=True)
    privacy.erase(session, page.ctx.actor, row.id, at=page.ctx.now)
    response = page.render("deleted.html")
    signing.clear_session_cookies(response)
    return response
