"""The JSON API under /api/v1: one router per topic, gathered here."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from rughernia.web.api import (
    accounts,
    assess,
    assessments,
    diary,
    fhir,
    patients,
    privacy,
    record,
    session,
)
from rughernia.web.api.inputs import json_media_type

PREFIX = "/api/v1"


def install(app: FastAPI) -> None:
    """Each topic's router straight into the app: FastAPI walks nested routers on every
    request, so one level less is less work per request."""
    for module in (
        assess,
        session,
        accounts,
        patients,
        diary,
        record,
        assessments,
        privacy,
        fhir,
    ):
        app.include_router(module.router, prefix=PREFIX, dependencies=[Depends(json_media_type)])
