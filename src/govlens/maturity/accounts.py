"""Accounts and who may edit what.

Two roles: the ``central`` office sees and edits everything (every institution's
answers, the centre's answers, institutions, accounts and the action plan); an
``institution`` account sees everything and edits only its own institution's
answers. Passwords are hashed with Argon2id (argon2-cffi's defaults).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from govlens.errors import ConfigError
from govlens.model import CENTRE, GOVERNMENT

CENTRAL, INSTITUTION = "central", "institution"
ROLES = (CENTRAL, INSTITUTION)
MIN_PASSWORD = 10
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
_USERNAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.@-]{1,99}$")
_hasher = PasswordHasher()


@dataclass(frozen=True, slots=True)
class Principal:
    """Who is acting: a username, a role and, for institution accounts, the institution."""

    username: str
    role: str
    institution: str | None = None

    @property
    def is_central(self) -> bool:
        return self.role == CENTRAL


def check_institution_id(iid: str) -> str:
    if not _ID.match(iid) or iid in (CENTRE, GOVERNMENT):
        raise ConfigError("an institution id is 1-64 lower-case letters, digits, '-' or '_' "
                          "(not 'centre' or 'government')", id=iid)
    return iid


def check_username(username: str) -> str:
    if not _USERNAME.match(username):
        raise ConfigError("a username is 2-100 letters, digits, '.', '_', '@' or '-'",
                          username=username)
    return username


def check_role(role: str, institution: str | None) -> None:
    if role not in ROLES:
        raise ConfigError("unknown role", role=role, roles=", ".join(ROLES))
    if role == INSTITUTION and not institution:
        raise ConfigError("an institution account needs --institution")
    if role == CENTRAL and institution:
        raise ConfigError("a central account belongs to no institution")


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD:
        raise ConfigError(f"a password needs at least {MIN_PASSWORD} characters")
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)


def can_edit_answers(who: Principal, scope: str) -> bool:
    """May ``who`` change the answers of ``scope`` (an institution id or ``centre``)?"""
    if who.is_central:
        return True
    return who.role == INSTITUTION and who.institution is not None and scope == who.institution


def can_manage(who: Principal) -> bool:
    """May ``who`` manage institutions, accounts and the action plan?"""
    return who.is_central
