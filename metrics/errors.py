"""Errors that speak to the user, with the CLI exit code each maps to.

Each carries a Chinese and an English message; the CLI prints the one for ``--lang`` as one
clear line, never a traceback.
"""

from __future__ import annotations


class BurdenmapError(Exception):
    """Base of all errors meant for the user; ``exit_code`` is what the CLI returns."""

    exit_code = 1

    def __init__(self, zh: str, en: str | None = None) -> None:
        super().__init__(zh if en is None else f"{zh} / {en}")
        self.zh = zh
        self.en = en or zh

    def message(self, lang: str = "zh") -> str:
        """The message in ``lang`` (zh or en)."""
        return self.zh if lang == "zh" else self.en


class InvalidInputError(BurdenmapError, ValueError):
    """A usage error: unknown region, indicator, period, level or option value (exit 2)."""

    exit_code = 2


class RejectedError(BurdenmapError):
    """The request was understood but rejected, e.g. a file with validation problems (exit 1)."""

    exit_code = 1
