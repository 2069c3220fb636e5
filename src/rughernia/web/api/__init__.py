"""The JSON API under /api/v1: one router per topic, gathered here."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from rughernia.web.api import (
    accounts,
    assess,
    assessments,
    cds_hooks,
    diary,
    fhir,
    notes,
    patients,
    privacy,
    record,
    session,
)
from rughernia.web.api.inputs import json_media_type, one_value_each

PREFIX = "/api/v1"
# Every route refuses a repeated query parameter, and a body that is not JSON,
# before anything else runs.
ROUTER_CHECKS = [Depends(one_value_each), Depends(json_media_type)]


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
        notes,
        privacy,
        fhir,
    ):
        app.include_router(module.router, prefix=PREFIX, dependencies=ROUTER_CHECKS)
    # CDS Hooks where the specification puts it, outside /api/v1, with the same checks.
    app.include_router(cds_hooks.router, dependencies=ROUTER_CHECKS)
