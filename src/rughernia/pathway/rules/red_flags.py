"""CLINICAL.md §3 (NHG-M55): signs of a cause other than a hernia."""

from __future__ import annotations

from rughernia.pathway.model import Case

FLAG_CODES: dict[str, str] = {
    "fever": "REDFLAG_FEVER",
    "cancer_history": "REDFLAG_CANCER_HISTORY",
    "trauma": "REDFLAG_TRAUMA",
    "recent_spinal_procedure": "REDFLAG_RECENT_SPINAL_PROCEDURE",
    "immunosuppression": "REDFLAG_IMMUNOSUPPRESSION",
    "weight_loss": "REDFLAG_WEIGHT_LOSS",
}


def findings(case: Case) -> list[str]:
    flags = case.symptoms.red_flags
    return [code for name, code in FLAG_CODES.items() if getattr(flags, name)]
