"""Long articles through the user's pager, styled only where the pager shows styles.

Styling is SGR escape sequences; `less` shows them only with -R. As git does, LESS=FRX when
the user set nothing; when they did, R is added to what they said, so `LESS=-i` still gets
bold titles and never `ESC[1m` as text. A pager that is not less gets the text unstyled: no
guessing which ones render escapes.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
from collections.abc import Mapping

_SGR = re.compile(r"\x1b\[[0-9;]*m")  # the only escapes newscli writes (article text is made inert)


def page(text: str, environ: Mapping[str, str]) -> bool:
    """Show `text` through $PAGER (default less); False when no pager could run."""
    command = environ.get("PAGER", "less").strip()
    if not command or command == "cat":
        return False
    env = dict(environ)
    if _is_less(command):
        env["LESS"] = with_raw_control(environ.get("LESS"))
    else:
        text = _SGR.sub("", text)
    try:
        proc = subprocess.Popen(command, shell=True, stdin=subprocess.PIPE, env=env)
    except OSError:
        return False
    try:
        proc.communicate(text.encode("utf-8"))
    except BrokenPipeError:
        pass  # the reader quit early, as `q` in less does
    return proc.returncode != 127  # 127: the shell found no such command


def with_raw_control(less: str | None) -> str:
    """LESS with -R: 'FRX' when unset (quit if it fits, keep colours, no blank screen)."""
    if less is None:
        return "FRX"
    if _has_raw_flag(less):
        return less
    return f"{less} -R" if less.strip() else "-R"


def _has_raw_flag(less: str) -> bool:
    """-R or -r among LESS's flags (alone or bundled, as in -iMR), or their long names.
    Adding -R where it already was would do no harm; missing it is what prints ESC[1m."""
    return bool(re.search(r"(?:^|\s)-?[A-Za-z]*[Rr]", less)) or "--RAW-CONTROL-CHARS" in less.upper()


def _is_less(command: str) -> bool:
    try:
        first = shlex.split(command)[0]
    except (ValueError, IndexError):
        return False
    return os.path.basename(first) == "less"
