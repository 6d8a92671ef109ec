"""The second factor: TOTP (RFC 6238, pyotp) with single-use recovery codes."""
from __future__ import annotations

import hashlib
import secrets

import pyotp
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from exchange.audit import record
from exchange.db import utcnow
from exchange.errors import Conflict, ValidationError
from exchange.i18n import N_
from exchange.models import RecoveryCode, User

ISSUER = "San Giao dich cong nghe"
RECOVERY_CODES = 10
# One step (30 s) either side: a phone's clock a little off still works.
VALID_WINDOW = 1


def new_secret() -> str:
    """A fresh TOTP secret (base32), kept out of the database until the user confirms a code."""
    return pyotp.random_base32()


def provisioning_uri(secret: str, email: str) -> str:
    """The otpauth:// URI an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=email, issuer_name=ISSUER)


def _normalized(code: str) -> str:
    return "".join((code or "").split()).replace("-", "").lower()


def _code_hash(code: str) -> str:
    return hashlib.sha256(_normalized(code).encode("utf-8")).hexdigest()


def _matching_step(secret: str, code: str, last_step: int | None) -> int | None:
    """The time step a TOTP code belongs to, if valid and newer than the last one accepted."""
    code = _normalized(code)
    if not (code.isascii() and code.isdigit() and len(code) == 6):  # "１２３４５６" is digits, but not a code
        return None
    totp = pyotp.TOTP(secret)
    now_step = totp.timecode(utcnow())
    for step in range(now_step - VALID_WINDOW, now_step + VALID_WINDOW + 1):
        if (last_step is None or step > last_step) and secrets.compare_digest(totp.generate_otp(step), code):
            return step
    return None


def enable_totp(session: Session, *, user: User, secret: str, code: str) -> list[str]:
    """Turn TOTP on once the user proves the app shows the right codes; returns the new recovery codes."""
    if user.has_mfa:
        raise Conflict(N_("Xác thực hai bước đã được bật."))
    step = _matching_step(secret, code, None)
    if step is None:
        raise ValidationError(N_("Mã xác thực không đúng."), {"code": N_("Mã xác thực không đúng.")})
    user.totp_secret, user.totp_enabled_at, user.totp_last_step = secret, utcnow(), step
    codes = _replace_recovery_codes(session, user)
    record(session, user, "enable_mfa", "user", user.id)
    return codes


def disable_totp(session: Session, *, user: User, code: str) -> None:
    """Turn TOTP off (a current code or a recovery code is asked first)."""
    if not user.has_mfa:
        raise Conflict(N_("Xác thực hai bước chưa được bật."))
    if not verify_second_factor(session, user=user, code=code):
        raise ValidationError(N_("Mã xác thực không đúng."), {"code": N_("Mã xác thực không đúng.")})
    user.totp_secret = user.totp_enabled_at = user.totp_last_step = None
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    session.flush()
    record(session, user, "disable_mfa", "user", user.id)


def regenerate_recovery_codes(session: Session, *, user: User) -> list[str]:
    """New recovery codes; the old ones stop working."""
    if not user.has_mfa:
        raise Conflict(N_("Xác thực hai bước chưa được bật."))
    codes = _replace_recovery_codes(session, user)
    record(session, user, "regenerate_recovery_codes", "user", user.id)
    return codes


def _replace_recovery_codes(session: Session, user: User) -> list[str]:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user.id))
    codes = [f"{secrets.token_hex(4)}-{secrets.token_hex(4)}" for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=_code_hash(code)) for code in codes)
    session.flush()
    return codes


def verify_second_factor(session: Session, *, user: User, code: str) -> bool:
    """Accept a TOTP code (each only once) or an unused recovery code (then used up)."""
    if not user.has_mfa or not user.totp_secret:
        return False
    step = _matching_step(user.totp_secret, code, user.totp_last_step)
    if step is not None:
        user.totp_last_step = step
        session.flush()
        return True
    spare = session.scalar(select(RecoveryCode).where(RecoveryCode.user_id == user.id,
                                                      RecoveryCode.code_hash == _code_hash(code),
                                                      RecoveryCode.used_at.is_(None)))
    if spare is None:
        return False
    spare.used_at = utcnow()
    session.flush()
    record(session, user, "use_recovery_code", "user", user.id)
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    """How many recovery codes are still unused."""
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.user_id == user.id,
                                                             RecoveryCode.used_at.is_(None))).all())
