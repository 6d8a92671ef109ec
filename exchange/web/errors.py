"""Domain errors and HTTP errors mapped in one place: a Vietnamese (or English) page, or the JSON envelope.

Every API error is {"error": {"code", "message", "fields"}}; a 500 never shows a trace.
"""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from exchange.errors import DomainError, RateLimited, TooLarge
from exchange.i18n import N_, Msg
from exchange.search import SearchUnavailable
from exchange.web.i18n import t
from exchange.web.messages import first_messages

HTTP_MESSAGES = {
    400: N_("Yêu cầu không hợp lệ."),
    401: N_("Vui lòng đăng nhập để tiếp tục."),
    403: N_("Bạn không có quyền thực hiện thao tác này."),
    404: N_("Không tìm thấy trang hoặc dữ liệu được yêu cầu."),
    405: N_("Phương thức không được hỗ trợ."),
    409: N_("Thao tác không phù hợp với trạng thái hiện tại."),
    413: N_("Tệp tải lên quá lớn."),
    422: N_("Dữ liệu chưa hợp lệ, vui lòng sửa các mục được đánh dấu."),
    429: N_("Bạn đã thao tác quá nhiều lần, vui lòng thử lại sau."),
    500: N_("Đã có lỗi ở máy chủ. Vui lòng thử lại sau."),
    503: N_("Hệ thống tạm thời không phục vụ được, vui lòng thử lại sau."),
}
UPLOAD_LIMIT = N_("Tệp tải lên quá lớn: tối đa %(mb)s MB mỗi tệp. Chưa có gì được lưu.")
CSRF_MESSAGE = N_("Phiên làm việc của biểu mẫu đã hết hạn hoặc không hợp lệ. Vui lòng tải lại trang và thử lại; "
                  "chưa có gì được thay đổi.")
CODES = {400: "bad_request", 401: "unauthenticated", 403: "permission_denied", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 422: "validation_error", 429: "rate_limited",
         500: "internal_error", 503: "unavailable"}


def wants_json() -> bool:
    """API paths answer in JSON; pages answer in HTML."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict[str, str] | None = None
                   ) -> tuple[Response | str, int]:
    """The JSON envelope or the error page; message and fields are already in the page's language."""
    if wants_json():
        return jsonify(error={"code": code, "message": message, "fields": fields or {}}), status
    return render_template("error.html", status=status, message=message, fields=fields or {}), status


def domain_response(exc: DomainError) -> tuple[Response | str, int]:
    """The response of a domain error, translated, with Retry-After for a rate limit."""
    body, status = error_response(exc.http_status, exc.code, t(exc.message),
                                  {name: t(why) for name, why in exc.fields.items()})
    if isinstance(exc, RateLimited):
        response = body if isinstance(body, Response) else Response(body, mimetype="text/html")
        response.headers["Retry-After"] = str(exc.retry_after)
        return response, status
    return body, status


def http_response(status: int, fields: dict[str, str] | None = None) -> tuple[Response | str, int]:
    """The response of a bare HTTP status (with field errors: a validation error)."""
    code = "validation_error" if fields and status in (400, 422) else CODES.get(status, "error")
    message = HTTP_MESSAGES[422] if fields and status in (400, 422) else HTTP_MESSAGES.get(status, HTTP_MESSAGES[400])
    return error_response(status, code, t(message), fields)


def schema_fields(exc: HTTPException) -> dict[str, str]:
    """The field errors webargs attached to a 400/422 (by location, e.g. {"json": {"email": [...]}})."""
    messages = (getattr(exc, "data", None) or {}).get("messages") or {}
    found: dict[str, str] = {}
    for location_messages in messages.values():
        for name, why in first_messages(location_messages).items():
            if name != "_":
                found[name] = t(why)
    return found


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):  # type: ignore[no-untyped-def]
        return domain_response(exc)

    @app.errorhandler(SearchUnavailable)
    def _search(exc: SearchUnavailable):  # type: ignore[no-untyped-def]
        return error_response(503, "search_unavailable", t(exc.message_vi))

    @app.errorhandler(CSRFError)
    def _csrf(exc: CSRFError):  # type: ignore[no-untyped-def]
        return error_response(400, "csrf_failed", t(CSRF_MESSAGE))

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        if exc.code == 413:  # the request body passed MAX_CONTENT_LENGTH: say what the limit is
            return domain_response(TooLarge(Msg(UPLOAD_LIMIT, mb=app.extensions["exchange"].config.max_upload_mb)))
        return http_response(exc.code or 500, schema_fields(exc))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error on %s", request.path)
        return http_response(500)
