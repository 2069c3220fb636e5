"""The JSON API under /api/v1: one router per topic, gathered here."""

from __future__ import annotations

from fastapi import APIRouter

from rughernia.web.api import (
    accounts,
    assess,
    assessments,
    diary,
    patients,
    privacy,
    record,
    session,
)

PREFIX = "/api/v1"


def router() -> APIRouter:
    api = APIRouter(prefix=PREFIX)
    for module in (assess, session, accounts, patients, diary, record, assessments, privacy):
        api.include_router(module.router)
    return api
