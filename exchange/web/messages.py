"""marshmallow's nested error messages, flattened for the error envelope and the pages."""
from __future__ import annotations

from typing import Any


def first_messages(messages: Any, prefix: str = "") -> dict[str, str]:
    """marshmallow's nested error messages as field → first message ('a.b' for nested fields)."""
    if isinstance(messages, dict):
        found: dict[str, str] = {}
        for key, value in messages.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            found.update(first_messages(value, name))
        return found
    if isinstance(messages, (list, tuple)):
        strings = [m for m in messages if isinstance(m, str)]
        if strings:
            return {prefix or "_": strings[0]}
        return first_messages(messages[0], prefix) if messages else {}
    return {prefix or "_": str(messages)}
