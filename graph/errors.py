"""The project's own exceptions: one base class, messages that say what is wrong and what to do.

The CLI prints ``str(error)`` on one line and exits 1; the app shows it in an
``st.error`` box. Driver errors never leave a store: they become one of these.
"""

from __future__ import annotations


class MaillageError(Exception):
    """Base class of every error maillage raises on purpose."""


class StoreError(MaillageError):
    """The graph store failed (engine error, connection lost)."""


class StoreUnavailable(StoreError):
    """The store cannot be reached or started."""


class QueryError(StoreError):
    """A query was rejected by the engine (syntax, unknown function, type error)."""


class ReadOnlyViolation(QueryError):
    """A write was sent where only reads are allowed."""


class QueryTimeout(QueryError):
    """A query ran longer than its timeout and was stopped."""


class ParameterError(MaillageError):
    """A query parameter is missing, unknown or of the wrong type."""


class UnknownQuery(MaillageError):
    """No query of that name in the library."""


class InputError(MaillageError):
    """An input file cannot be read at all (missing, unknown format, bad encoding)."""


class ValidationFailed(MaillageError):
    """A strict load found rejected rows and wrote nothing."""


class PermissionDenied(MaillageError):
    """The account (or the lack of one) may not do this: not signed in, session expired, role too low."""


class Conflict(MaillageError):
    """A write found the graph changed since what it was based on (a concurrent accept, a value changed
    since the proposal): nothing was written."""
