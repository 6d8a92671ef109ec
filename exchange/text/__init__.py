"""Vietnamese text: normalization, accent folding, word segmentation and token views.

No Flask or SQLAlchemy here; underthesea is imported on the first segmentation.
"""

from exchange.text.fields import FieldTokens, tokenize_fields, tokenize_many
from exchange.text.normalization import fold, normalize
from exchange.text.segmentation import segment
from exchange.text.version import pipeline_version
from exchange.text.views import content_words, folded, stopwords, syllables

__all__ = [
    "PIPELINE_VERSION",
    "FieldTokens",
    "content_words",
    "fold",
    "folded",
    "normalize",
    "pipeline_version",
    "segment",
    "stopwords",
    "syllables",
    "tokenize_fields",
    "tokenize_many",
]


def __getattr__(name: str) -> str:
    """PIPELINE_VERSION is computed on first access (it reads the data files)."""
    if name == "PIPELINE_VERSION":
        return pipeline_version()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
