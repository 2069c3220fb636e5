"""CDS Hooks 2.0 at /cds-services (outside /api/v1, where the specification puts it).

Its own authentication: the EHR's JWT (``care.cds.authenticate``), not our sessions;
unsigned calls only in demo mode. The routes parse, call ``rughernia.care.cds`` and
render; see docs/interop.md.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse

from rughernia.care import cds as care_cds
from rughernia.care.errors import CdsRequestInvalid, Invalid
from rughernia.content.questionnaire import Language
from rughernia.interop import cds
from rughernia.web.api.inputs import check_media_type, json_body
from rughernia.web.context import DB, AnyCtx, app_state
from rughernia.web.limits import allows_body
from rughernia.web.problem_responses import MEDIA_TYPE, Responses, problem

router = APIRouter(tags=["cds-hooks"])

BASE = "/cds-services"
SERVICE = f"{BASE}/{cds.SERVICE_ID}"
# A year of diary days as prefetch (pain scores, diary responses, answers) is about 1.2 MB.
PREFETCH_BODY_BYTES = 4_000_000
ANY_OBJECT = {"content": {"application/json": {"schema": {"type": "object"}}}}
CALLED: Responses = {
    400: problem("A malformed CDS Hooks request"),
    401: problem("No JWT (outside demo mode), or a refused one"),
    **MEDIA_TYPE,
}


def _lang(request: Request) -> Language:
    """The language of the cards: of nl and en, the one Accept-Language weighs highest
    (``q``; the first of equals; ``q=0`` is "not this one"), else nl."""
    best: tuple[float, Language] | None = None
    for part in request.headers.get("accept-language", "").split(",")[:50]:
        tag, *params = (p.strip() for p in part.split(";"))
        primary = tag.lower().split("-")[0]
        if primary not in ("nl", "en"):
            continue
        weight = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0  # a weight that is no number: not a wish we can read
        if weight > 0 and (best is None or weight > best[0]):
            best = (weight, "en" if primary == "en" else "nl")
    return best[1] if best is not None else "nl"


def _base(request: Request, ctx: AnyCtx) -> str:
    """Our address as the EHR calls it: the setting, else (demo) the request's own."""
    return ctx.settings.public_url or str(request.base_url).rstrip("/")


async def cds_body(request: Request) -> Any:
    """The JSON body; bad JSON is a 400 here, as CDS Hooks says, not our usual 422."""
    try:
        return await json_body(request)
    except Invalid as exc:
        raise CdsRequestInvalid("The CDS Hooks request is malformed", exc.detail) from None


def _caller(request: Request, ctx: AnyCtx, session: DB) -> care_cds.Caller:
    # The media type is a header, so it costs nothing to check first; a body that is not
    # JSON is then a 415 on this route as on every other, whoever sends it.
    check_media_type(request)
    state = app_state(request)
    audience = _base(request, ctx) + request.url.path
    return care_cds.authenticate(
        session, request.headers.get("authorization"), state.cds_trust, audience, at=ctx.now
    )


# The caller is a dependency before the body: FastAPI solves them in order, so a call
# without a good token is refused before a byte of its (up to 4 MB) body is read.
Caller = Annotated[care_cds.Caller, Depends(_caller)]
Body = Annotated[Any, Depends(cds_body)]


@router.get(BASE, summary="CDS Hooks discovery: the services offered, with their prefetch")
async def discovery() -> JSONResponse:
    # Open to anyone, as the specification has it: it describes the service, no data.
    return JSONResponse(cds.discovery())


@router.post(
    SERVICE,
    responses={
        **CALLED,
        200: {"description": "Cards (CDS Hooks 2.0)", **ANY_OBJECT},
        412: problem("Required prefetch is missing"),
    },
    openapi_extra={"requestBody": {"required": True, **ANY_OBJECT}},
    summary="patient-view: the pathway's triage of the EHR's patient, as a card",
)
@allows_body(PREFETCH_BODY_BYTES)
def patient_view(request: Request, caller: Caller, body: Body, ctx: AnyCtx) -> JSONResponse:
    page = _base(request, ctx) + "/patients/{id}"
    out = care_cds.patient_view(body, today=ctx.today, lang=_lang(request), patient_page=page)
    return JSONResponse(out)


@router.post(
    f"{SERVICE}/feedback",
    responses={**CALLED, 200: {"description": "The feedback is kept", **ANY_OBJECT}},
    openapi_extra={"requestBody": {"required": True, **ANY_OBJECT}},
    summary="CDS Hooks feedback: what the clinician did with a card",
)
def feedback(caller: Caller, body: Body, ctx: AnyCtx, session: DB) -> JSONResponse:
    care_cds.feedback(session, caller, cds.SERVICE_ID, body, at=ctx.now)
    return JSONResponse({})
