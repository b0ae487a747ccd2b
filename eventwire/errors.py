"""Coded errors. Each says what went wrong and what to do, and has a code users can search.

Codes: E0xx configuration and set-up, E1xx input (readers), E2xx pipeline, E3xx store,
E4xx API, E5xx evaluation.
"""

from __future__ import annotations


class EventwireError(Exception):
    """An error a user can act on: ``code``, ``message`` and ``hint`` (what to do)."""

    def __init__(self, code: str, message: str, hint: str = "") -> None:
        super().__init__(f"{code} {message}" + (f" ({hint})" if hint else ""))
        self.code = code
        self.message = message
        self.hint = hint


class InputError(EventwireError):
    """A record or file that cannot be read; the rest of the input goes on."""

    def __init__(self, code: str, message: str, hint: str = "",
                 path: str | None = None, record: str | None = None) -> None:
        super().__init__(code, message, hint)
        self.path = path
        self.record = record


class StoreError(EventwireError):
    """The store refused an operation (schema too new, locked, unreachable)."""
