"""The shape of the FHIR JSON we read, checked before it is read: only the fields we read.

Incoming FHIR (a CDS Hooks prefetch, our own Bundle sent back, a QuestionnaireResponse
from a patient's app) used to be validated whole with the fhir.resources R4B models;
for a year of prefetch that was about 460 ms a call. These Pydantic models (run by
pydantic-core, strict: no "4" for 4, no "true" for true, no null and no empty string
where FHIR has none) check just the fields ``fhir_import``, ``fhir_case`` and
``questionnaires`` read, in about a hundredth of that time. Every other field passes
unchecked, as it is not read.

Why that is safe: a field we read has the type the reader expects, or the call fails
naming the field (``Problem``), never a guess. Nothing here decides what a value means;
a missing alarm answer stays missing (``fhir_import``).
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Required

from pydantic import ConfigDict, Field, TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic needs this one on Python < 3.12

_STRICT = ConfigDict(strict=True, extra="ignore")

# FHIR's string: at least one character (JSON has no empty FHIR strings).
Str = Annotated[str, Field(min_length=1)]
# FHIR's date and dateTime as written (a year, a month, a day, a time with its zone);
# whether the day exists is the contract's check, which names the field.
_DATE = r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?"
Date = Annotated[str, Field(pattern=_DATE + r"$")]
_TIME = r"T[0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}:[0-9]{2})"
DateTime = Annotated[str, Field(pattern=f"{_DATE}({_TIME})?$")]
# A JSON number, never a bool or a string, and finite: the JSON reader turns 1e309 into
# inf, which no reader can use (int(inf) raises) and no measurement or score is.
# An integer too large for a float (10**400) is refused here too, as no number we read is.
Number = Annotated[float, Field(strict=True, allow_inf_nan=False)]


class Coding(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    system: Str
    code: Str
    display: Str


class Concept(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    coding: list[Coding]
    text: Str


class Quantity(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    value: Number
    unit: Str
    system: Str
    code: Str


class Period(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    start: DateTime
    end: DateTime


class Identifier(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    system: Str
    value: Str


class Reference(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    reference: Str
    type: Str
    identifier: Identifier


class Communication(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    language: Concept


class Patient(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Literal["Patient"]
    id: Str
    gender: Str
    identifier: list[Identifier]
    communication: list[Communication]


class Condition(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Literal["Condition"]
    code: Concept
    clinicalStatus: Concept
    verificationStatus: Concept
    onsetDateTime: DateTime


class Observation(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Literal["Observation"]
    status: Str
    code: Concept
    subject: Reference
    effectiveDateTime: DateTime
    bodySite: Concept
    valueBoolean: bool
    valueInteger: int
    valueQuantity: Quantity
    valueCodeableConcept: Concept
    dataAbsentReason: Concept


class MedicationStatement(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Literal["MedicationStatement"]
    status: Str
    medicationCodeableConcept: Concept
    effectiveDateTime: DateTime
    effectivePeriod: Period


class Answer(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    valueDate: Date
    valueInteger: int
    valueDecimal: Number
    valueBoolean: bool
    valueString: Str
    valueCoding: Coding


class Item(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    linkId: Required[Str]
    text: Str
    answer: list[Answer]
    item: list[Item]


class QuestionnaireResponse(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Literal["QuestionnaireResponse"]
    language: Str
    questionnaire: Str
    status: Str
    subject: Reference
    authored: DateTime
    item: list[Item]


class Resource(TypedDict, total=False):
    """A resource we do not read (a RiskAssessment, a Flag, a CarePlan): a typed object."""

    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Str


class Search(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    mode: Str


class Entry(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    fullUrl: Str
    resource: dict[str, Any]
    search: Search


class Bundle(TypedDict, total=False):
    __pydantic_config__ = _STRICT  # type: ignore[misc]
    resourceType: Literal["Bundle"]
    language: Str
    type: Str
    entry: list[Entry]


_KINDS: dict[str, type] = {
    "Patient": Patient,
    "Condition": Condition,
    "Observation": Observation,
    "MedicationStatement": MedicationStatement,
    "QuestionnaireResponse": QuestionnaireResponse,
}
_RESOURCES: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(v) for k, v in _KINDS.items()}
# A search's matches checked in one call (one per resource was most of the check's time).
_LISTS: dict[str, TypeAdapter[Any]] = {
    k: TypeAdapter(list[v])  # type: ignore[valid-type]
    for k, v in _KINDS.items()
}
_ANY = TypeAdapter(Resource)
_BUNDLE = TypeAdapter(Bundle)
# The choice types we read: FHIR allows one value[x] of an Observation (and of an answer).
_OBSERVATION_VALUES = ("valueBoolean", "valueInteger", "valueQuantity", "valueCodeableConcept")

Loc = tuple[str | int, ...]


class ShapeError(ValueError):
    """JSON that is not the FHIR we read; ``errors`` are (where, message), ``where`` a path."""

    def __init__(self, errors: list[tuple[Loc, str]]) -> None:
        self.errors = errors
        super().__init__("; ".join(f"{where(loc)}: {msg}" for loc, msg in errors))


def where(loc: Loc) -> str:
    return ".".join(str(p) for p in loc)


def check_resource(value: Any, kind: str | None = None) -> None:
    """``value`` has the shape of a ``kind`` resource (its own resourceType if None).

    Raises ShapeError with every problem, each with its path inside the resource.
    """
    if not isinstance(value, dict) or not isinstance(value.get("resourceType"), str):
        raise ShapeError([((), "must be a FHIR resource: a JSON object with a resourceType")])
    adapter = _RESOURCES.get(kind or value["resourceType"], _ANY)
    try:
        adapter.validate_python(value)
    except ValidationError as exc:
        raise ShapeError([(tuple(e["loc"]), e["msg"]) for e in exc.errors()]) from None
    if value["resourceType"] == "Observation":
        _one_value(value, ())
    elif value["resourceType"] == "QuestionnaireResponse":
        _one_answer_value(value, ())


def check_resources(values: list[dict[str, Any]], kind: str) -> None:
    """Each of ``values`` (JSON objects of ``resourceType`` ``kind``) has the shape of one.

    The paths of the problems start with the index in ``values``.
    """
    try:
        _LISTS[kind].validate_python(values)
    except ValidationError as exc:
        raise ShapeError([(tuple(e["loc"]), e["msg"]) for e in exc.errors()]) from None
    if kind == "Observation":
        for i, value in enumerate(values):
            _one_value(value, (i,))
    elif kind == "QuestionnaireResponse":
        for i, value in enumerate(values):
            _one_answer_value(value, (i,))


def _one_value(observation: dict[str, Any], at: Loc) -> None:
    found = [k for k in _OBSERVATION_VALUES if k in observation]
    if len(found) > 1:
        raise ShapeError([((*at, found[1]), f"an Observation has one value[x], not {found}")])


def _one_answer_value(response: dict[str, Any], at: Loc) -> None:
    """Each answer of a (shape-checked) response has one value[x]: of two, a reader would
    take one and drop the other silently ({"valueDecimal": 2.5, "valueInteger": 7})."""
    stack: list[tuple[dict[str, Any], Loc]] = [
        (item, (*at, "item", i)) for i, item in enumerate(response.get("item", []))
    ]
    while stack:
        item, loc = stack.pop()
        for j, answer in enumerate(item.get("answer", [])):
            found = [k for k in answer if k.startswith("value")]
            if len(found) > 1:
                where = (*loc, "answer", j, found[1])
                raise ShapeError([(where, f"an answer has one value[x], not {found}")])
        stack += [(sub, (*loc, "item", k)) for k, sub in enumerate(item.get("item", []))]


def check_bundle(value: Any) -> None:
    """``value`` is a Bundle as JSON (its entries' resources are checked one by one)."""
    try:
        _BUNDLE.validate_python(value)
    except ValidationError as exc:
        raise ShapeError([(tuple(e["loc"]), e["msg"]) for e in exc.errors()]) from None


def first(exc: ShapeError, prefix: Loc = ()) -> str:
    """The first problem as ``path: message``, its path under ``prefix``."""
    loc, msg = exc.errors[0]
    return f"{where((*prefix, *loc))}: {msg}"
