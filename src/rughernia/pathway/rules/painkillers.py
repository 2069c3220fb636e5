"""CLINICAL.md §6 (L5, NHG-PIJN, NVN-LRS): painkillers and the safety of doses.

Only the GP steps painkillers up (L5): the rules advise to *discuss* a change,
never to take a stronger drug.
"""

from __future__ import annotations

from rughernia.pathway.facts import Facts, days_between
from rughernia.pathway.model import ACTION_PRECEDENCE, Action, Case, Thresholds

NSAID_CAUTION_RISKS = frozenset({"stomach_ulcer_history", "heart_failure", "kidney_disease"})


def findings(case: Case, facts: Facts, t: Thresholds) -> list[tuple[str, Action | None]]:
    """Each fired code with the medication action it asks for (None: no action)."""
    step = case.medication.step
    fired: list[tuple[str, Action | None]] = []
    latest = facts.latest
    if latest is not None and latest.pain_tolerable is False:
        # Unknown adherence counts as taken as scheduled: the more urgent reading.
        as_scheduled = latest.painkillers_as_scheduled is not False
        if as_scheduled and step in (1, 2):
            fired.append(("PAIN_NOT_TOLERATED", "discuss_step_up"))
        elif as_scheduled and step == 3:
            fired.append(("PAIN_UNCONTROLLED_ON_OPIOID", "urgent_review"))
        elif not as_scheduled and step >= 1:
            fired.append(("PAINKILLERS_NOT_REGULAR", "take_regularly"))
    since = case.medication.opioid_since
    if step == 3 and since is not None and days_between(since, case.today) > t.opioid_max_days:
        fired.append(("OPIOID_LONG_USE", "review_opioid"))
    taken = facts.paracetamol_today_max_mg
    if taken is not None:
        if taken > t.paracetamol_absolute_max_mg:
            fired.append(("PARACETAMOL_ABOVE_MAX", None))
        elif taken > facts.paracetamol_personal_max_mg:
            fired.append(("PARACETAMOL_ABOVE_ADVISED", None))
    if step >= 2:
        p = case.patient
        if p.risk_factors & NSAID_CAUTION_RISKS or p.pregnant is True:
            fired.append(("NSAID_CAUTION", None))
        elderly = p.age is not None and p.age >= t.elderly_age
        ulcer = "stomach_ulcer_history" in p.risk_factors
        if not p.uses_stomach_protector and (elderly or ulcer):
            fired.append(("NSAID_STOMACH_PROTECTION", None))
    return fired


def action(case: Case, facts: Facts, asked: list[Action]) -> Action:
    if asked:
        return min(asked, key=ACTION_PRECEDENCE.index)
    step = case.medication.step
    if step == 0 and facts.in_scope:
        return "start_paracetamol"
    if step >= 2 and facts.phase in ("recovery", "recovered"):
        return "discuss_step_down"
    return "continue"


def advice(case: Case, chosen: Action) -> list[str]:
    codes: list[str] = []
    step = case.medication.step
    if step >= 1 or chosen == "start_paracetamol":
        codes.append("PARACETAMOL_FIXED_TIMES")
    if case.symptoms.sleep_disturbed:
        codes.append("SLEEP_DISCUSS")
    if step == 3:
        codes.append("OPIOID_LAXATIVE")
    return codes
