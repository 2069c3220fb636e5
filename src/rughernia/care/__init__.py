"""DO: the use cases of a record, for every surface (the JSON API now; pages, CDS Hooks,
FHIR and ``rughernia reassess`` later).

One module per topic, each operation a function of a session, the acting user
(``Actor``), the patient, the date or time, and its input. It returns plain
results (``care.shapes``) and raises domain errors (``care.errors``), never an
HTTP answer. Each runs inside one audited step (``care.access``): access
checked, the outcome audited, the transaction committed in one place.

    diary.py       list, read and save a diary day (saving re-assesses)
    intake.py      read and write the intake (writing re-assesses)
    medication.py  read and change the medication step (a change re-assesses); preview one
    assessment.py  assess as of a date (stored when it changed), the history
    alarms.py      acknowledge an alarm
    findings.py    acknowledge a finding until a review date; the acknowledgements in force
    notes.py       the clinicians' notes (a note, an MRI or a referral arranged)
    privacy.py     export, the access log, erasure
    patients.py    the list, a new patient with an invitation, one patient
    accounts.py    accounts and teams, redeeming an invitation
    signin.py      sign-in with throttling, sessions, sign-out
    password_change.py  change one's own password (other sessions end)
    password_reset.py   one-time reset codes: issue (clinician, admin) and redeem
    codes.py       one-time codes (invitations, resets), kept only as a hash
    case.py        the stored record as a pathway Case (the only place)
    access.py      who may touch which record; the audited step
    once.py        Idempotency-Key: a retry gets the first answer
    errors.py      the domain errors, all of them
    shapes.py      the store's plain data and rows the operations hand back
    passwords.py   argon2 hashing and the rules for a new password
    demo.py        the demo team and patients
"""
