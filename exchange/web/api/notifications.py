"""Notifications in the API: the signed-in user's list and marking them read."""
from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from exchange.notifications.services import list_notifications, mark_read, unread_count
from exchange.web.api import errors
from exchange.web.api.schemas import MarkedSchema, MarkReadSchema, NotificationArgs, NotificationPageSchema
from exchange.web.auth import current_actor, login_required
from exchange.web.context import db_session

bp = Blueprint("api_notifications", __name__, url_prefix="/api", description="The signed-in user's notifications")


@bp.route("/notifications", methods=["GET"])
@bp.arguments(NotificationArgs, location="query", error_status_code=400)
@bp.response(200, NotificationPageSchema)
@bp.doc(security=[{"bearer": []}])
@errors(bp, 400, 401)
@login_required
def get_notifications(args: dict[str, Any]) -> Any:
    """The user's notifications, newest first, with the unread count."""
    return list_notifications(db_session(), user=current_actor(), page=args["page"], per_page=args["per_page"],
                              unread_only=args["unread"])


@bp.route("/notifications/read", methods=["POST"])
@bp.arguments(MarkReadSchema)
@bp.response(200, MarkedSchema)
@bp.doc(security=[{"bearer": []}])
@errors(bp, 400, 401, 422)
@login_required
def read_notifications(body: dict[str, Any]) -> dict[str, int]:
    """Mark the given notifications (or all, with "all": true) read."""
    session, user = db_session(), current_actor()
    marked = mark_read(session, user=user, ids=None if body.get("all") else body.get("ids") or [])
    session.commit()
    return {"marked": marked, "unread": unread_count(session, user)}
