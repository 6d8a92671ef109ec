"""API tokens and the signed-in user: POST /api/tokens, DELETE /api/tokens/current, GET /api/me."""
from __future__ import annotations

from typing import Any

from flask_login import current_user
from flask_smorest import Blueprint

from exchange.accounts.signin import BAD_CODE, Step, check_password, check_second_factor
from exchange.accounts.tokens import create_token, revoke_token
from exchange.errors import MfaRequired, Unauthenticated
from exchange.i18n import N_
from exchange.web.api import errors
from exchange.web.api.schemas import MeSchema, TokenRequestSchema, TokenSchema
from exchange.web.auth import current_actor, login_required, request_client
from exchange.web.context import db_session, state

bp = Blueprint("api_accounts", __name__, url_prefix="/api", description="Tokens and the signed-in user")
MFA_REQUIRED = N_("Tài khoản bật xác thực hai bước: hãy gửi kèm mã (otp) hoặc một mã khôi phục.")
MFA_SETUP_REQUIRED = N_("Vai trò của bạn bắt buộc xác thực hai bước: hãy đăng nhập trên trang web để bật trước.")


@bp.route("/tokens", methods=["POST"])
@bp.arguments(TokenRequestSchema)
@bp.response(201, TokenSchema)
@errors(bp, 400, 401, 422, 429)
def create_api_token(body: dict[str, Any]) -> dict[str, Any]:
    """Exchange e-mail, password (and TOTP code) for a bearer token valid 30 days."""
    session, client, cfg = db_session(), request_client(), state().config
    outcome = check_password(session, email=body["email"], password=body["password"], client=client,
                             mfa_required_roles=cfg.mfa_required_roles)
    if outcome.user is not None and outcome.step is Step.second_factor:
        if not body.get("otp"):
            session.commit()
            raise MfaRequired(MFA_REQUIRED)
        if not check_second_factor(session, user=outcome.user, code=body["otp"], client=client):
            session.commit()
            raise Unauthenticated(BAD_CODE)
    session.commit()
    if outcome.user is None:
        raise Unauthenticated(outcome.problem)
    if outcome.step is Step.setup_second_factor:
        raise MfaRequired(MFA_SETUP_REQUIRED)
    plain, token = create_token(session, user=outcome.user, days=cfg.api_token_days, client=client)
    session.commit()
    return {"token": plain, "expires_at": token.expires_at}


@bp.route("/tokens/current", methods=["DELETE"])
@bp.response(204)
@bp.doc(security=[{"bearer": []}])
@errors(bp, 401)
@login_required
def revoke_current_token() -> None:
    """Revoke the token this request is signed with; it answers 401 afterwards."""
    revoke_token(db_session(), user=current_actor(), token=current_user.token)
    db_session().commit()


@bp.route("/me", methods=["GET"])
@bp.response(200, MeSchema)
@bp.doc(security=[{"bearer": []}])
@errors(bp, 401)
@login_required
def me() -> Any:
    """The signed-in user, its role and organization."""
    return current_actor()
