"""A patient's case and its assessment as a FHIR R4 Bundle (type ``collection``).

Built as plain JSON (dicts and lists), never as fhir.resources models: validating a
year's Bundle (1,100 resources) with the R4B models took about 330 ms a request, a
hundred times the assessment. That it is valid R4B (see the package docstring for
why R4B) is what the tests prove instead: ``tests/interop/test_fhir_export.py``
validates the Bundles of 500 generated records, and every Bundle the other tests and
the route's tests export, with ``Bundle.model_validate``. Pure: the date is the
case's ``today``, and every id is derived (uuid5) from the patient id, the resource
kind and its date or code, so the same case gives the same Bundle, byte for byte.

What is in it, and how ``fhir_import.case_from_bundle`` reads it back:
Patient (language, gender); Condition (sciatica, SNOMED CT 23056005, or low back
pain when the leg has no pain; onset); per diary day a QuestionnaireResponse of
the diary questionnaire (the whole day, read back) and pain Observations for the
leg and the back (LOINC 72514-3 with SNOMED 225908003 as nl-core-PainScore fixes,
method NRS, body site); the case's answers, age, weight, pregnancy
(``fhir_case``); MedicationStatements; and, derived from the assessment and not
read back: a RiskAssessment, a Flag per unacknowledged alarm finding, a CarePlan.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from rughernia.content.questionnaire import Language
from rughernia.contract import parse_case
from rughernia.interop import codes, fhir_case
from rughernia.interop.questionnaires import response_data
from rughernia.interop.texts import text
from rughernia.pathway import Assessment, Case, DiaryEntry, Triage


@dataclass(frozen=True, slots=True)
class PatientRef:
    """Who the Bundle is about: our patient id, a name to show, the language they read."""

    id: str
    display_name: str
    language: Language = "nl"


ALARM_LEVELS = frozenset({Triage.EMERGENCY, Triage.URGENT})


def bundle(
    case: Case | dict[str, Any],
    assessment: Assessment,
    patient: PatientRef,
    *,
    alarm_acknowledged: bool = False,
) -> dict[str, Any]:
    """The Bundle for one patient as of ``case.today``; deterministic, valid R4B (tested).

    ``case`` is a pathway Case or contract case JSON (parsed by the contract first);
    ``alarm_acknowledged``: a clinician has acknowledged this assessment's alarm, so
    no Flag is raised for it.
    """
    if isinstance(case, dict):
        case = parse_case(case)
    b = _Builder(patient, case)
    subject = {"reference": b.url("Patient"), "display": codes.fhir_string(patient.display_name)}
    b.add("Patient", "", _patient(case, patient))
    condition = b.add("Condition", "", _condition(case, subject))
    leg, back = (_pain_parts(where, subject, case.language) for where in ("leg", "back"))
    for entry in sorted(case.diary, key=lambda e: e.date):
        day = entry.date.isoformat()
        qr_url = b.url("QuestionnaireResponse", day)
        qr = response_data(_entry_json(entry), b.url("Patient"), case.language)
        b.add("QuestionnaireResponse", day, qr)
        b.add("Observation", f"leg_pain/{day}", _pain(leg, day, entry.leg_pain, qr_url))
        if entry.back_pain is not None:
            b.add("Observation", f"back_pain/{day}", _pain(back, day, entry.back_pain, qr_url))
    basis = [{"reference": condition}]
    for name, obs in fhir_case.answer_observations(case, subject).items():
        basis.append({"reference": b.add("Observation", f"answer/{name}", obs)})
    for name, obs in fhir_case.measurements(case, subject).items():
        b.add("Observation", name, obs)
    for name, st in fhir_case.medication_statements(case, subject).items():
        b.add("MedicationStatement", name, st)
    risk = b.add("RiskAssessment", "", _risk(case, assessment, subject, basis, condition))
    if not alarm_acknowledged:
        for finding in assessment.findings:
            if finding.triage in ALARM_LEVELS:
                b.add("Flag", finding.code, _flag(case, finding, subject))
    b.add("CarePlan", "", _care_plan(case, assessment, subject, condition, risk))
    data: dict[str, Any] = {
        "resourceType": "Bundle",
        "id": codes.resource_id(patient.id, "Bundle", case.today.isoformat()),
        "language": case.language,
        "type": "collection",
        "timestamp": f"{case.today.isoformat()}T00:00:00Z",
        "entry": b.entries,
    }
    return data


class _Builder:
    def __init__(self, patient: PatientRef, case: Case) -> None:
        self.patient, self.day = patient, case.today.isoformat()
        self.entries: list[dict[str, Any]] = []
        self._urls: dict[tuple[str, str], str] = {}

    def url(self, kind: str, key: str = "") -> str:
        # Asked twice for most resources (a reference to it, then the resource itself).
        found = self._urls.get((kind, key))
        if found is None:
            found = self._urls[kind, key] = codes.full_url(self.patient.id, kind, key)
        return found

    def add(self, kind: str, key: str, resource: dict[str, Any]) -> str:
        url = self.url(kind, key)
        resource = {"resourceType": kind, "id": url.removeprefix("urn:uuid:"), **resource}
        self.entries.append({"fullUrl": url, "resource": resource})
        return url


def _entry_json(entry: DiaryEntry) -> dict[str, Any]:
    return {
        k: (v.isoformat() if k == "date" else v) for k, v in _fields(entry).items() if v is not None
    }


def _fields(entry: DiaryEntry) -> dict[str, Any]:
    return {name: getattr(entry, name) for name in DiaryEntry.__slots__}


def _patient(case: Case, patient: PatientRef) -> dict[str, Any]:
    out: dict[str, Any] = {
        "identifier": [{"system": codes.PATIENT_ID_SYSTEM, "value": patient.id}],
        "name": [{"text": codes.fhir_string(patient.display_name)}],
        "communication": [
            {
                "language": {"coding": [{"system": codes.LANGUAGE, "code": patient.language}]},
                "preferred": True,
            }
        ],
    }
    if case.patient.sex is not None:
        out["gender"] = case.patient.sex
    return out


def _condition(case: Case, subject: dict[str, Any]) -> dict[str, Any]:
    code = codes.LOW_BACK_PAIN if case.symptoms.leg_pain_reaches == "none" else codes.SCIATICA
    out: dict[str, Any] = {
        "clinicalStatus": codes.concept((codes.CONDITION_CLINICAL, "active", "Active")),
        # Reported by the patient through the leaflet's questions, not a diagnosis.
        "verificationStatus": codes.concept(
            (codes.CONDITION_VERIFICATION, "provisional", "Provisional")
        ),
        "category": [
            codes.concept((codes.CONDITION_CATEGORY, "problem-list-item", "Problem List Item"))
        ],
        "code": codes.concept(code),
        "subject": subject,
    }
    if case.onset is not None:
        out["onsetDateTime"] = case.onset.isoformat()
    return out


def _pain_parts(where: str, subject: dict[str, Any], lang: Language) -> dict[str, Any]:
    """What every pain score of the leg (or the back) has in common, built once a Bundle.

    nl-core-PainScore as far as it applies: its SNOMED code, valueInteger, method NRS.
    Not its profile claim: the zib PainScore is a general pain experience, ours is
    localised (leg or back, in ``bodySite``), so ``meta.profile`` is left out.
    The scores of a Bundle share these dicts (as every resource shares ``subject``):
    a year is 730 scores, and building them anew each time was a third of the export.
    """
    site = codes.LOWER_LIMB if where == "leg" else codes.LOWER_BACK
    return {
        "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY, "code": "survey"}]}],
        "code": codes.concept(
            codes.PAIN_LOINC, codes.PAIN_SNOMED, text=text("label", f"{where}_pain", lang)
        ),
        "subject": subject,
        "bodySite": codes.concept(site),
        "method": codes.concept((codes.PAIN_METHOD, "NRS", "NRS")),
    }


def _pain(parts: dict[str, Any], day: str, value: int, qr_url: str) -> dict[str, Any]:
    return {
        "status": "final",
        "category": parts["category"],
        "code": parts["code"],
        "subject": parts["subject"],
        "effectiveDateTime": day,
        "valueInteger": value,
        "bodySite": parts["bodySite"],
        "method": parts["method"],
        "derivedFrom": [{"reference": qr_url}],
    }


def _risk(
    case: Case,
    a: Assessment,
    subject: dict[str, Any],
    basis: list[dict[str, Any]],
    condition: str,
) -> dict[str, Any]:
    lang = case.language
    out: dict[str, Any] = {
        "language": lang,
        "status": "final",
        "code": codes.own(codes.ASSESSMENT_SYSTEM, "rughernia", text("label", "risk", lang)),
        "method": {"text": f"Rughernia content version {a.content_version}"},
        "subject": subject,
        "occurrenceDateTime": case.today.isoformat(),
        "condition": {"reference": condition},
        "basis": basis,
        "prediction": [
            {
                "outcome": {"text": a.triage_text},
                "qualitativeRisk": codes.own(codes.TRIAGE_SYSTEM, a.triage.code, a.triage_text),
                "rationale": "; ".join(f.code for f in a.findings) or a.triage.code,
            }
        ],
    }
    if a.findings:  # FHIR has no empty lists
        out["note"] = [
            {"text": f"{f.code} ({f.triage.code}; {f.source}): {f.text}"} for f in a.findings
        ]
    return out


def _flag(case: Case, finding: Any, subject: dict[str, Any]) -> dict[str, Any]:
    return {
        "language": case.language,
        "status": "active",
        "category": [codes.concept((codes.FLAG_CATEGORY, "clinical", "Clinical"))],
        "code": {
            "coding": [
                {"system": codes.FINDING_SYSTEM, "code": finding.code, "display": finding.code}
            ],
            "text": finding.text,
        },
        "subject": subject,
        "period": {"start": case.today.isoformat()},
    }


def _care_plan(
    case: Case, a: Assessment, subject: dict[str, Any], condition: str, risk: str
) -> dict[str, Any]:
    lang = case.language
    phase = text("phase", a.phase or "none", lang)
    activities = [
        {
            "detail": {
                "code": {
                    "coding": [{"system": codes.ADVICE_SYSTEM, "code": adv.code}],
                    "text": adv.source,
                },
                "status": "in-progress",
                "description": adv.text,
            }
        }
        for adv in a.advice
    ]
    m = a.medication
    activities.append(
        {
            "detail": {
                "code": codes.own(codes.ACTION_SYSTEM, m.action),
                "status": "in-progress",
                "description": text(
                    "card",
                    "medication",
                    lang,
                    step=m.step,
                    action=m.action,
                    max_mg=m.paracetamol_max_mg_per_day,
                ),
            }
        }
    )
    out: dict[str, Any] = {
        "language": lang,
        "status": "active",
        "intent": "plan",
        "title": text("label", "careplan", lang, phase=phase),
        "description": a.triage_text,
        "subject": subject,
        "created": case.today.isoformat(),
        "addresses": [{"reference": condition}],
        "supportingInfo": [{"reference": risk}],
        "activity": activities,
    }
    if a.phase is not None:
        out["category"] = [codes.own(codes.PHASE_SYSTEM, a.phase, phase)]
    if case.onset is not None:
        out["period"] = {"start": case.onset.isoformat()}
    return out
