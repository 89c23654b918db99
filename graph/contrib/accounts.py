"""Local accounts, their roles and sessions: who may propose and who may review.

Three roles, in order: ``reader`` (everyone, and the only one while no account
exists: the app stays read-only), ``contributor`` (proposes changes) and ``editor``
(reviews them, imports files). Accounts live in the store
(:meth:`graph.store.GraphStore.accounts_store`: a graph of their own on FalkorDB)
with an argon2id password hash from ``argon2-cffi`` (salted, tuned by that
library; no home-made crypto). An account is an identifier and an organisation,
never a person's e-mail or phone number; contributions record its opaque
``key``, so no reader can tell who proposed what.

Signing in gives a random session token (:func:`sign_in`); the store keeps only
its SHA-256, with an expiry (``MAILLAGE_SESSION_HOURS``, default 8 hours).
Every write checks the token against the store with :func:`require` — on the
server side, at the moment of the write, with the account's current role — so a
page that shows a button to the wrong person, or a forged request, still writes
nothing.
"""

from __future__ import annotations

import hashlib
import os
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime, timezone

from graph.errors import ParameterError, PermissionDenied
from graph.store import GraphStore

ROLES = ("reader", "contributor", "editor")
#: hours a session lasts unless ``MAILLAGE_SESSION_HOURS`` says otherwise
SESSION_HOURS = 8.0
MIN_PASSWORD = 10
_LOGIN = re.compile(r"^[a-z0-9][a-z0-9._-]{1,39}$")


@dataclass(frozen=True)
class Account:
    """A signed-in account, as the store knows it at the moment it was checked."""

    login: str
    organisation: str
    role: str
    key: str

    def may(self, role: str) -> bool:
        return ROLES.index(self.role) >= ROLES.index(role)


def _now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


def _hasher():
    from argon2 import PasswordHasher

    return PasswordHasher()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def session_hours() -> float:
    """The lifetime of a session in hours (``MAILLAGE_SESSION_HOURS``, default 8)."""
    text = os.environ.get("MAILLAGE_SESSION_HOURS", "")
    try:
        hours = float(text) if text else SESSION_HOURS
    except ValueError:
        raise ParameterError(f"MAILLAGE_SESSION_HOURS={text!r} : un nombre d'heures est attendu") from None
    if hours <= 0:
        raise ParameterError("MAILLAGE_SESSION_HOURS doit être positif")
    return hours


def check_login(login: str) -> str:
    """``login`` if it is a valid identifier (lower-case letters, digits, ``. _ -``; no e-mail)."""
    from loaders.tables import personal_data_in_identifier

    login = (login or "").strip()
    if "@" in login or personal_data_in_identifier(login):
        raise ParameterError(f"identifiant {login!r} refusé : un identifiant n'est ni une adresse e-mail ni "
                             "un numéro de téléphone (par exemple coordination-ecossolies)")
    if not _LOGIN.match(login):
        raise ParameterError(f"identifiant {login!r} refusé : 2 à 40 caractères, minuscules, chiffres, "
                             "point, tiret ou tiret bas, commençant par une lettre ou un chiffre")
    return login


def check_role(role: str) -> str:
    if role not in ROLES:
        raise ParameterError(f"rôle {role!r} inconnu (attendu : {', '.join(ROLES)})")
    return role


def _check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise ParameterError(f"mot de passe trop court : {MIN_PASSWORD} caractères au moins")


def add_user(store: GraphStore, login: str, organisation: str, role: str, password: str) -> Account:
    """Create an account, or replace the organisation, role and password of an existing one."""
    from loaders.tables import personal_data_in

    login, role = check_login(login), check_role(role)
    organisation = (organisation or "").strip()
    if not organisation:
        raise ParameterError("organisation manquante : un compte agit pour une organisation")
    if personal_data_in(organisation):
        raise ParameterError(f"organisation refusée : elle contient une donnée personnelle "
                             f"({personal_data_in(organisation)})")
    _check_password(password)
    acc = store.accounts_store()
    row = acc.query_derived("contrib.account_save", login=login, organisation=organisation, role=role,
                    hash=_hasher().hash(password), key=secrets.token_hex(8), at=_now_iso())
    found = acc.query("contrib.account", login=login)
    return Account(login, organisation, str(row.iloc[0]["role"]), str(found.iloc[0]["key"]))


