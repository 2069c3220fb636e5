"""CDS Hooks 2.0, the pure parts: discovery, prefetch to case, assessment to cards.

The HTTP routes (``web/cds_hooks.py``: ``GET /cds-services``, ``POST
/cds-services/{id}``, feedback) call these through ``care/cds.py``, which maps
``PrefetchMissing`` to 412 and ``HookInvalid`` to 400, as the specification says.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rughernia.content.questionnaire import Language
from rughernia.contract import CaseInvalid, parse_case
from rughernia.interop import codes, fhir_shapes
from rughernia.interop.errors import BundleInvalid, HookInvalid, PrefetchMissing
from rughernia.interop.fhir_import import Unused, read_case
from rughernia.interop.texts import text
from rughernia.pathway import Assessment, Case, Triage

SERVICE_ID = "rughernia-patient-view"
PATIENT = "{{context.patientId}}"
# The pain score by either code: LOINC (ours) or SNOMED's, which nl-core-PainScore fixes.
PAIN = ",".join(f"{c[0]}|{c[1]}" for c in (codes.PAIN_LOINC, codes.PAIN_SNOMED))
PREFETCH: dict[str, str] = {
    "patient": f"Patient/{PATIENT}",
    "conditions": f"Condition?patient={PATIENT}",
    "painScores": f"Observation?patient={PATIENT}&code={PAIN}",
    "medications": f"MedicationStatement?patient={PATIENT}",
    # Optional: our own answers (alarm questions, red flags), the intake and the diary days.
    "answers": f"Observation?patient={PATIENT}&code={codes.CASE_SYSTEM}|",
    # Every status: an intake still in progress may hold a "yes" to an alarm question
    # (it counts; its "no" does not), and a diary day not completed is named on the card.
    "diary": f"QuestionnaireResponse?subject={PATIENT}",
}
REQUIRED = ("patient", "conditions", "painScores", "medications")
_SEARCH_TYPES: dict[str, str] = {
    "conditions": "Condition",
    "painScores": "Observation",
    "medications": "MedicationStatement",
    "answers": "Observation",
    "diary": "QuestionnaireResponse",
}

INDICATOR = {
    Triage.EMERGENCY: "critical",
    Triage.URGENT: "critical",
    Triage.CONTACT_GP: "warning",
    Triage.SELF_CARE: "info",
    Triage.NOT_APPLICABLE: "info",
}
SUMMARY_MAX = 140  # characters, less than (CDS Hooks: "<140-character summary")


def discovery() -> dict[str, Any]:
    """The discovery document of ``GET /cds-services``."""
    return {
        "services": [
            {
                "hook": "patient-view",
                "id": SERVICE_ID,
                "title": "Rughernia: lumbar disc herniation with sciatica",
                "description": (
                    "Triage, course and the 8-week checkpoint of the Dutch leaflet "
                    "'Rughernia' (NHG-Standaard M55), from the patient's diary, answers "
                    "and medication; alarm symptoms first."
                ),
                "prefetch": dict(PREFETCH),
                "usageRequirements": (
                    "Prefetch keys patient, conditions, painScores and medications are "
                    "required (412 without them); answers and diary are optional, and "
                    "without answers every alarm question counts as 'don't know' (urgent)."
                ),
            }
        ]
    }


def case_from_prefetch(prefetch: Any, today: dt.date, lang: Language) -> dict[str, Any]:
    """The prefetch of a patient-view call as contract case JSON (``prefetch_case``)."""
    return prefetch_case(prefetch, today, lang)[0]


def prefetch_case(
    prefetch: Any, today: dt.date, lang: Language
) -> tuple[dict[str, Any], Case, Unused]:
    """The prefetch of a patient-view call as contract case JSON for ``today``, that case
    parsed (the contract parses it once; the caller assesses the parsed one), and what
    was passed over by why (``Unused``; the card lists it: nothing is left out silently).

    Missing required keys: PrefetchMissing (412). A key the client had no data for is
    null (an empty search). Anything malformed: HookInvalid, saying which key and why.
    The case is checked by the contract before it is returned.
    """
    if not isinstance(prefetch, dict):
        raise HookInvalid("prefetch must be a JSON object of prefetch keys")
    missing = [key for key in REQUIRED if key not in prefetch or _is_outcome(prefetch[key])]
    if prefetch.get("patient") is None and "patient" not in missing:
        missing.append("patient")  # null: the client has no such patient
    if missing:
        raise PrefetchMissing(missing)
    unknown = sorted(set(prefetch) - set(PREFETCH))
    if unknown:
        raise HookInvalid(f"prefetch has keys this service did not ask for: {', '.join(unknown)}")
    resources = [_patient(prefetch["patient"])]
    for key, kind in _SEARCH_TYPES.items():
        value = prefetch.get(key)
        if value is None or _is_outcome(value):
            continue  # null: no data; an OperationOutcome for an optional key: none either
        resources += _search("prefetch." + key, value, kind)
    unused: Unused = {}
    try:
        case = read_case(resources, today, lang, strict=False, unused=unused)
        parsed = parse_case(case)
    except (BundleInvalid, CaseInvalid) as exc:
        raise HookInvalid(f"the prefetched data do not make a case: {exc}") from None
    return case, parsed, unused


def _is_outcome(value: Any) -> bool:
    return isinstance(value, dict) and value.get("resourceType") == "OperationOutcome"


def _patient(value: Any) -> dict[str, Any]:
    if not isinstance(value, dict) or value.get("resourceType") != "Patient":
        raise HookInvalid("prefetch.patient must be a FHIR Patient resource")
    try:
        fhir_shapes.check_resource(value, "Patient")
    except fhir_shapes.ShapeError as exc:
        raise HookInvalid(f"prefetch.patient: {fhir_shapes.first(exc)}") from None
    return value


def _search(key: str, value: Any, kind: str) -> list[dict[str, Any]]:
    """A searchset Bundle's matches (outcomes and includes left out), each checked in the
    fields we read (``fhir_shapes``); a match we cannot read is an error, never skipped."""
    if not isinstance(value, dict) or value.get("resourceType") != "Bundle":
        raise HookInvalid(f"{key} must be a searchset Bundle")
    try:
        fhir_shapes.check_bundle(value)
    except fhir_shapes.ShapeError as exc:
        raise HookInvalid(f"{key}: {fhir_shapes.first(exc)}") from None
    out, places = [], []
    for i, entry in enumerate(value.get("entry", [])):
        resource = entry.get("resource")
        mode = (entry.get("search") or {}).get("mode", "match")
        if resource is None or _is_outcome(resource) or mode != "match":
            continue
        if resource.get("resourceType") != kind:
            raise HookInvalid(f"{key}.entry[{i}] must be a {kind}")
        out.append(resource)
        places.append(i)
    try:
        fhir_shapes.check_resources(out, kind)
    except fhir_shapes.ShapeError as exc:
        (n, *rest), msg = exc.errors[0]
        path = fhir_shapes.where(("entry", places[int(n)], "resource", *rest))
        raise HookInvalid(f"{key}: {path}: {msg}") from None
    return out


def our_patient_id(prefetch: dict[str, Any]) -> int | None:
    """Our patient id, when the EHR's Patient carries the identifier our export writes.

    Only the prefetched Patient says it: an id that is no canonical number is none.
    """
    patient = prefetch.get("patient")
    found = patient.get("identifier") if isinstance(patient, dict) else None
    for ident in found if isinstance(found, list) else []:
        if isinstance(ident, dict) and ident.get("system") == codes.PATIENT_ID_SYSTEM:
            value = str(ident.get("value", ""))
            if value.isascii() and value.isdigit() and not value.startswith("0"):
                return int(value) if len(value) <= 10 and int(value) < 2**31 else None
    return None


def cards(
    assessment: Assessment,
    lang: Language,
    link_url: str | None,
    uuid: str | None = None,
    unused: Unused | None = None,
) -> list[dict[str, Any]]:
    """The card of one assessment: summary in ``lang``, findings and advice as detail.

    The assessment must be made in ``lang`` (its texts are the detail). ``uuid``
    names the card for feedback (CDS Hooks 2.0: needed when the service takes it).
    """
    if assessment.language != lang:
        raise ValueError(f"the assessment is in {assessment.language}, the card in {lang}")
    a = assessment
    summary = text("card", f"summary_{a.triage.code}", lang)
    if a.phase is not None and a.days_since_onset is not None:
        phase = text("phase", a.phase, lang)
        summary += text("card", "phase_suffix", lang, phase=phase, days=a.days_since_onset)
    card: dict[str, Any] = {
        **({"uuid": uuid} if uuid is not None else {}),
        "summary": summary,
        "indicator": INDICATOR[a.triage],
        "detail": detail(a, lang, unused or {}),
        "source": {
            "label": f"{text('card', 'source', lang)}: {', '.join(sources(a))}",
            "topic": {
                "system": codes.TRIAGE_SYSTEM,
                "code": a.triage.code,
                "display": a.triage_text,
            },
        },
    }
    if link_url is not None:
        card["links"] = [{"label": text("card", "link", lang), "url": link_url, "type": "absolute"}]
    return [card]


def sources(a: Assessment) -> list[str]:
    """The leaflet and guideline sources of every code in the assessment, in order."""
    seen: dict[str, None] = {}
    for source in [f.source for f in a.findings] + [x.source for x in a.advice]:
        for part in source.split(","):
            seen.setdefault(part.strip(), None)
    return [s for s in seen if s] or ["L4"]


def detail(a: Assessment, lang: Language, unused: Unused | None = None) -> str:
    """GitHub-flavoured markdown: the triage, the findings, the advice, the medication,
    and the EHR's data that were not used, so the clinician knows what the card missed."""
    lines = [f"**{text('card', 'triage', lang)}**: {a.triage_text}", ""]
    if a.findings:
        lines.append(f"**{text('card', 'findings', lang)}**")
        lines += [f"- `{f.code}` ({f.triage.code}; {f.source}): {f.text}" for f in a.findings]
        lines.append("")
    if a.advice:
        lines.append(f"**{text('card', 'advice', lang)}**")
        lines += [f"- `{x.code}` ({x.source}): {x.text}" for x in a.advice]
        lines.append("")
    m = a.medication
    lines.append(
        text(
            "card",
            "medication",
            lang,
            step=m.step,
            action=m.action,
            max_mg=m.paracetamol_max_mg_per_day,
        )
    )
    lines.append("")
    if unused:
        lines.append(f"**{text('card', 'unused', lang)}**")
        lines += [f"- {text('unused', why, lang, n=n)}" for why, n in sorted(unused.items())]
        lines.append("")
    lines.append(text("card", "version", lang, version=a.content_version))
    return "\n".join(lines)
