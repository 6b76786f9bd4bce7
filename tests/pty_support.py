"""Run newscli with a real terminal (a pty) as its stdin, stdout and stderr."""

from __future__ import annotations

import os
import pty
import subprocess
import sys


def run_on_pty(args: list[str], env: dict, drop: tuple[str, ...] = ("NO_COLOR", "FORCE_COLOR")) -> tuple[int, str]:
    """Exit code and everything the terminal received; `env` values of None are unset."""
    main, replica = pty.openpty()
    full = {**os.environ, "LINES": "20", "COLUMNS": "60", "TERM": "xterm"}
    for name in drop:
        full.pop(name, None)
    for name, value in env.items():
        if value is None:
            full.pop(name, None)
        else:
            full[name] = value
    proc = subprocess.Popen([sys.executable, "-m", "newscli", *args],
                            stdin=replica, stdout=replica, stderr=replica, env=full)
    os.close(replica)
    received = bytearray()
    while True:  # drain the terminal so the program never blocks on it
        try:
            chunk = os.read(main, 4096)
        except OSError:
            break
        if not chunk:
            break
        received += chunk
    os.close(main)
    return proc.wait(timeout=60), received.decode("utf-8", "replace").replace("\r\n", "\n")
