"""Suggestions kept as Match rows, broker decisions, manual pairs; the bridge to the matching engine."""
