"""The information pages (no account): the leaflet in our own words, one topic a page."""

from __future__ import annotations

from fastapi import APIRouter
from starlette.responses import HTMLResponse

from rughernia.content import information
from rughernia.web.pages.frame import PageCtx
from rughernia.web.problems import ApiError

router = APIRouter()


@router.get("/info", response_class=HTMLResponse)
def index(page: PageCtx) -> HTMLResponse:
    return page.render("info_index.html", topics=information.load(page.lang))


@router.get("/info/{topic}", response_class=HTMLResponse)
def topic(topic: str, page: PageCtx) -> HTMLResponse:
    topics = information.load(page.lang)
    found = next((t for t in topics if t.id == topic), None)
    if found is None:
        raise ApiError(404, "not-found", "No such page")
    at = topics.index(found)
    return page.render(
        "info_topic.html",
        topic=found,
        previous=topics[at - 1] if at > 0 else None,
        next=topics[at + 1] if at + 1 < len(topics) else None,
    )
