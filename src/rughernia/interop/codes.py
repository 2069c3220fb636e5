"""Code systems, fixed codes and deterministic ids of the FHIR mappings.

Standard codes where one exists (SNOMED CT, LOINC, ATC, UCUM, HL7); our own
code systems under ``https://rughernia.example/fhir/`` for the questions and
the pathway's codes that have none.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from typing import Any

BASE = "https://rughernia.example/fhir"
CASE_SYSTEM = f"{BASE}/CodeSystem/case"  # the case's questions (field names)
ANSWER_SYSTEM = f"{BASE}/CodeSystem/answer"  # answers that are not true/false
TRIAGE_SYSTEM = f"{BASE}/CodeSystem/triage"
FINDING_SYSTEM = f"{BASE}/CodeSystem/finding"  # finding and advice codes of the content
ADVICE_SYSTEM = f"{BASE}/CodeSystem/advice"
PHASE_SYSTEM = f"{BASE}/CodeSystem/phase"
ACTION_SYSTEM = f"{BASE}/CodeSystem/medication-action"
ASSESSMENT_SYSTEM = f"{BASE}/CodeSystem/assessment"
QUESTIONNAIRE_BASE = f"{BASE}/Questionnaire"
# Our patient id as a Patient.identifier: an EHR that keeps it can be linked back to us.
PATIENT_ID_SYSTEM = f"{BASE}/NamingSystem/patient-id"

# FHIR's string allows no whitespace but space, tab, CR and LF ([ \r\n\t\S]+).
# A note or name typed with a no-break space or pasted with U+0085 or U+2028
# would make the whole Bundle invalid, so those become a plain space.
_NOT_FHIR_WHITESPACE = re.compile(r"[^\S \r\n\t]")


def fhir_string(text: str) -> str:
    """``text`` as a valid FHIR string: other whitespace becomes a space."""
    return _NOT_FHIR_WHITESPACE.sub(" ", text)


SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
ATC = "http://www.whocc.no/atc"
UCUM = "http://unitsofmeasure.org"
OBSERVATION_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY = "http://terminology.hl7.org/CodeSystem/condition-category"
FLAG_CATEGORY = "http://terminology.hl7.org/CodeSystem/flag-category"
DATA_ABSENT = "http://terminology.hl7.org/CodeSystem/data-absent-reason"
YES_NO = "http://terminology.hl7.org/CodeSystem/v2-0136"
LANGUAGE = "urn:ietf:bcp:47"
# Nictiz PijnMeetmethodeCodelijst (zib PainScore 2020): NRS, VAS10, VAS100.
PAIN_METHOD = "urn:oid:2.16.840.1.113883.2.4.3.11.60.40.4.9.1"
NL_CORE_PAIN = "http://nictiz.nl/fhir/StructureDefinition/nl-core-PainScore"

SCIATICA = (SNOMED, "23056005", "Sciatica")
LOW_BACK_PAIN = (SNOMED, "279039007", "Low back pain")
PAIN_LOINC = (LOINC, "72514-3", "Pain severity - 0-10 verbal numeric rating [Score] - Reported")
PAIN_SNOMED = (SNOMED, "225908003", "Pain score")  # the code nl-core-PainScore fixes
LOWER_LIMB = (SNOMED, "61685007", "Lower limb structure")
LOWER_BACK = (SNOMED, "37822005", "Lower back structure")
# A leg pain score may name a side or the lower leg; each is read as the leg.
LEG_SITES = (
    LOWER_LIMB,
    (SNOMED, "32153003", "Structure of left lower limb"),
    (SNOMED, "62175007", "Structure of right lower limb"),
    (SNOMED, "30021000", "Lower leg structure"),
)
AGE = (LOINC, "30525-0", "Age")
BODY_WEIGHT = (LOINC, "29463-7", "Body weight")
PREGNANCY = (LOINC, "82810-3", "Pregnancy status")
PREGNANT = (SNOMED, "77386006", "Pregnant")
NOT_PREGNANT = (SNOMED, "60001007", "Not pregnant")
ASKED_UNKNOWN = (DATA_ABSENT, "asked-unknown", "Asked But Unknown")

# The medication steps of CLINICAL.md §6, by ATC code.
PARACETAMOL = (ATC, "N02BE01", "paracetamol")
NSAIDS = {
    "ibuprofen": (ATC, "M01AE01", "ibuprofen"),
    "naproxen": (ATC, "M01AE02", "naproxen"),
    "diclofenac": (ATC, "M01AB05", "diclofenac"),
}
NSAID_GROUP = (ATC, "M01A", "NSAID")  # step 2 without a named NSAID
MORPHINE = (ATC, "N02AA01", "morphine")

_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, BASE)
_NAMESPACE_BYTES = _NAMESPACE.bytes


def full_url(patient_id: str, kind: str, key: str = "") -> str:
    """A stable ``urn:uuid`` for one resource of one patient: the same input, the same id."""
    return f"urn:uuid:{resource_id(patient_id, kind, key)}"


def resource_id(patient_id: str, kind: str, key: str = "") -> str:
    """``str(uuid.uuid5(_NAMESPACE, f"{patient_id}|{kind}|{key}"))``, written out.

    A year's Bundle has 3,400 ids; ``uuid.uuid5`` builds a UUID object for each, this
    takes the hash's first 16 bytes and sets the version and variant bits as RFC 4122
    says (``tests/interop/test_fhir_export.py`` checks it against ``uuid.uuid5``).
    """
    name = f"{patient_id}|{kind}|{key}".encode()
    raw = bytearray(hashlib.sha1(_NAMESPACE_BYTES + name, usedforsecurity=False).digest()[:16])
    raw[6] = (raw[6] & 0x0F) | 0x50  # version 5
    raw[8] = (raw[8] & 0x3F) | 0x80  # the RFC 4122 variant
    h = raw.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def coding(code: tuple[str, str, str], display: str | None = None) -> dict[str, Any]:
    system, value, default = code
    return {"system": system, "code": value, "display": display or default}


def concept(*codes: tuple[str, str, str], text: str | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {"coding": [coding(c) for c in codes]}
    if text is not None:
        out["text"] = text
    return out


def own(system: str, code: str, display: str | None = None) -> dict[str, Any]:
    """A CodeableConcept in one of our code systems."""
    c: dict[str, Any] = {"system": system, "code": code}
    if display is not None:
        c["display"] = display
    return {"coding": [c]}


def has_code(value: Any, code: tuple[str, str, str]) -> bool:
    """Whether a CodeableConcept (as JSON) carries this system and code."""
    if not isinstance(value, dict):
        return False
    system, wanted = code[0], code[1]
    for c in value.get("coding", ()):  # a loop, not any(): asked 12,000 times a CDS call
        if isinstance(c, dict) and c.get("code") == wanted and c.get("system") == system:
            return True
    return False


def code_in(value: Any, system: str) -> str | None:
    """The first code of a CodeableConcept (as JSON) in ``system``, if any."""
    if not isinstance(value, dict):
        return None
    for c in value.get("coding", []):
        if isinstance(c, dict) and c.get("system") == system and isinstance(c.get("code"), str):
            return str(c["code"])
    return None
