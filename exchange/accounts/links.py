"""Signed single-use links for password reset and account activation (itsdangerous).

A link carries the user id and the user's session version, signed with the secret key
and a salt per purpose. Setting a password raises the session version, so a used link
(or any older one) stops working; the signature's age bounds how long a link lives.
"""
from __future__ import annotations

import enum

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy.orm import Session

from exchange.errors import ValidationError
from exchange.i18n import N_
from exchange.models import User


class LinkPurpose(str, enum.Enum):
    password_reset = "password_reset"
    activation = "activation"


MAX_AGE_SECONDS = {LinkPurpose.password_reset: 3600, LinkPurpose.activation: 7 * 24 * 3600}
EXPIRED = {LinkPurpose.password_reset: N_("Liên kết đặt lại mật khẩu đã hết hạn (hiệu lực 1 giờ); hãy yêu cầu lại."),
           LinkPurpose.activation: N_("Liên kết kích hoạt đã hết hạn; hãy nhờ cán bộ Sở gửi lại.")}
INVALID = N_("Liên kết không hợp lệ hoặc đã được dùng.")


def _serializer(secret: str, purpose: LinkPurpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"exchange-{purpose.value}")


def make_link_token(secret: str, purpose: LinkPurpose, user: User) -> str:
    """The signed token of a link for this user."""
    return _serializer(secret, purpose).dumps({"u": user.id, "v": user.session_version})


def read_link_token(session: Session, secret: str, purpose: LinkPurpose, token: str) -> User:
    """The user a still-valid link belongs to; ValidationError when expired, forged or already used."""
    try:
        data = _serializer(secret, purpose).loads(token, max_age=MAX_AGE_SECONDS[purpose])
    except SignatureExpired:
        raise ValidationError(EXPIRED[purpose], {"token": EXPIRED[purpose]}) from None
    except BadSignature:
        raise ValidationError(INVALID, {"token": INVALID}) from None
    user = session.get(User, data.get("u")) if isinstance(data, dict) else None
    if user is None or not user.is_active or user.session_version != data.get("v"):
        raise ValidationError(INVALID, {"token": INVALID})
    return user
