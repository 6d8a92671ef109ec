"""Marshmallow field types of the API with Vietnamese error messages (translated by the error handler)."""
from __future__ import annotations

from typing import Any

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from exchange.i18n import N_, Msg

REQUIRED = N_("Thiếu trường bắt buộc.")


class _Vietnamese:
    default_error_messages = {"required": REQUIRED, "null": N_("Không được để trống."),
                              "validator_failed": N_("Giá trị không hợp lệ.")}


class String(_Vietnamese, fields.String):
    default_error_messages = {"invalid": N_("Phải là chuỗi ký tự."), "invalid_utf8": N_("Chuỗi không hợp lệ.")}


class Email(_Vietnamese, fields.Email):
    default_error_messages = {"invalid": N_("Địa chỉ e-mail không hợp lệ.")}


class Integer(_Vietnamese, fields.Integer):
    default_error_messages = {"invalid": N_("Phải là số nguyên."), "too_large": N_("Số quá lớn.")}


class Float(_Vietnamese, fields.Float):
    default_error_messages = {"invalid": N_("Phải là số."), "too_large": N_("Số quá lớn."),
                              "special": N_("Phải là số.")}


class Boolean(_Vietnamese, fields.Boolean):
    default_error_messages = {"invalid": N_("Phải là true hoặc false.")}


class DateTime(_Vietnamese, fields.DateTime):
    default_error_messages = {"invalid": N_("Ngày giờ không hợp lệ (ISO 8601)."),
                              "format": N_("Ngày giờ không hợp lệ (ISO 8601).")}


class List(_Vietnamese, fields.List):
    default_error_messages = {"invalid": N_("Phải là danh sách.")}


class Dict(_Vietnamese, fields.Dict):
    default_error_messages = {"invalid": N_("Phải là một đối tượng JSON.")}


class Nested(_Vietnamese, fields.Nested):
    default_error_messages = {"type": N_("Phải là một đối tượng JSON.")}


class Raw(_Vietnamese, fields.Raw):
    pass


class Length(validate.Length):
    """At most `max` (and at least `min`) characters or items; documented as maxLength/minLength."""

    def __init__(self, *, max: int, min: int | None = None):  # noqa: A002 (marshmallow's own names)
        super().__init__(min=min, max=max)

    def __call__(self, value: Any) -> Any:
        if self.max is not None and len(value) > self.max:
            raise ValidationError(Msg(N_("Tối đa %(max)s ký tự."), max=self.max))
        if self.min is not None and len(value) < self.min:
            raise ValidationError(Msg(N_("Tối thiểu %(min)s ký tự."), min=self.min) if self.min > 1
                                  else N_("Không được để trống."))
        return value


class Range(validate.Range):
    """A number from `min` to `max` (inclusive); documented as minimum/maximum."""

    def __init__(self, *, min: int, max: int):  # noqa: A002
        super().__init__(min=min, max=max)

    def __call__(self, value: Any) -> Any:
        if not self.min <= value <= self.max:
            raise ValidationError(Msg(N_("Phải từ %(min)s đến %(max)s."), min=self.min, max=self.max))
        return value


class OneOf(validate.OneOf):
    """One of a closed set of values; documented as an enum."""

    def __call__(self, value: Any) -> Any:
        if value not in self.choices:
            raise ValidationError(Msg(N_("Chỉ nhận: %(values)s."), values=", ".join(map(str, self.choices))))
        return value


class BodySchema(Schema):
    """A JSON body: unknown keys are an error (422), a body that is not an object too."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": N_("Trường không được hỗ trợ."), "type": N_("Dữ liệu phải là một đối tượng JSON.")}


class QuerySchema(Schema):
    """Query-string parameters: unknown ones are ignored (caches and proxies add their own)."""

    class Meta:
        unknown = EXCLUDE

    error_messages = {"type": N_("Tham số không hợp lệ.")}


class OutputSchema(Schema):
    """A response: only the declared fields leave the server."""
