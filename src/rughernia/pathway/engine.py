"""assess(case, content) -> Assessment, in the order of CLINICAL.md §1.

Pure and deterministic: everything it needs, including the date, is in its
arguments. Rules name codes; the content gives each code its triage, source
and text, so a clinician can read and change them without reading Python.
"""

from __future__ import annotations

from rughernia.pathway import facts as f
from rughernia.pathway.model import (
    Action,
    Advice,
    Assessment,
    Case,
    Content,
    Finding,
    MedicationPlan,
    Triage,
)
from rughernia.pathway.rules import activity, alarms, course, painkillers, red_flags, scope


def assess(case: Case, content: Content) -> Assessment:
    t = content.thresholds
    facts = f.gather(case, t)

    # 1-2. Alarms and red flags come first and are never undone by what follows.
    flags = red_flags.findings(case)
    codes = alarms.findings(case) + flags
    # 3. Scope.
    codes += scope.findings(case, t)
    # 4. Course.
    codes += course.findings(case, facts, t)
    # 5. Painkillers.
    fired = painkillers.findings(case, facts, t)
    codes += [code for code, _ in fired]
    asked: list[Action] = [a for _, a in fired if a is not None]
    chosen = painkillers.action(case, facts, asked, set(codes), t)

    personal_max = facts.paracetamol_personal_max_mg
    values = dose_values(content, personal_max, case.language)
    findings = _findings(codes, content, case.language, values)
    triage = overall_triage(findings, facts.in_scope)
    alarm = any(x.triage == Triage.EMERGENCY and x.code.startswith("ALARM_") for x in findings)

    # 6. Advice: none of it changes the triage.
    advice_codes = set(painkillers.advice(case, facts, chosen, set(codes)))
    advice_codes.update(scope.advice(case))
    advice_codes.update(course.advice(case, facts))
    advice_codes.update(activity.advice(case, facts, alarm, bool(flags), t))
    if triage < Triage.EMERGENCY:
        advice_codes.add("SAFETY_NET")

    return Assessment(
        content_version=content.version,
        language=case.language,
        triage=triage,
        triage_text=content.triage_text[triage.code][case.language],
        phase=facts.phase,
        days_since_onset=facts.days_since_onset,
        findings=findings,
        advice=_advice(advice_codes, content, case.language, values),
        medication=MedicationPlan(
            step=case.medication.step,
            action=chosen,
            paracetamol_max_mg_per_day=personal_max,
        ),
        trend=facts.trend,
    )


def dose_values(content: Content, max_mg: int, lang: str) -> dict[str, str]:
    """What a text may say about the personal paracetamol maximum: ``{max_mg}``, ``{tablets}``
    (the maximum in tablets, rounded down) and ``{times}`` ("4 to 6 times"; CLINICAL.md §6)."""
    t = content.thresholds
    high = max_mg // t.paracetamol_tablet_mg
    low = min(t.paracetamol_min_times, high)
    form = "single" if low == high else "range"
    times = content.dose_times[f"{form}_{lang}"].format(low=low, high=high)
    return {"max_mg": str(max_mg), "tablets": str(high), "times": times}


def overall_triage(findings: tuple[Finding, ...], in_scope: bool) -> Triage:
    """The most urgent finding; `not_applicable` only out of scope with nothing above self care."""
    top = max((x.triage for x in findings), default=Triage.SELF_CARE)
    if not in_scope and top <= Triage.SELF_CARE:
        return Triage.NOT_APPLICABLE
    return max(top, Triage.SELF_CARE)


def _findings(
    codes: list[str], content: Content, lang: str, values: dict[str, str]
) -> tuple[Finding, ...]:
    items = []
    for code in codes:
        c = content.codes[code]
        assert c.triage is not None, f"{code} is advice, not a finding"
        items.append(Finding(code, c.triage, c.source, c.text[lang].format_map(values)))
    # Most urgent first; within a level, the order of CLINICAL.md (sort is stable).
    return tuple(sorted(items, key=lambda x: -x.triage))


def _advice(
    codes: set[str], content: Content, lang: str, values: dict[str, str]
) -> tuple[Advice, ...]:
    # Shown in the order of the content file, whatever order the rules fired in.
    return tuple(
        Advice(code, c.source, c.text[lang].format_map(values))
        for code, c in content.codes.items()
        if code in codes
    )
