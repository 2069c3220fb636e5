"""The diary: one entry per patient and date; writing one re-assesses in the same transaction."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import JSONResponse

from rughernia.contract import CaseInvalid, DiaryEntryModel, parse_case
from rughernia.pathway.checks import Problem
from rughernia.store import record
from rughernia.store.tables import DIARY_FIELDS
from rughernia.web import reassess
from rughernia.web.access import done, patient_for
from rughernia.web.api import views
from rughernia.web.api.body import documented, json_body, json_object
from rughernia.web.api.dates import DATE_SCHEMA, parse_date
from rughernia.web.api.errors import CONFLICT, PATIENT
from rughernia.web.api.params import PatientId
from rughernia.web.api.schemas import DiaryEntryBody, DiaryList, DiaryPut
from rughernia.web.context import DB, UserCtx
from rughernia.web.problems import ApiError, invalid

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
    first = parse_date(start, "query.from") if start else None
    last = parse_date(end, "query.to") if end else None
    row = patient_for(session, ctx, patient_id, "diary.read")
    entries = [record.diary_dict(e) for e in record.diary(session, row.id, first, last)]
    done(session, ctx, "diary.read", [row.id])
    return JSONResponse({"entries": entries})


@router.get(
    "/patients/{patient_id}/diary/{date}",
    response_model=DiaryEntryModel,
    responses=PATIENT,
    summary="The diary entry of one date",
)
def get_entry(patient_id: PatientId, date: DatePath, ctx: UserCtx, session: DB) -> JSONResponse:
    day = parse_date(date, "path.date")
    row = patient_for(session, ctx, patient_id, "diary.read")
    entry = record.diary_entry(session, row.id, day)
    done(session, ctx, "diary.read", [row.id])
    if entry is None:
        raise ApiError(404, "not-found", f"No diary entry on {day.isoformat()}")
    return JSONResponse(record.diary_dict(entry))


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
    entry = dict(json_object(data))
    if entry.get("date") is not None and entry["date"] != day.isoformat():
        raise invalid([Problem("date", f"must be the date in the URL ({day.isoformat()})")])
    entry["date"] = day.isoformat()
    # Lock the record: concurrent writes to one patient re-assess one after another.
    row = patient_for(session, ctx, patient_id, "diary.write", lock=True)
    candidate = record.case_data(session, row.id, ctx.today, row.language)
    if candidate is None:
        raise ApiError(
            409,
            "intake-required",
            "Fill in the intake first",
            "the alarm questions of the intake are needed before diary entries",
        )
    diary = [e for e in candidate["diary"] if e["date"] != entry["date"]] + [entry]
    try:
        case = parse_case({**candidate, "diary": diary})
    except CaseInvalid as exc:
        raise invalid(_about_entry(exc.problems, len(diary) - 1)) from None
    parsed = next(e for e in case.diary if e.date == day)
    fields = {name: getattr(parsed, name) for name in DIARY_FIELDS}
    # Under the record's lock the diary just read is current: no query to ask if it is new.
    created = all(e["date"] != entry["date"] for e in candidate["diary"])
    record.put_diary_entry(session, row.id, day, fields)
    stored = reassess.store(session, row.id, case, "diary")
    out = {
        "entry": record.entry_dict(day, fields),
        "created": created,
        "assessment": views.stored_assessment(stored),
    }
    done(session, ctx, "diary.write", [row.id])
    return JSONResponse(out, 201 if created else 200)


def _about_entry(problems: list[Problem], index: int) -> list[Problem]:
    """Name the new entry's problems by its fields: ``leg_pain``, not ``diary[7].leg_pain``."""
    prefix = f"diary[{index}]"
    out = []
    for p in problems:
        if p.path == prefix:
            out.append(Problem("body", p.message))
        elif p.path.startswith(prefix + "."):
            out.append(Problem(p.path[len(prefix) + 1 :], p.message))
        else:
            out.append(p)
    return out
