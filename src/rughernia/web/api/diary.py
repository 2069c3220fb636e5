"""The diary routes: parse, call ``rughernia.care.diary``, render."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse

from rughernia.care import diary
from rughernia.contract import DiaryEntryModel
from rughernia.web.api import views
from rughernia.web.api.inputs import (
    DATE_SCHEMA,
    PatientId,
    date_range,
    documented,
    json_body,
    json_object,
    parse_date,
)
from rughernia.web.api.schemas import DiaryEntryBody, DiaryList, DiaryPut
from rughernia.web.context import DB, UserCtx
from rughernia.web.problem_responses import CONFLICT, PATIENT

router = APIRouter(tags=["diary"])

DatePath = Annotated[str, Path(description="YYYY-MM-DD", **DATE_SCHEMA)]


@router.get(
    "/patients/{patient_id}/diary",
    response_model=DiaryList,
    responses=PATIENT,
    summary="Diary entries in a date range (inclusive), oldest first",
)
def list_entries(
    patient_id: PatientId,
    ctx: UserCtx,
    session: DB,
    start: Annotated[str | None, Query(alias="from", **DATE_SCHEMA)] = None,
    end: Annotated[str | None, Query(alias="to", **DATE_SCHEMA)] = None,
) -> JSONResponse:
    first, last = date_range(start, end)
    entries = diary.days(session, ctx.actor, patient_id, first, last, at=ctx.now)
    return JSONResponse({"entries": entries})


@router.get(
    "/patients/{patient_id}/diary/{date}",
    response_model=DiaryEntryModel,
    responses=PATIENT,
    summary="The diary entry of one date",
)
def get_entry(patient_id: PatientId, date: DatePath, ctx: UserCtx, session: DB) -> JSONResponse:
    day = parse_date(date, "path.date")
    return JSONResponse(diary.day(session, ctx.actor, patient_id, day, at=ctx.now))


@router.put(
    "/patients/{patient_id}/diary/{date}",
    response_model=DiaryPut,
    responses={**PATIENT, **CONFLICT, 201: {"description": "A new entry", "model": DiaryPut}},
    openapi_extra=documented(DiaryEntryBody),
    summary="Write the entry of one date (idempotent) and re-assess",
)
def put_entry(
    patient_id: PatientId,
    date: DatePath,
    data: Annotated[Any, Depends(json_body)],
    ctx: UserCtx,
    session: DB,
) -> JSONResponse:
    day = parse_date(date, "path.date")
    entry = json_object(data)
    saved = diary.save_day(session, ctx.actor, patient_id, day, entry, today=ctx.today, at=ctx.now)
    out = {
        "entry": saved.entry,
        "created": saved.created,
        "assessment": views.stored_assessment(saved.assessment),
    }
    return JSONResponse(out, 201 if saved.created else 200)
