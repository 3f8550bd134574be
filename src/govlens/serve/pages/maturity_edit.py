"""Maturity pages that write: sign in and out, answer the questionnaire, adopt
recommendations and check the plan, manage institutions and accounts.

Every POST goes through :func:`govlens.serve.session.form` (CSRF token and origin
checked) and then through the permission rules of :mod:`govlens.maturity.accounts`:
the central office edits everything; an institution edits only its own answers.
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from govlens.errors import ConfigError, NotFound
from govlens.maturity.accounts import (
    Principal,
    can_edit_answers,
    can_manage,
    check_institution_id,
    check_role,
    check_username,
    hash_password,
    verify_password,
)
from govlens.maturity.answers import AnswerError, make_answer
from govlens.maturity.plan import make_action
from govlens.maturity.questionnaire import load_questionnaire
from govlens.maturity.recommend import find
from govlens.model import CENTRE, Answer
from govlens.run.maturity import check_actions, evaluate
from govlens.serve import session as ses
from govlens.serve.pages.maturity import page
from govlens.serve.throttle import SignInThrottle
from govlens.serve.web import language, path_for, store
from govlens.store.maturity import MaturityStore

router = APIRouter()
_DUMMY_HASH = hash_password("not-a-password-of-anyone")
#: Routes that change something; each needs a session, a CSRF token and a permission.
GUARDED = ("/login", "/logout", "/maturity/answers/{scope}", "/maturity/plan/adopt",
           "/maturity/plan/check", "/maturity/admin/institutions", "/maturity/admin/users")


def _safe_next(target: str) -> str:
    """Only same-site relative paths are followed after signing in."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/maturity"


def _redirect(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request, next: str = "/maturity", failed: int = 0) -> HTMLResponse:
    return page(request, "maturity/login.html", {"next": _safe_next(next), "failed": bool(failed)},
                language(request))


@router.post("/login", name="login_post")
async def login(request: Request) -> Response:
    fields = await ses.form(request)
    username, password = ses.first(fields, "username"), (fields.get("password") or [""])[0]
    target = _safe_next(ses.first(fields, "next", "/maturity"))
    throttle: SignInThrottle = request.app.state.sign_in_throttle
    address = request.client.host if request.client else None
    wait = throttle.retry_after(username, address)
    if wait:
        locked = page(request, "maturity/login.html", {"next": target, "locked": wait}, language(request))
        locked.status_code = 429
        locked.headers["Retry-After"] = str(wait)
        return locked
    ms = MaturityStore(store(request))
    try:
        acct = ms.account(username)
    except NotFound:
        acct = None
    # An unknown name costs as much as a wrong password, so timing does not reveal accounts.
    verified = verify_password(acct.password_hash if acct else _DUMMY_HASH, password)
    if acct is None or acct.disabled or not verified:
        throttle.failed(username, address)
        return ses.save(request, _redirect(f"{path_for(request, 'login')}?failed=1"))
    throttle.succeeded(username)
    ses.sign_in(request, acct.username)
    return ses.save(request, _redirect(target))


@router.post("/logout", name="logout")
async def logout(request: Request) -> Response:
    await ses.form(request)
    response = _redirect(path_for(request, "maturity"))
    ses.sign_out(request, response)
    return ses.save(request, response)


def _answer_from_form(fields: dict[str, list[str]], scope: str, item_id: str, who: Principal,
                      now: str, previous: Answer | None) -> Answer | None | bool:
    """The answer the form gives for one item: an Answer, None (withdraw), or False (no change)."""
    q = load_questionnaire()
    item = q.item(item_id)
    raw = [v for v in fields.get(f"v.{item_id}", []) if v.strip()]
    evidence = [line.strip() for line in ses.first(fields, f"e.{item_id}").splitlines() if line.strip()]
    note = ses.first(fields, f"n.{item_id}") or None
    if item.kind == "checklist":
        if not raw and previous is None:
            return False
        value: object = raw
    else:
        if not raw:
            return None if previous is not None else False
        value = raw[0]
    answer = make_answer(q, scope, item_id, value, evidence, note, who.username, now)
    if previous is not None and (previous.value, previous.evidence, previous.note) == (
            answer.value, answer.evidence, answer.note):
        return False
    return answer


