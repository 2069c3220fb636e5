"""contract/assessment.schema.json as Pydantic v2 models (for API documentation and checks)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from rughernia.contract.case import StrictModel
from rughernia.pathway.model import Action, Phase

TriageCode = Literal["emergency", "urgent", "contact_gp", "self_care", "not_applicable"]


class FindingModel(StrictModel):
    code: str
    triage: TriageCode
    source: str
    text: str


class AdviceModel(StrictModel):
    code: str
    source: str
    text: str


class MedicationPlanModel(StrictModel):
    step: Annotated[int, Field(ge=0, le=3)]
    action: Action
    paracetamol_max_mg_per_day: Annotated[int, Field(ge=0, le=4000)]


class TrendModel(StrictModel):
    baseline_leg_pain: float | None
    current_leg_pain: float | None
    entries_last_7_days: Annotated[int, Field(ge=0)]
    clearly_decreasing: bool


class AssessmentModel(StrictModel):
    """contract/assessment.schema.json (for API documentation and response checks)."""

    schema_version: Literal[1]
    content_version: str
    language: Literal["nl", "en"]
    triage: TriageCode
    triage_text: Annotated[str, Field(min_length=1)]
    phase: Phase | None
    days_since_onset: Annotated[int, Field(ge=0)] | None
    findings: list[FindingModel]
    advice: list[AdviceModel]
    medication: MedicationPlanModel
    trend: TrendModel | None
