"""Our message for each regular expression a request field of the API must match.

Used by the problem mapping (``problems._from_validation``), so a mismatch tells the
client what to send, not the regular expression. The patterns are those of the
request models (``api/schemas.py``) and parameters (``api/inputs.py``), keyed by their
text; a pattern without an entry here would be worded "is not in the expected form",
so a test reads every pattern in the OpenAPI document and requires its entry.
"""

from __future__ import annotations

from rughernia.care.accounts import USERNAME_PATTERN

NO_NUL = r"^[^\x00]*$"  # the database cannot store NUL characters
PRINTABLE_ASCII = r"^[\x20-\x7e]+$"
DATE = r"^\d{4}-\d{2}-\d{2}$"
NOT_BLANK = r"\S"

PATTERN_MESSAGES: dict[str, str] = {
    NO_NUL: "must not contain NUL characters",
    PRINTABLE_ASCII: "must be printable ASCII characters (letters, digits, punctuation, spaces)",
    DATE: "is not a valid date; use YYYY-MM-DD",
    NOT_BLANK: "must not be blank",
    USERNAME_PATTERN: (
        "use 3 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit"
    ),
}
