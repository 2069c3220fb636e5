"""Stateless routes: assess a case without an account, and a health check."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from rughernia.content import load
from rughernia.contract import AssessmentModel, CaseModel, parse_case_json
from rughernia.pathway import assess
from rughernia.web.api.body import documented, raw_json_body
from rughernia.web.api.errors import VALIDATION

router = APIRouter(tags=["assess"])


@router.post(
    "/assess",
    response_model=AssessmentModel,
    responses=VALIDATION,
    openapi_extra=documented(CaseModel, "A case (contract/case.schema.json)"),
    summary="Assess a case (stateless, no account)",
)
def assess_case(raw: Annotated[bytes, Depends(raw_json_body)]) -> JSONResponse:
    """The pathway's assessment of the case; nothing is stored."""
    # Parsed and validated in one pass: nothing is stored, so no NUL check is needed here.
    case = parse_case_json(raw)
    return JSONResponse(assess(case, load()).to_dict())


@router.get("/health", summary="Is the service up (no database access)")
def health() -> dict[str, str]:
    return {"status": "ok"}
