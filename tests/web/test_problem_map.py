"""Every domain error has its problem type, and the one module of errors documents each."""

from __future__ import annotations

from rughernia.care import errors
from rughernia.web.problems import CARE_PROBLEMS, from_care


def _all(cls: type[errors.CareError]) -> list[type[errors.CareError]]:
    return [cls, *(sub for direct in cls.__subclasses__() for sub in _all(direct))]


def test_every_domain_error_is_mapped_once_and_documented() -> None:
    doc = errors.__doc__ or ""
    for cls in _all(errors.CareError)[1:]:
        assert cls in CARE_PROBLEMS, f"{cls.__name__} has no problem type in web/problems.py"
        assert f" {cls.__name__} " in doc, f"{cls.__name__} is not in the tree of care/errors.py"


def test_a_subclass_speaks_for_itself_and_retry_after_is_a_header() -> None:
    problem = from_care(errors.InProgress("busy", "retry", retry_after=1))
    assert (problem.status, problem.kind, problem.headers) == (
        409,
        "idempotency-conflict",
        {"Retry-After": "1"},
    )
