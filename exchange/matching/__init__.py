"""Matching engine: a pure library (no Flask, no SQLAlchemy) ranking offers and experts for needs."""
from exchange.matching.model import MODEL_FORMAT, MatchModel, fit
from exchange.matching.types import EngineConfig, MatchDoc, Suggestion, Tokens

__all__ = ["MODEL_FORMAT", "EngineConfig", "MatchDoc", "MatchModel", "Suggestion", "Tokens", "fit"]
