"""Pure mappings between the pathway's contract and FHIR R4 / CDS Hooks 2.0.

No I/O and no clock: dates, ids, the time and the store of seen JWT ids are
arguments. Imports only ``rughernia.pathway``, ``rughernia.contract``,
``rughernia.content``, pydantic, joserfc and the standard library
(``tests/interop/test_imports.py`` enforces it). Not fhir.resources: what we write
is plain JSON, validated with its models in the tests (a year's Bundle took 330 ms
a request to validate); what we read is checked by ``fhir_shapes``.

- ``fhir_export.bundle``: a patient's case and assessment as a Bundle (collection)
- ``fhir_import.case_from_bundle``: that Bundle back into case JSON (round trip)
- ``questionnaires``: the intake and diary Questionnaires (SDC style), a diary day
  as a QuestionnaireResponse and back
- ``cds``: discovery, prefetch to case, assessment to cards; ``cds_jwt.verify_jwt``

FHIR version: the EHRs we meet speak FHIR R4 (4.0.1). fhir.resources 8 ships
models for R5 (its default), R4B (4.3.0), STU3 and DSTU2, but not R4; the tests
validate what we build with its R4B models (``fhir.resources.R4B``), the closest to R4.
R4B is R4 with changes confined to the medication-definition, evidence and
subscription resources; the resources used here (Bundle, Patient, Condition,
Observation, MedicationStatement, RiskAssessment, Flag, CarePlan,
Questionnaire, QuestionnaireResponse) are structurally the same in R4 and R4B
(hl7.org/fhir/R4B/diff.html), so what validates here is valid R4 for them.
What differs in practice: we claim no ``fhirVersion`` (a CapabilityStatement
would say 4.0.1), and the models check structure, types, cardinality and
choice types, not value-set bindings or invariants (e.g. a wrong
``Observation.status`` code passes them); our own tests check the codes we use.
"""

from rughernia.interop.errors import (
    BundleInvalid,
    HookInvalid,
    InteropError,
    PrefetchMissing,
    ResponseInvalid,
    TokenRefused,
)

__all__ = [
    "BundleInvalid",
    "HookInvalid",
    "InteropError",
    "PrefetchMissing",
    "ResponseInvalid",
    "TokenRefused",
]
