"""CLINICAL.md §6 (L5, NHG-PIJN, NVN-LRS, NVIC): painkillers and the safety of doses.

Only the GP steps painkillers up (L5): the rules advise to *discuss* a change,
never to take a stronger drug.
"""

from __future__ import annotations

from rughernia.pathway.facts import Facts, days_between, mg_per_kg_at_least, under_age
from rughernia.pathway.model import ACTION_PRECEDENCE, Action, Case, Thresholds

NSAID_CAUTION_RISKS = frozenset(
    {
        "stomach_ulcer_history",
        "heart_failure",
        "kidney_disease",
        "anticoagulants",
        "cardiovascular_disease",
    }
)
# Their texts say to take no more paracetamol today: no dose advice beside them.
NO_MORE_TODAY = frozenset({"PARACETAMOL_ABOVE_MAX", "PARACETAMOL_OVERDOSE"})


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
    if step == 3:
        if since is None:
            # Missing data never lowers urgency: a start date we do not know is reviewed.
            fired.append(("OPIOID_START_UNKNOWN", "review_opioid"))
        elif days_between(since, case.today) > t.opioid_max_days:
            fired.append(("OPIOID_LONG_USE", "review_opioid"))
    fired += [(code, None) for code in paracetamol(case, facts, t)]
    if facts.nsaid_in_use:
        p = case.patient
        if p.risk_factors & NSAID_CAUTION_RISKS or p.pregnant is True:
            fired.append(("NSAID_CAUTION", None))
        elderly = p.age is not None and p.age >= t.elderly_age
        ulcer = "stomach_ulcer_history" in p.risk_factors
        # An unknown stomach protector is asked about, never assumed present.
        if p.uses_stomach_protector is not True and (elderly or ulcer):
            fired.append(("NSAID_STOMACH_PROTECTION", None))
    return fired


def paracetamol(case: Case, facts: Facts, t: Thresholds) -> list[str]:
    """The dose rows, most serious first; each more serious row replaces the lesser."""
    codes: list[str] = []
    taken = facts.paracetamol_today_max_mg
    if taken is not None:
        if mg_per_kg_at_least(case, taken, t.paracetamol_overdose_mg_per_kg, t):
            codes.append("PARACETAMOL_OVERDOSE")
        elif taken > t.paracetamol_absolute_max_mg or mg_per_kg_at_least(
            case, taken, t.paracetamol_above_max_mg_per_kg, t
        ):
            codes.append("PARACETAMOL_ABOVE_MAX")
        elif taken > facts.paracetamol_personal_max_mg:
            codes.append("PARACETAMOL_ABOVE_ADVISED")
    repeated = facts.paracetamol_days_above_personal >= t.paracetamol_repeated_days
    if repeated and not NO_MORE_TODAY & set(codes):
        codes.append("PARACETAMOL_ABOVE_ADVISED_REPEATED")
    return codes


def action(case: Case, facts: Facts, asked: list[Action], fired: set[str], t: Thresholds) -> Action:
    if asked:
        return min(asked, key=ACTION_PRECEDENCE.index)
    step = case.medication.step
    if (
        step == 0
        and case.symptoms.leg_pain_reaches != "none"
        and not under_age(case, t)
        and facts.phase != "recovered"
        and not NO_MORE_TODAY & fired
    ):
        return "start_paracetamol"
    if step >= 2 and facts.phase in ("recovery", "recovered"):
        return "discuss_step_down"
    return "continue"


def advice(case: Case, facts: Facts, chosen: Action, fired: set[str]) -> list[str]:
    codes: list[str] = []
    step = case.medication.step
    doses = step >= 1 or chosen == "start_paracetamol"
    if doses and not NO_MORE_TODAY & fired and facts.phase != "recovered":
        codes.append("PARACETAMOL_FIXED_TIMES")
    if facts.phase == "recovered" and step >= 1:
        codes.append("PARACETAMOL_TAPER")
    if facts.nsaid_in_use:
        codes.append("NSAID_USE")
    if step == 3:
        codes += ["OPIOID_USE", "OPIOID_LAXATIVE"]
    if case.symptoms.sleep_disturbed:
        codes.append("SLEEP_DISCUSS")
    return codes