@router.post("/maturity/answers/{scope}", name="maturity_answers_post")
async def save_answers(request: Request, scope: str) -> Response:
    fields = await ses.form(request)
    who = ses.require_principal(request)
    ms = MaturityStore(store(request))
    if scope != CENTRE:
        ms.institution(scope)
    if not can_edit_answers(who, scope):
        raise HTTPException(status_code=403, detail="you may not edit these answers")
    q = load_questionnaire()
    item_ids = [i for i in fields.get("items", []) if i in q.by_id]
    previous = {a.item: a for a in ms.answers(scope)}
    now = datetime.now(UTC).isoformat()
    changed: list[Answer] = []
    withdrawn: list[str] = []
    problems: list[str] = []
    for iid in item_ids:
        if q.item(iid).level == "centre" and scope != CENTRE:
            continue
        try:
            got = _answer_from_form(fields, scope, iid, who, now, previous.get(iid))
        except (AnswerError, ConfigError) as exc:
            problems.append(f"{iid}: {exc}")
            continue
        if got is None:
            withdrawn.append(iid)
        elif got is not False:
            changed.append(got)  # type: ignore[arg-type]
    if problems:
        raise HTTPException(status_code=422, detail="; ".join(problems))
    ms.save_answers(changed)
    for iid in withdrawn:
        ms.withdraw_answer(scope, iid, who.username, now)
    dim = ses.first(fields, "dimension")
    url = path_for(request, "maturity_answers", scope=scope)
    return ses.save(request, _redirect(f"{url}?dimension={dim}&saved=1" if dim else f"{url}?saved=1"))


def _central(request: Request) -> Principal:
    who = ses.require_principal(request)
    if not can_manage(who):
        raise HTTPException(status_code=403, detail="only the central office may do this")
    return who


@router.post("/maturity/plan/adopt", name="maturity_adopt")
async def adopt(request: Request) -> Response:
    fields = await ses.form(request)
    who = _central(request)
    st = store(request)
    ms = MaturityStore(st)
    owners = {CENTRE} | {i.id for i in ms.institutions()}
    target_text = ses.first(fields, "target")
    try:
        target = float(target_text) if target_text else None
    except ValueError:
        raise HTTPException(status_code=422, detail="the target must be a number") from None
    rec = find(evaluate(st).recommendations, ses.first(fields, "recommendation"))
    try:
        ms.add_action(make_action(rec, owner=ses.first(fields, "owner"), due=ses.first(fields, "due"),
                                  owners=owners, target=target, adopted_by=who.username,
                                  adopted_at=datetime.now(UTC).isoformat(), lang=language(request)))
    except ConfigError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return ses.save(request, _redirect(path_for(request, "maturity_plan")))


@router.post("/maturity/plan/check", name="maturity_check")
async def check(request: Request) -> Response:
    await ses.form(request)
    _central(request)
    check_actions(store(request))
    return ses.save(request, _redirect(path_for(request, "maturity_plan")))


@router.get("/maturity/admin", response_class=HTMLResponse, name="maturity_admin")
def admin(request: Request) -> Response:
    who = ses.principal(request)
    if who is None:
        return _redirect(f"{path_for(request, 'login')}?next=/maturity/admin")
    if not can_manage(who):
        raise HTTPException(status_code=403, detail="only the central office may do this")
    ms = MaturityStore(store(request))
    return page(request, "maturity/admin.html",
                {"institutions": ms.institutions(), "accounts": ms.accounts()}, language(request))


@router.post("/maturity/admin/institutions", name="maturity_add_institution")
async def add_institution(request: Request) -> Response:
    fields = await ses.form(request)
    _central(request)
    try:
        iid = check_institution_id(ses.first(fields, "id"))
        name = ses.first(fields, "name")
        if not name:
            raise ConfigError("an institution needs a name")
        pubs = [p.strip() for p in ses.first(fields, "publishers").split(",") if p.strip()]
        MaturityStore(store(request)).add_institution(iid, name, pubs)
    except ConfigError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return ses.save(request, _redirect(path_for(request, "maturity_admin")))


@router.post("/maturity/admin/users", name="maturity_add_user")
async def add_user(request: Request) -> Response:
    fields = await ses.form(request)
    _central(request)
    ms = MaturityStore(store(request))
    role, institution = ses.first(fields, "role"), ses.first(fields, "institution") or None
    try:
        username = check_username(ses.first(fields, "username"))
        check_role(role, institution)
        if institution:
            ms.institution(institution)
        ms.add_account(username, hash_password((fields.get("password") or [""])[0]), role, institution)
    except ConfigError as exc:
        raise HTTPException(status_code=422, detail=str(exc)) from None
    return ses.save(request, _redirect(path_for(request, "maturity_admin")))
