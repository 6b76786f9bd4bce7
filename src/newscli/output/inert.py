"""Making untrusted article text inert, without rich: shared by the terminal and file formats."""

from __future__ import annotations

import json
import re

# C0 and C1 controls (tab and newline are handled per context), DEL, and the invisible
# direction marks and overrides that can make text read differently from what it is.
UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_UNSAFE_IN_LINE = re.compile(UNSAFE.pattern[:-1] + "\t\n]")


def _escape(match: re.Match) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def sanitize(text: str, *, multiline: bool = False) -> str:
    """Make untrusted text inert: every control character is shown as a visible escape."""
    return (UNSAFE if multiline else _UNSAFE_IN_LINE).sub(_escape, text)


def to_json(value: object, *, indent: int | None = 2) -> str:
    """Exact text as JSON; characters a terminal would act on are written as \\u escapes."""
    dumped = json.dumps(value, ensure_ascii=False, indent=indent)
    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)