def set_role(store: GraphStore, login: str, role: str) -> None:
    df = store.accounts_store().query_derived("contrib.account_role", login=login, role=check_role(role), at=_now_iso())
    if df.empty:
        raise ParameterError(f"aucun compte {login!r} (maillage users list)")


def remove_user(store: GraphStore, login: str) -> None:
    df = store.accounts_store().query_derived("contrib.account_remove", login=login)
    if df.empty or not int(df.iloc[0]["removed"]):
        raise ParameterError(f"aucun compte {login!r} (maillage users list)")


def users(store: GraphStore) -> list[dict]:
    """Every account: login, organisation, role, created_at (no hash)."""
    return store.accounts_store().query("contrib.accounts").to_dict("records")


def accounts_configured(store: GraphStore) -> bool:
    """Whether any account exists (else the app is read-only for everyone)."""
    return not store.accounts_store().query("contrib.accounts").empty


def sign_in(store: GraphStore, login: str, password: str) -> str:
    """Check ``login``/``password`` and return a new session token; PermissionDenied if wrong.

    The message does not say which of the two was wrong."""
    from argon2.exceptions import InvalidHashError, VerificationError

    acc = store.accounts_store()
    df = acc.query("contrib.account", login=(login or "").strip())
    wrong = PermissionDenied("identifiant ou mot de passe incorrect")
    if df.empty:
        _hasher().hash(password or "x")    # the same time as a wrong password: no hint that it exists
        raise wrong
    row = df.iloc[0]
    hasher = _hasher()
    try:
        hasher.verify(str(row["hash"]), password or "")
    except (VerificationError, InvalidHashError):
        raise wrong from None
    if hasher.check_needs_rehash(str(row["hash"])):
        acc.query_derived("contrib.account_save", login=row["login"], organisation=row["organisation"],
                  role=row["role"], hash=hasher.hash(password), key=row["key"], at=_now_iso())
    token = secrets.token_urlsafe(32)
    now = int(time.time())
    acc.query_derived("contrib.session_open", login=str(row["login"]), token_hash=_token_hash(token), at=_now_iso(),
              now=now, expires=now + int(session_hours() * 3600))
    return token


def sign_out(store: GraphStore, token: str | None) -> None:
    if token:
        store.accounts_store().query_derived("contrib.session_close", token_hash=_token_hash(token))


def current(store: GraphStore, token: str | None) -> Account | None:
    """The account of a valid session token, or None (no token, unknown, expired)."""
    if not token:
        return None
    acc = store.accounts_store()
    df = acc.query("contrib.session", token_hash=_token_hash(token))
    if df.empty:
        return None
    row = df.iloc[0]
    if int(row["expires"]) <= int(time.time()):
        acc.query_derived("contrib.session_close", token_hash=_token_hash(token))
        return None
    return Account(str(row["login"]), str(row["organisation"]), str(row["role"]), str(row["key"]))


def require(store: GraphStore, token: str | None, role: str) -> Account:
    """The account of ``token`` if its current role is at least ``role``, else PermissionDenied.

    Call it at the moment of every write, on the server side."""
    check_role(role)
    account = current(store, token)
    if account is None:
        if not accounts_configured(store):
            raise PermissionDenied("aucun compte n'est configuré : la base est en lecture seule "
                                   "(maillage users add … crée un compte)")
        raise PermissionDenied("connexion requise (session absente ou expirée) : connectez-vous")
    if not account.may(role):
        raise PermissionDenied(f"le compte {account.login} a le rôle {account.role} ; "
                               f"il faut le rôle {role} pour cela")
    return account


def organisation_of(store: GraphStore, key: str) -> str:
    """The organisation of the account with opaque ``key`` ('' if removed): for editors only."""
    df = store.accounts_store().query("contrib.account", key=key)
    return "" if df.empty else str(df.iloc[0]["organisation"])
