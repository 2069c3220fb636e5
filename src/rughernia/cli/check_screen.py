"""How ``rughernia check`` shows the result of the pathway.

The instruction (the triage text with its level) is printed LAST, so that it is
what stays in view at the bottom of the terminal (80x24 too) when the
questionnaire ends; the reasons, the advice and the safety net come above it.
"""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.panel import Panel
from rich.text import Text

from rughernia.content.questionnaire import Questionnaire
from rughernia.pathway import Assessment, Triage

# Red for "act now", yellow for "see your GP soon", green for "carry on".
COLOURS: dict[Triage, str] = {
    Triage.EMERGENCY: "red",
    Triage.URGENT: "red",
    Triage.CONTACT_GP: "yellow",
    Triage.SELF_CARE: "green",
    Triage.NOT_APPLICABLE: "default",
}


def show(console: Console, texts: Questionnaire, result: Assessment, note: str | None) -> None:
    """Why, the advice and the safety net; then ``note`` (what was saved); the instruction last."""
    console.print()
    console.rule(texts.text("result_heading"))
    if result.days_since_onset is not None:
        console.print(texts.text("days", days=result.days_since_onset), markup=False)
    findings, advice = list(result.findings), list(result.advice)
    if result.triage is Triage.EMERGENCY:
        # An emergency ends the questions early, so the case still reads "don't know" and "no
        # painkillers" for what was never asked. What follows from those placeholders would be
        # about questions the person did not see: show only what to do now and why.
        findings = [f for f in findings if f.triage is Triage.EMERGENCY]
        advice = []
    source = texts.text("source")
    _section(console, texts.text("findings_title"), [(f.text, f.source) for f in findings], source)
    tips = [(a.text, a.source) for a in advice if a.code != "SAFETY_NET"]
    _section(console, texts.text("advice_title"), tips, source)
    safety = [(a.text, a.source) for a in advice if a.code == "SAFETY_NET"]
    _section(console, texts.text("safety_title"), safety, source)
    if note is not None:
        console.print()
        console.print(note, markup=False)
    colour = COLOURS[result.triage]
    dash = "–" if _unicode(console) else "-"
    title = f"{texts.text('level_' + result.triage.code)} {dash} {texts.text('result_title')}"
    console.print()
    console.print(
        Panel(
            Text(result.triage_text, style=f"bold {colour}"),
            title=Text(title, style=f"bold {colour}"),
            border_style=colour,
            box=box.ROUNDED if _unicode(console) else box.ASCII,
        )
    )


def _section(console: Console, title: str, items: list[tuple[str, str]], source: str) -> None:
    if not items:
        return
    console.print()
    console.print(title, style="bold underline", markup=False)
    for text, where in items:
        bullet = "• " if _unicode(console) else "- "
        console.print(Text(bullet).append(text).append(f" ({source}: {where})", style="dim"))


def _unicode(console: Console) -> bool:
    """Whether the terminal writes UTF-8; else bullet and box in ASCII (``cli.main``
    writes any other character it cannot show as "?")."""
    return console.encoding.lower().replace("-", "").startswith("utf")
