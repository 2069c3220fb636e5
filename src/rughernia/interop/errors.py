"""The domain errors of the mappings: each names what is wrong, never an HTTP status.

The routes (with the use-case layer) map them: ``ResponseInvalid`` and
``BundleInvalid`` and ``HookInvalid`` to 400 (or 422), ``PrefetchMissing`` to 412,
``TokenRefused`` to 401.
"""

from __future__ import annotations

from typing import Any


class InteropError(ValueError):
    """Base of every error of ``rughernia.interop``."""


class BundleInvalid(InteropError):
    """A Bundle could not be read back into a case; ``problems`` are (where, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where}: {msg}" if where else msg for where, msg in problems))


class ResponseInvalid(InteropError):
    """A QuestionnaireResponse is not a diary day; ``problems`` are (linkId, message)."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{link}: {msg}" if link else msg for link, msg in problems))


class PrefetchMissing(InteropError):
    """A CDS Hooks call lacks prefetch the service needs (CDS Hooks: 412)."""

    def __init__(self, keys: list[str]) -> None:
        self.keys = sorted(keys)
        super().__init__(f"missing required prefetch: {', '.join(self.keys)}")


class HookInvalid(InteropError):
    """A CDS Hooks request is malformed (400); the message says where and why."""


class TokenRefused(InteropError):
    """A CDS client's JWT is refused; ``reason`` is one of a few fixed words."""

    def __init__(self, reason: str, detail: str) -> None:
        self.reason = reason
        super().__init__(f"{reason}: {detail}")


def validation_errors(exc: ValueError) -> list[dict[str, Any]]:
    """The errors of a model validation (pydantic's, raised by fhir.resources and the
    contract), or the error itself as one; without importing pydantic here."""
    errors = getattr(exc, "errors", None)
    if callable(errors):
        return list(errors())
    return [{"loc": (), "msg": str(exc), "type": "value_error"}]
