"""Expert records: create or update, with the token cache kept current."""
from __future__ import annotations

from typing import Any, Sequence

from sqlalchemy import select
from sqlalchemy.orm import Session

from exchange.audit import Actor, record
from exchange.errors import ValidationError
from exchange.models import Expert, Field
from exchange.text import pipeline_version, tokenize_many

EXPERT_KEYS = ("full_name", "title", "specialties", "fields", "organization", "email", "phone", "bio", "is_public")


def expert_text(data: dict[str, Any]) -> tuple[str, list[str], str]:
    """What an expert is segmented from: specialties stand as the title, the bio as the description."""
    return ("; ".join(data.get("specialties") or []), [], data.get("bio") or "")


def _validate(data: dict[str, Any], field_codes: set[str]) -> dict[str, Any]:
    problems = {k: "cột không được hỗ trợ" for k in data if k not in EXPERT_KEYS}
    if not str(data.get("full_name") or "").strip():
        problems["full_name"] = "bắt buộc, không được để trống"
    unknown = [c for c in data.get("fields") or [] if c not in field_codes]
    if unknown:
        problems["fields"] = f"mã lĩnh vực không có: {', '.join(unknown)}"
    if problems:
        raise ValidationError("Hồ sơ chuyên gia không hợp lệ.", problems)
    return {"full_name": " ".join(str(data["full_name"]).split()), "title": data.get("title") or None,
            "specialties": list(data.get("specialties") or []), "field_codes": list(data.get("fields") or []),
            "organization_name": data.get("organization") or None, "email": data.get("email") or None,
            "phone": data.get("phone") or None, "bio": data.get("bio") or "",
            "is_public": bool(data.get("is_public", True))}


def upsert_experts(session: Session, *, actor: Actor, records: Sequence[dict[str, Any]]) -> list[Expert]:
    """Create or update experts (keyed by name and e-mail), segmenting their text once."""
    field_codes = set(session.scalars(select(Field.code)))
    values = [_validate(r, field_codes) for r in records]
    tokens, version = tokenize_many([expert_text(r) for r in records]), pipeline_version()
    experts = []
    for attrs, tok in zip(values, tokens):
        expert = session.scalar(select(Expert).where(Expert.full_name == attrs["full_name"],
                                                     Expert.email == attrs["email"]))
        if expert is None:
            expert = Expert()
            session.add(expert)
        for key, value in attrs.items():
            setattr(expert, key, value)
        expert.store_tokens(tok, version)
        experts.append(expert)
    session.flush()
    record(session, actor, "upsert_experts", "expert", None, count=len(experts))
    return experts

