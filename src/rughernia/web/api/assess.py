"""Stateless routes: assess a case without an account, and a health check."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from rughernia.content import load
from rughernia.contract import AssessmentModel, CaseModel, parse_case_json
from rughernia.pathway import assess
from rughernia.web.api.inputs import documented, raw_json_body
from rughernia.web.limits import allows_body
from rughernia.web.problem_responses import VALIDATION

router = APIRouter(tags=["assess"])

# A case this small is assessed on the event loop (well under a millisecond): the hop to
# a worker thread would cost more than the work. Larger ones (a long diary, up to the
# CASE_BODY_BYTES) go to a thread, so that one big case cannot stall other requests.
INLINE_BYTES = 64 * 1024
# A year of diary days with long notes is about 0.5 MB.
CASE_BODY_BYTES = 1_000_000


@router.post(
    "/assess",
    response_model=AssessmentModel,
    responses=VALIDATION,
    openapi_extra=documented(CaseModel, "A case (contract/case.schema.json)"),
    summary="Assess a case (stateless, no account)",
)
@allows_body(CASE_BODY_BYTES)
async def assess_case(request: Request) -> JSONResponse:
    """The pathway's assessment of the case; nothing is stored."""
    raw = await raw_json_body(request)
    if len(raw) <= INLINE_BYTES:
        return _assessed(raw)
    return await run_in_threadpool(_assessed, raw)


def _assessed(raw: bytes) -> JSONResponse:
    # Parsed and validated in one pass: nothing is stored, so no NUL check is needed here.
    case = parse_case_json(raw)
    return JSONResponse(assess(case, load()).to_dict())


@router.get("/health", summary="Is the service up (no database access)")
async def health() -> dict[str, str]:
    # Async: no I/O and no thread hop, so the benchmark's baseline is the framework's floor.
    return {"status": "ok"}
