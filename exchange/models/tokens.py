"""The token cache kept on listings and experts: segmented words per field and the pipeline version."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

if TYPE_CHECKING:
    from exchange.text import FieldTokens


class TokenCacheMixin:
    """Segmented words of each field, space-separated (compounds joined by '_'), and who made them."""

    tokens_title: Mapped[str | None] = mapped_column(Text, nullable=True)
    tokens_keywords: Mapped[str | None] = mapped_column(Text, nullable=True)
    tokens_description: Mapped[str | None] = mapped_column(Text, nullable=True)
    tokens_version: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)

    def cached_tokens(self) -> "FieldTokens":
        """The cached tokens as FieldTokens (empty when never tokenized)."""
        from exchange.text import FieldTokens

        return FieldTokens(tuple((self.tokens_title or "").split()), tuple((self.tokens_keywords or "").split()),
                           tuple((self.tokens_description or "").split()))

    def store_tokens(self, tokens: "FieldTokens", version: str) -> None:
        """Keep the segmented fields and the pipeline version that produced them."""
        self.tokens_title = " ".join(tokens.title)
        self.tokens_keywords = " ".join(tokens.keywords)
        self.tokens_description = " ".join(tokens.description)
        self.tokens_version = version
