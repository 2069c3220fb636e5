"""A Bundle (ours, or the resources of an EHR) back into contract case JSON.

``case_from_bundle`` reads what ``fhir_export.bundle`` writes, strictly: every
problem is named, nothing is guessed, and an answer that is missing stays missing
(the contract then says it is required). ``read_case`` with ``strict=False`` is the
lenient reading of an EHR's data for CDS Hooks (``cds.case_from_prefetch``), which
guesses only towards more urgency: an alarm question nobody answered is "don't
know", never "no".
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rughernia.interop import codes, fhir_case, fhir_shapes
from rughernia.interop.errors import BundleInvalid, ResponseInvalid
from rughernia.interop.questionnaire_items import canonical
from rughernia.interop.questionnaires import check_entries, entry_from_validated, intake_answers

Problems = list[tuple[str, str]]
Unused = dict[str, int]  # why (a key of texts.toml [unused]) -> how many were passed over
COUNTED = frozenset({"final", "amended", "corrected"})
NOT_FINAL = frozenset({"preliminary", "registered"})
DONE = frozenset({"completed", "amended"})  # a QuestionnaireResponse's final states
DIARY_URLS = frozenset({canonical("diary", "nl"), canonical("diary", "en")})
INTAKE_URLS = frozenset({canonical("intake", "nl"), canonical("intake", "en")})


def case_from_bundle(bundle: Any, today: dt.date) -> dict[str, Any]:
    """Our exported Bundle as case JSON for ``today``, or BundleInvalid naming each problem."""
    if not isinstance(bundle, dict) or bundle.get("resourceType") != "Bundle":
        raise BundleInvalid([("", "must be a FHIR Bundle (a JSON object)")])
    _check(bundle)
    resources = [e["resource"] for e in bundle.get("entry", [])]
    language = bundle.get("language") or _patient_language(resources) or "nl"
    return read_case(resources, today, language, strict=True)


def _check(bundle: dict[str, Any]) -> None:
    """Every entry holds a resource, and each resource the fields we read as we read them."""
    try:
        fhir_shapes.check_bundle(bundle)
    except fhir_shapes.ShapeError as exc:
        raise BundleInvalid([(fhir_shapes.where(loc), msg) for loc, msg in exc.errors]) from None
    problems: Problems = []
    for i, entry in enumerate(bundle.get("entry", [])):
        if "resource" not in entry:
            problems.append((f"entry.{i}.resource", "is required: an entry of ours holds one"))
            continue
        try:
            fhir_shapes.check_resource(entry["resource"])
        except fhir_shapes.ShapeError as exc:
            at = ("entry", i, "resource")
            problems += [(fhir_shapes.where((*at, *loc)), msg) for loc, msg in exc.errors]
    if problems:
        raise BundleInvalid(problems)


def read_case(
    resources: list[dict[str, Any]],
    today: dt.date,
    language: str,
    *,
    strict: bool,
    unused: Unused | None = None,
) -> dict[str, Any]:
    """The resources as case JSON; ``unused`` (lenient) counts what was passed over, by
    why (``UNUSED``), so that the card can say so: nothing is left out silently."""
    problems: Problems = []
    skipped: Unused = unused if unused is not None else {}
    kinds: dict[str, list[dict[str, Any]]] = {}
    for r in resources:
        kinds.setdefault(str(r.get("resourceType")), []).append(r)
    patients = kinds.get("Patient", [])
    if strict and len(patients) != 1:
        problems.append(("Patient", f"a Bundle holds one Patient, this one {len(patients)}"))
    all_observations = kinds.get("Observation", [])
    observations = [o for o in all_observations if o.get("status") in COUNTED]
    found = fhir_case.read_answers(observations, problems, strict=strict)
    responses = kinds.get("QuestionnaireResponse", [])
    if not strict:
        _more_answers(found, all_observations, responses, skipped)
    symptoms, patient = fhir_case.case_answers(found)
    patient |= fhir_case.read_measurements(observations, problems, strict=strict, unused=skipped)
    if patients and patients[0].get("gender") in ("female", "male", "other", "unknown"):
        patient["sex"] = patients[0]["gender"]
    ours = [
        c
        for c in kinds.get("Condition", [])
        if codes.has_code(c.get("code"), codes.SCIATICA)
        or codes.has_code(c.get("code"), codes.LOW_BACK_PAIN)
    ]
    # A resolved, inactive or refuted Condition (or one entered in error) is no current
    # episode: its onset would date this one, and its code would say what the pain is now.
    conditions = [c for c in ours if _current(c)]
    if not strict and len(conditions) < len(ours):
        skipped["condition_not_current"] = len(ours) - len(conditions)
    if strict and len(conditions) > 1:
        problems.append(("Condition", "more than one sciatica or low back pain Condition"))
    onset = _onset(conditions)
    if not strict:
        # An earlier sciatica (resolved, not refuted) still forbids the "back pain only"
        # guess: the pathway's rules stay in force, the reading that never lowers urgency.
        earlier_sciatica = any(
            codes.has_code(c.get("code"), codes.SCIATICA) and not _refuted(c) for c in ours
        )
        _fill_unanswered(symptoms, conditions, earlier_sciatica)
        _count_unplaced_pain(all_observations, skipped)
    diary = _diary(responses, observations, problems, strict, skipped)
    if problems:
        raise BundleInvalid(problems)
    case: dict[str, Any] = {
        "schema_version": 1,
        "today": today.isoformat(),
        "language": language,
        "patient": patient,
        "onset": onset,
        "symptoms": symptoms,
        "diary": diary,
        "medication": fhir_case.read_medication(
            kinds.get("MedicationStatement", []), None if strict else skipped
        ),
    }
    return case


def _more_answers(
    found: fhir_case.Answers,
    observations: list[dict[str, Any]],
    responses: list[dict[str, Any]],
    skipped: Unused,
) -> None:
    """An EHR's other answers (lenient): preliminary Observations and intake responses.

    Each is kept where it is the more urgent (``fhir_case.add_answers``); a source that is
    not final adds only a most urgent answer.
    """
    preliminary = [o for o in observations if o.get("status") in NOT_FINAL]
    if preliminary:
        ignored: Problems = []  # a preliminary answer we cannot read: counted, not refused
        more = fhir_case.read_answers(preliminary, ignored, strict=False)
        fhir_case.add_answers(found, more, final=False)
        if ignored:
            skipped["unreadable"] = skipped.get("unreadable", 0) + len(ignored)
    for qr in responses:
        if str(qr.get("questionnaire", "")).split("|")[0] not in INTAKE_URLS:
            continue
        more, unread = intake_answers(qr, fhir_case.KNOWN)
        fhir_case.add_answers(found, more, final=qr.get("status") in DONE)
        if unread:
            skipped["unreadable"] = skipped.get("unreadable", 0) + unread


def _count_unplaced_pain(observations: list[dict[str, Any]], skipped: Unused) -> None:
    """Pain scores not read into the diary: no leg or back site, no value, or not final."""
    for obs in observations:
        code = obs.get("code")
        if not (codes.has_code(code, codes.PAIN_LOINC) or codes.has_code(code, codes.PAIN_SNOMED)):
            continue
        if obs.get("status") in NOT_FINAL:
            skipped["pain_not_final"] = skipped.get("pain_not_final", 0) + 1
        elif obs.get("status") in COUNTED and _pain(obs) is None:
            skipped["pain_unplaced"] = skipped.get("pain_unplaced", 0) + 1


def _pain(obs: dict[str, Any]) -> tuple[str, str, int] | None:
    """A pain score as (day, leg_pain or back_pain, score), or None if we cannot place it.

    The score is a valueInteger (ours, nl-core) or a valueQuantity whose value is a whole
    number (some EHRs write scores so); the site is the lower limb, one of its sides or
    the lower leg (the leg), or the lower back. The range is the contract's check.
    """
    site = obs.get("bodySite")
    where: str | None = None
    if any(codes.has_code(site, leg) for leg in codes.LEG_SITES):
        where = "leg_pain"
    elif codes.has_code(site, codes.LOWER_BACK):
        where = "back_pain"
    day = str(obs.get("effectiveDateTime", ""))[:10]
    value = obs.get("valueInteger")
    if value is None:
        number = (obs.get("valueQuantity") or {}).get("value")
        if isinstance(number, int | float) and not isinstance(number, bool) and number % 1 == 0:
            value = int(number)
    if where is None or len(day) != 10 or not isinstance(value, int):
        return None
    return day, where, value


NOT_CURRENT = frozenset({"inactive", "resolved", "remission"})  # condition-clinical
REFUTED = frozenset({"refuted", "entered-in-error"})  # condition-ver-status


def _refuted(condition: dict[str, Any]) -> bool:
    return codes.code_in(condition.get("verificationStatus"), codes.CONDITION_VERIFICATION) in (
        REFUTED
    )


def _current(condition: dict[str, Any]) -> bool:
    """Whether a Condition is a current episode: not inactive, resolved or in remission,
    and not refuted or entered in error (no status: current, as our export's are)."""
    clinical = codes.code_in(condition.get("clinicalStatus"), codes.CONDITION_CLINICAL)
    return clinical not in NOT_CURRENT and not _refuted(condition)


def _onset(conditions: list[dict[str, Any]]) -> str | None:
    dates = [str(c["onsetDateTime"])[:10] for c in conditions if c.get("onsetDateTime")]
    return min(dates) if dates else None


def _fill_unanswered(
    symptoms: dict[str, Any], conditions: list[dict[str, Any]], earlier_sciatica: bool
) -> None:
    """An EHR need not have our answers: unanswered alarm questions are "don't know"."""
    for name in (*fhir_case.ALARMS, "weakness"):
        symptoms.setdefault(name, None)
    if "leg_pain_reaches" not in symptoms:
        back_only = (
            bool(conditions)
            and not earlier_sciatica
            and all(codes.has_code(c.get("code"), codes.LOW_BACK_PAIN) for c in conditions)
        )
        # Sciatica (or nothing said): the reading that keeps the pathway's rules in force.
        symptoms["leg_pain_reaches"] = "none" if back_only else "below_knee"


def _diary(
    responses: list[dict[str, Any]],
    observations: list[dict[str, Any]],
    problems: Problems,
    strict: bool,
    skipped: Unused,
) -> list[dict[str, Any]]:
    read: list[tuple[dict[str, Any], dict[str, Any]]] = []
    for qr in responses:
        url = str(qr.get("questionnaire", "")).split("|")[0]
        if url not in DIARY_URLS:
            if not strict and url not in INTAKE_URLS:
                skipped["response_other"] = skipped.get("response_other", 0) + 1
            continue
        if not strict and qr.get("status") not in DONE:
            skipped["response_not_done"] = skipped.get("response_not_done", 0) + 1
            continue
        try:
            read.append((qr, entry_from_validated(qr, check=False)))
        except ResponseInvalid as exc:
            problems += _named(qr, exc.problems)
    wrong = check_entries([entry for _, entry in read])
    days: dict[str, dict[str, Any]] = {}
    for i, (qr, entry) in enumerate(read):
        if i in wrong:
            problems += _named(qr, wrong[i])
            continue
        known = days.get(entry["date"])
        if known is not None and strict:
            problems.append((f"QuestionnaireResponse {entry['date']}", "two diary days, one date"))
        elif known is not None and known["leg_pain"] >= entry["leg_pain"]:
            continue  # an EHR's two responses for one day: the one with more leg pain
        days[entry["date"]] = entry
    pains: dict[tuple[str, str], list[int]] = {}
    for obs in observations:
        code = obs.get("code")
        if not (codes.has_code(code, codes.PAIN_LOINC) or codes.has_code(code, codes.PAIN_SNOMED)):
            continue
        pain = _pain(obs)
        if pain is None:
            if strict:
                day = str(obs.get("effectiveDateTime", ""))[:10]
                problems.append((f"Observation pain {day}", "needs a body site, a date, a value"))
            continue  # a general pain score: not ours to place (counted in ``unused``)
        day, where, value = pain
        pains.setdefault((day, where), []).append(value)
    pain_only: dict[str, dict[str, Any]] = {}
    for (day, where), values in sorted(pains.items()):
        if strict and len(values) > 1:
            problems.append((f"Observation {where} {day}", "more than one on one date"))
        # An EHR may record several a day: the highest, the reading that never lowers urgency.
        value = max(values)
        if day in days:
            known = days[day].get(where)
            if strict and known != value:
                problems.append((f"Observation {where} {day}", "differs from the diary day"))
            elif known is None or value > known:
                days[day][where] = value  # an EHR's (corrected) score: the higher one
            continue
        pain_only.setdefault(day, {"date": day})[where] = value
    for day, entry in pain_only.items():
        if "leg_pain" in entry:
            days[day] = entry
        elif strict:
            problems.append((f"Observation back_pain {day}", "has no leg pain beside it"))
        else:  # a diary day needs the leg pain: the back pain alone cannot be placed
            n = len(pains[(day, "back_pain")])
            skipped["back_pain_only"] = skipped.get("back_pain_only", 0) + n
    return [days[day] for day in sorted(days)]


def _named(qr: dict[str, Any], found: Problems) -> Problems:
    place = f"QuestionnaireResponse {str(qr.get('authored', ''))[:10]}"
    return [(f"{place} {link}".strip(), msg) for link, msg in found]


def _patient_language(resources: list[dict[str, Any]]) -> str | None:
    for r in resources:
        if r.get("resourceType") == "Patient":
            for c in r.get("communication", []):
                code = codes.code_in(c.get("language"), codes.LANGUAGE)
                if code in ("nl", "en"):
                    return code
    return None
