"""The pathway's nouns: a case goes in, an assessment comes out.

Frozen dataclasses of the standard library only, so the core can be used and
tested without any framework. Validation of raw input lives in
``rughernia.contract`` (Pydantic) and in ``pathway.checks`` (the cross-field
rules of CLINICAL.md §8).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import IntEnum
from fractions import Fraction
from typing import Literal, get_args

Language = Literal["nl", "en"]
LegPainReach = Literal["none", "above_knee", "below_knee"]
Weakness = Literal["none", "stable", "progressive"]
CourseReported = Literal["much_better", "a_little_better", "same", "worse"]
Phase = Literal["acute", "recovery", "checkpoint", "recovered"]
# CLINICAL.md §6: written in order of precedence, earlier wins (ACTION_PRECEDENCE).
Action = Literal[
    "urgent_review",
    "discuss_step_up",
    "review_opioid",
    "take_regularly",
    "start_paracetamol",
    "discuss_step_down",
    "continue",
]

ACTION_PRECEDENCE: tuple[Action, ...] = get_args(Action)

ALARM_QUESTIONS: tuple[str, ...] = (
    "saddle_numbness",
    "incontinence",
    "urinary_retention",
    "weakness",
    "weakness_severe",
    "both_legs",
)


class Triage(IntEnum):
    """Ordered so that ``max()`` gives the most urgent level."""

    NOT_APPLICABLE = 0
    SELF_CARE = 1
    CONTACT_GP = 2
    URGENT = 3
    EMERGENCY = 4

    @property
    def code(self) -> str:
        return self.name.lower()

    @classmethod
    def from_code(cls, code: str) -> Triage:
        return cls[code.upper()]


@dataclass(frozen=True, slots=True)
class DiaryEntry:
    date: dt.date
    leg_pain: int
    back_pain: int | None = None
    pain_tolerable: bool | None = None
    painkillers_as_scheduled: bool | None = None
    paracetamol_mg: int | None = None
    nsaid_taken: bool | None = None
    opioid_taken: bool | None = None
    hours_lying_daytime: float | None = None
    exercised: bool | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class RedFlags:
    fever: bool = False
    cancer_history: bool = False
    trauma: bool = False
    recent_spinal_procedure: bool = False
    immunosuppression: bool = False
    weight_loss: bool = False


@dataclass(frozen=True, slots=True)
class Symptoms:
    """The alarm answers have no default: an unanswered alarm question is never 'no'.

    ``None`` means "don't know".
    """

    leg_pain_reaches: LegPainReach
    both_legs: bool | None
    weakness: Weakness | None
    weakness_severe: bool | None
    saddle_numbness: bool | None
    incontinence: bool | None
    urinary_retention: bool | None
    back_pain: bool = False
    tingling: bool = False
    numb_foot: bool = False
    sleep_disturbed: bool = False
    red_flags: RedFlags = field(default_factory=RedFlags)
    # "Is the leg pain clearly less than in the first week?"; None: not asked (CLINICAL.md §5).
    course_reported: CourseReported | None = None


@dataclass(frozen=True, slots=True)
class Patient:
    age: int | None = None
    sex: str | None = None
    pregnant: bool | None = None
    weight_kg: float | None = None
    risk_factors: frozenset[str] = frozenset()
    uses_stomach_protector: bool | None = None  # None: unknown, never read as 'no'


@dataclass(frozen=True, slots=True)
class Medication:
    step: int = 0
    paracetamol_since: dt.date | None = None
    nsaid: str | None = None
    nsaid_since: dt.date | None = None
    opioid_since: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Case:
    today: dt.date
    symptoms: Symptoms
    language: Language = "nl"
    patient: Patient = field(default_factory=Patient)
    onset: dt.date | None = None
    diary: tuple[DiaryEntry, ...] = ()
    medication: Medication = field(default_factory=Medication)


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    triage: Triage
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class Advice:
    code: str
    source: str
    text: str


@dataclass(frozen=True, slots=True)
class MedicationPlan:
    step: int
    action: Action
    paracetamol_max_mg_per_day: int


@dataclass(frozen=True, slots=True)
class Trend:
    baseline_leg_pain: Fraction | None
    current_leg_pain: Fraction | None
    entries_last_7_days: int
    clearly_decreasing: bool


@dataclass(frozen=True, slots=True)
class Assessment:
    content_version: str
    language: Language
    triage: Triage
    triage_text: str
    phase: Phase | None
    days_since_onset: int | None
    findings: tuple[Finding, ...]
    advice: tuple[Advice, ...]
    medication: MedicationPlan
    trend: Trend | None

    def to_dict(self) -> dict[str, object]:
        """The JSON shape of contract/assessment.schema.json."""
        trend: dict[str, object] | None = None
        if self.trend is not None:
            t = self.trend
            trend = {
                "baseline_leg_pain": _num(t.baseline_leg_pain),
                "current_leg_pain": _num(t.current_leg_pain),
                "entries_last_7_days": t.entries_last_7_days,
                "clearly_decreasing": t.clearly_decreasing,
            }
        return {
            "schema_version": 1,
            "content_version": self.content_version,
            "language": self.language,
            "triage": self.triage.code,
            "triage_text": self.triage_text,
            "phase": self.phase,
            "days_since_onset": self.days_since_onset,
            "findings": [
                {"code": f.code, "triage": f.triage.code, "source": f.source, "text": f.text}
                for f in self.findings
            ],
            "advice": [{"code": a.code, "source": a.source, "text": a.text} for a in self.advice],
            "medication": {
                "step": self.medication.step,
                "action": self.medication.action,
                "paracetamol_max_mg_per_day": self.medication.paracetamol_max_mg_per_day,
            },
            "trend": trend,
        }


def _num(value: Fraction | None) -> float | None:
    return None if value is None else float(value)


# --- clinical content, as the engine needs it (loaded by rughernia.content) ---


@dataclass(frozen=True, slots=True)
class CodeContent:
    code: str
    kind: Literal["finding", "advice"]
    triage: Triage | None  # findings only
    source: str
    text: dict[str, str]  # language -> patient text


@dataclass(frozen=True, slots=True)
class Thresholds:
    """Every number the rules use; values and sources live in content/pathway.toml."""

    checkpoint_day: int
    window_days: int
    min_current_entries: int
    clear_drop_points: int
    clear_drop_fraction: Fraction
    low_baseline: int
    low_baseline_current: int
    recovered_max: int
    opioid_max_days: int
    bed_rest_max_hours: int
    paracetamol_absolute_max_mg: int
    paracetamol_standard_max_mg: int
    paracetamol_long_use_max_mg: int
    paracetamol_long_use_days: int
    paracetamol_reduced_max_mg: int
    low_weight_kg: int
    adult_age: int
    elderly_age: int
    recovery_late_max: int
    worsening_points: int
    worsening_min_current: int
    paracetamol_overdose_mg_per_kg: int
    paracetamol_above_max_mg_per_kg: int
    assumed_weight_kg: int
    paracetamol_repeated_days: int
    paracetamol_tablet_mg: int
    paracetamol_min_times: int


@dataclass(frozen=True, slots=True)
class AckRules:
    """Which findings a clinician may acknowledge until a review date, and how far ahead.

    ``never`` holds the codes themselves (a pattern in the content is expanded on loading).
    """

    never: frozenset[str]
    max_days: int


@dataclass(frozen=True, slots=True)
class Content:
    version: str
    thresholds: Thresholds
    codes: dict[str, CodeContent]  # in display order
    triage_text: dict[str, dict[str, str]]  # triage code -> language -> text
    # How a text says "{low} to {high} times" a day, per language: range_nl, single_en, ...
    dose_times: dict[str, str]
    # No default: content without the rules would let any finding be acknowledged.
    acknowledgement: AckRules
    # The clock times of the plan's fixed paracetamol doses, "HH:MM", earliest first (L5).
    dose_clock: tuple[str, ...] = ("08:00", "12:00", "16:00", "20:00")
