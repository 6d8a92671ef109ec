"""Domain errors and HTTP errors mapped in one place: a Vietnamese page, or the JSON error envelope."""
from __future__ import annotations

from flask import Flask, Response, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from exchange.errors import DomainError

HTTP_MESSAGES = {
    400: "Yêu cầu không hợp lệ.",
    403: "Bạn không có quyền thực hiện thao tác này.",
    404: "Không tìm thấy trang hoặc dữ liệu được yêu cầu.",
    405: "Phương thức không được hỗ trợ.",
    413: "Tệp tải lên quá lớn.",
    500: "Đã có lỗi ở máy chủ. Vui lòng thử lại sau.",
}


def wants_json() -> bool:
    """API paths answer in JSON; pages answer in HTML."""
    return request.path.startswith("/api/")


def error_response(status: int, code: str, message: str, fields: dict[str, str] | None = None
                   ) -> tuple[Response | str, int]:
    """The JSON envelope {"error": {"code", "message", "fields"}} or the error page."""
    if wants_json():
        return jsonify(error={"code": code, "message": message, "fields": fields or {}}), status
    return render_template("error.html", status=status, message=message, fields=fields or {}), status


def register(app: Flask) -> None:
    """Install the handlers on the app."""

    @app.errorhandler(DomainError)
    def _domain(exc: DomainError):  # type: ignore[no-untyped-def]
        return error_response(exc.http_status, exc.code, exc.message, exc.fields)

    @app.errorhandler(HTTPException)
    def _http(exc: HTTPException):  # type: ignore[no-untyped-def]
        status = exc.code or 500
        return error_response(status, (exc.name or "error").lower().replace(" ", "_"),
                              HTTP_MESSAGES.get(status, exc.description or ""))

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception):  # type: ignore[no-untyped-def]
        app.logger.exception("unhandled error on %s", request.path)
        return error_response(500, "internal_error", HTTP_MESSAGES[500])
