"""Stateless routes: assess a case without an account, and a health check."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from rughernia.content import load
from rughernia.contract import AssessmentModel, CaseModel, parse_case
from rughernia.pathway import assess
from rughernia.web.api.body import documented, json_body
from rughernia.web.api.errors import VALIDATION

router = APIRouter(tags=["assess"])


@router.post(
    "/assess",
    response_model=AssessmentModel,
    responses=VALIDATION,
    openapi_extra=documented(CaseModel, "A case (contract/case.schema.json)"),
    summary="Assess a case (stateless, no account)",
)
def assess_case(data: Annotated[Any, Depends(json_body)]) -> JSONResponse:
    """The pathway's assessment of the case; nothing is stored."""
    case = parse_case(data)
    return JSONResponse(assess(case, load()).to_dict())


@router.get("/health", summary="Is the service up (no database access)")
def health() -> dict[str, str]:
    return {"status": "ok"}
