"""Path and header parameters shared by the routes."""

from __future__ import annotations

from typing import Annotated

from fastapi import Header, Path

from rughernia.store.tables import MAX_ID

PatientId = Annotated[int, Path(ge=1, le=MAX_ID, description="the patient's id")]
AssessmentId = Annotated[int, Path(ge=1, le=MAX_ID)]
IdempotencyKey = Annotated[
    str | None,
    Header(
        alias="Idempotency-Key",
        description="a retry with the same key gets the first answer",
        min_length=1,
        max_length=200,
        pattern=r"^[\x20-\x7e]+$",
    ),
]
