"""Commands for the central office: ``institutions`` and ``users`` (web accounts)."""

from __future__ import annotations

import sys

import click

from govlens.cli._common import (
    db_option,
    echo_json,
    handle_errors,
    json_option,
    open_store,
    text_table,
)
from govlens.errors import ConfigError
from govlens.maturity.accounts import (
    CENTRAL,
    ROLES,
    check_institution_id,
    check_role,
    check_username,
    hash_password,
)
from govlens.store.maturity import MaturityStore


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        line = sys.stdin.readline()
        if not line:
            raise ConfigError("no password on standard input")
        return line.rstrip("\r\n")
    return str(click.prompt("Password", hide_input=True, confirmation_prompt=True))


@click.group()
def institutions() -> None:
    """Institutions that answer the maturity questionnaire, and their publishers."""


@institutions.command("add")
@click.argument("institution_id")
@click.option("--name", required=True, help="The institution's name.")
@click.option("--publisher", "publishers", multiple=True, metavar="KEY",
              help="A catalogue publisher key that belongs to it (repeatable).")
@db_option
@json_option
@handle_errors
def institutions_add(institution_id: str, name: str, publishers: tuple[str, ...], db: str | None,
                     as_json: bool) -> None:
    """Add an institution (or rename it and replace its publishers)."""
    check_institution_id(institution_id)
    with open_store(db) as store:
        row = MaturityStore(store).add_institution(institution_id, name.strip(), publishers)
    if as_json:
        echo_json({"id": row.id, "name": row.name, "publishers": row.publishers})
    else:
        click.echo(f"institution {row.id}: {row.name} ({', '.join(row.publishers) or 'no publishers'})")


@institutions.command("list")
@db_option
@json_option
@handle_errors
def institutions_list(db: str | None, as_json: bool) -> None:
    """List the institutions."""
    with open_store(db) as store:
        rows = MaturityStore(store).institutions()
    if as_json:
        echo_json({"institutions": [{"id": r.id, "name": r.name, "publishers": r.publishers}
                                    for r in rows]})
        return
    table = [["id", "name", "publishers"]] + [[r.id, r.name, ", ".join(r.publishers)] for r in rows]
    click.echo(text_table(table), nl=False)


@click.group()
def users() -> None:
    """Accounts for the web app: the central office and institutions."""


@users.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(ROLES), required=True,
              help="central: sees and edits everything; institution: edits only its own answers.")
@click.option("--institution", metavar="ID", default=None, help="The institution (role institution).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@handle_errors
def users_add(username: str, role: str, institution: str | None, password_stdin: bool,
              db: str | None) -> None:
    """Create an account."""
    check_username(username)
    check_role(role, institution)
    with open_store(db) as store:
        ms = MaturityStore(store)
        if institution:
            ms.institution(institution)
        row = ms.add_account(username, hash_password(_read_password(password_stdin)), role,
                             institution)
    where = "the central office" if role == CENTRAL else f"institution {institution}"
    click.echo(f"account {row.username} created for {where}")


@users.command("passwd")
@click.argument("username")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@db_option
@handle_errors
def users_passwd(username: str, password_stdin: bool, db: str | None) -> None:
    """Set an account's password."""
    with open_store(db) as store:
        MaturityStore(store).update_account(username,
                                            password_hash=hash_password(_read_password(password_stdin)))
    click.echo(f"password of {username} changed")


@users.command("disable")
@click.argument("username")
@click.option("--enable", is_flag=True, help="Enable the account again.")
@db_option
@handle_errors
def users_disable(username: str, enable: bool, db: str | None) -> None:
    """Disable (or re-enable) an account."""
    with open_store(db) as store:
        MaturityStore(store).update_account(username, disabled=not enable)
    click.echo(f"account {username} {'enabled' if enable else 'disabled'}")


@users.command("list")
@db_option
@json_option
@handle_errors
def users_list(db: str | None, as_json: bool) -> None:
    """List the accounts (never their password hashes)."""
    with open_store(db) as store:
        rows = MaturityStore(store).accounts()
    recs = [{"username": r.username, "role": r.role, "institution": r.institution,
             "disabled": r.disabled} for r in rows]
    if as_json:
        echo_json({"users": recs})
        return
    table = [["username", "role", "institution", "disabled"]] + [
        [str(r["username"]), str(r["role"]), str(r["institution"] or ""), "yes" if r["disabled"] else ""]
        for r in recs]
    click.echo(text_table(table), nl=False)


def register(group: click.Group) -> None:
    group.add_command(institutions)
    group.add_command(users)
