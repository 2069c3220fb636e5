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
from rughernia.web.api.inputs import json_body
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
    """The language of the cards: the first of nl and en in Accept-Language, else nl."""
    for part in request.headers.get("accept-language", "").split(","):
        tag = part.split(";")[0].strip().lower()[:2]
        if tag in ("nl", "en"):
            return "en" if tag == "en" else "nl"
    return "nl"


def _base(request: Request, ctx: AnyCtx) -> str:
    """Our address as the EHR calls it: the setting, else (demo) the request's own."""
    return ctx.settings.public_url or str(request.base_url).rstrip("/")


async def cds_body(request: Request) -> Any:
    """The JSON body; bad JSON is a 400 here, as CDS Hooks says, not our usual 422."""
    try:
        return await json_body(request)
    except Invalid as exc:
        raise CdsRequestInvalid("The CDS Hooks request is malformed", exc.detail) from None


Body = Annotated[Any, Depends(cds_body)]


def _caller(request: Request, ctx: AnyCtx, session: DB) -> care_cds.Caller:
    state = app_state(request)
    audience = _base(request, ctx) + request.url.path
    return care_cds.authenticate(
        session, request.headers.get("authorization"), state.cds_trust, audience, at=ctx.now
    )


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
def patient_view(request: Request, body: Body, ctx: AnyCtx, session: DB) -> JSONResponse:
    _caller(request, ctx, session)
    page = _base(request, ctx) + "/patients/{id}"
    out = care_cds.patient_view(body, today=ctx.today, lang=_lang(request), patient_page=page)
    return JSONResponse(out)


@router.post(
    f"{SERVICE}/feedback",
    responses={**CALLED, 200: {"description": "The feedback is kept", **ANY_OBJECT}},
    openapi_extra={"requestBody": {"required": True, **ANY_OBJECT}},
    summary="CDS Hooks feedback: what the clinician did with a card",
)
def feedback(request: Request, body: Body, ctx: AnyCtx, session: DB) -> JSONResponse:
    caller = _caller(request, ctx, session)
    care_cds.feedback(session, caller, cds.SERVICE_ID, body, at=ctx.now)
    return JSONResponse({})
