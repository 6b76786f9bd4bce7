"""One exception family, so `cli` can turn any failure into one line and an exit code."""

from __future__ import annotations

import enum


class ExitCode(enum.IntEnum):
    OK = 0
    FAILURE = 1  # bad input, unknown id, damaged store
    USAGE = 2  # wrong flags or arguments
    INTERRUPTED = 130  # Ctrl-C (128 + SIGINT)
    BROKEN_PIPE = 141  # the reader of stdout left (128 + SIGPIPE), as for cat in a shell
    TERMINATED = 143  # SIGTERM (128 + SIGTERM)


def os_reason(exc: OSError) -> str:
    """What went wrong with a file, as the lowercase tail of one message line."""
    return (exc.strerror or str(exc)).replace("\n", " ").lower()


class NewscliError(Exception):
    """Base of every error a user can cause; its str() is the one line we print."""

    exit_code: ExitCode = ExitCode.FAILURE


class UsageError(NewscliError):
    exit_code = ExitCode.USAGE


class InputError(NewscliError):
    """A whole input (file, directory, stdin) cannot be read."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        self.file, self.reason, self.line = file, reason, line
        where = f"{file}:{line}" if line is not None else file
        super().__init__(f"{where}: {reason}")


class ParseError(InputError):
    """One article (or a whole file) could not be parsed; the rest of the run goes on."""


class StoreError(NewscliError):
    """The archive file cannot be read or written as asked."""


class WriteError(StoreError):
    """An append failed and was undone; says the store is unchanged (by that write)."""

    def __init__(self, path, exc: OSError) -> None:
        self.path, self.reason = path, os_reason(exc)
        super().__init__(f"{path}: cannot write ({self.reason}); the store is unchanged")


class IndexDamaged(NewscliError):
    """The index proved damaged in the middle of a command and was thrown away; cli/app.py
    runs the command once more, on a rebuilt one."""


class NotFoundError(NewscliError):
    """No article matches the id or prefix the user gave."""


class AmbiguousIdError(NewscliError):
    def __init__(self, prefix: str, candidates: list[str]) -> None:
        self.prefix, self.candidates = prefix, candidates
        super().__init__(
            f"id prefix '{prefix}' is ambiguous: matches {', '.join(sorted(candidates))}"
        )


class MissingExtraError(NewscliError):
    """An optional feature whose packages are not installed."""

    def __init__(self, extra: str, feature: str) -> None:
        super().__init__(f"{feature} needs the optional packages of newscli[{extra}]:"
                         f" pip install 'newscli[{extra}]'")
