"""contract/case.schema.json as strict Pydantic v2 models (the input side)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    field_validator,
)
from pydantic.json_schema import SkipJsonSchema
from pydantic_core import PydanticCustomError

from rughernia.pathway.model import ALARM_QUESTIONS, CourseReported


def _not_null(value: Any) -> Any:
    if value is None:
        raise PydanticCustomError("not_null", "must not be null; leave the field out when unknown")
    return value


# Optional in the schema but never null: absence and null are not the same input.
OptDate = Annotated[dt.date | SkipJsonSchema[None], AfterValidator(_not_null)]
OptBool = Annotated[StrictBool | SkipJsonSchema[None], AfterValidator(_not_null)]
Pain = Annotated[StrictInt, Field(ge=0, le=10)]

# JSON numbers (integer or not) within bounds; strict, so "5" and true are refused.
WeightKg = Annotated[float, Field(ge=20, le=400, strict=True)]
Hours = Annotated[float, Field(ge=0, le=24, strict=True)]
ParacetamolMg = Annotated[StrictInt, Field(ge=0, le=20000)]
Note = Annotated[str, Field(max_length=2000)]


RiskFactor = Literal[
    "liver_disease",
    "alcohol_3_plus_daily",
    "stomach_ulcer_history",
    "heart_failure",
    "kidney_disease",
    "anticoagulants",
    "cardiovascular_disease",
]


class StrictModel(BaseModel):
    # Strict and always fed JSON text: dates must be "YYYY-MM-DD" strings, numbers must not
    # be strings, and nothing is coerced (a unix time is not a date, "5" is not a pain score).
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True)


class PatientModel(StrictModel):
    age: Annotated[
        Annotated[StrictInt, Field(ge=0, le=120)] | SkipJsonSchema[None], AfterValidator(_not_null)
    ] = None
    sex: Annotated[
        Literal["female", "male", "other", "unknown"] | SkipJsonSchema[None],
        AfterValidator(_not_null),
    ] = None
    pregnant: StrictBool | None = None
    weight_kg: Annotated[WeightKg | SkipJsonSchema[None], AfterValidator(_not_null)] = None
    risk_factors: list[RiskFactor] = []
    # null: unknown (not asked); never read as 'no' (CLINICAL.md §6, v2).
    uses_stomach_protector: StrictBool | None = None

    @field_validator("risk_factors")
    @classmethod
    def _unique(cls, value: list[str]) -> list[str]:
        if len(set(value)) != len(value):
            raise PydanticCustomError("unique", "lists a risk factor more than once")
        return value


class RedFlagsModel(StrictModel):
    fever: OptBool = False
    cancer_history: OptBool = False
    trauma: OptBool = False
    recent_spinal_procedure: OptBool = False
    immunosuppression: OptBool = False
    weight_loss: OptBool = False


class SymptomsModel(StrictModel):
    leg_pain_reaches: Literal["none", "above_knee", "below_knee"]
    # The alarm questions are required; null means "don't know".
    both_legs: StrictBool | None
    weakness: Literal["none", "stable", "progressive"] | None
    weakness_severe: StrictBool | None
    saddle_numbness: StrictBool | None
    incontinence: StrictBool | None
    urinary_retention: StrictBool | None
    back_pain: OptBool = False
    tingling: OptBool = False
    numb_foot: OptBool = False
    sleep_disturbed: OptBool = False
    red_flags: RedFlagsModel = Field(default_factory=RedFlagsModel)
    # The patient's own answer; null: not asked. Used only when the diary gives no current value.
    course_reported: CourseReported | None = None


# The symptoms section of a case with sciatica below the knee and every alarm question
# answered "no": the one source for the demo, the tests and the benchmarks.
NO_ALARM_SYMPTOMS: dict[str, Any] = {
    "leg_pain_reaches": "below_knee",
    **{question: "none" if question == "weakness" else False for question in ALARM_QUESTIONS},
}


class DiaryEntryModel(StrictModel):
    date: dt.date
    leg_pain: Pain
    back_pain: Annotated[Pain | SkipJsonSchema[None], AfterValidator(_not_null)] = None
    pain_tolerable: StrictBool | None = None
    painkillers_as_scheduled: StrictBool | None = None
    paracetamol_mg: Annotated[ParacetamolMg | SkipJsonSchema[None], AfterValidator(_not_null)] = (
        None
    )
    nsaid_taken: OptBool = None
    opioid_taken: OptBool = None
    hours_lying_daytime: Annotated[Hours | SkipJsonSchema[None], AfterValidator(_not_null)] = None
    exercised: OptBool = None
    note: Annotated[Note | SkipJsonSchema[None], AfterValidator(_not_null)] = None


Nsaid = Literal["naproxen", "ibuprofen", "diclofenac"]
NSAIDS: tuple[str, ...] = get_args(Nsaid)  # for forms that offer the choice


class MedicationModel(StrictModel):
    step: Annotated[StrictInt, Field(ge=0, le=3)] = 0
    paracetamol_since: OptDate = None
    nsaid: Nsaid | None = None
    nsaid_since: OptDate = None
    opioid_since: OptDate = None


class CaseModel(StrictModel):
    """contract/case.schema.json"""

    schema_version: Literal[1] = 1
    today: dt.date
    language: Literal["nl", "en"] = "nl"
    patient: PatientModel = Field(default_factory=PatientModel)
    onset: dt.date | None = None
    symptoms: SymptomsModel
    diary: list[DiaryEntryModel] = []
    medication: MedicationModel = Field(default_factory=MedicationModel)
