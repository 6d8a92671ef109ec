"""The live matching model: one versioned file under the index folder, reloaded when a newer one appears."""
from __future__ import annotations

import logging
import os
import threading
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy.orm import Session

from exchange.brokering.documents import published_documents
from exchange.matching import MatchModel, fit
from exchange.matching.persist import ModelVersionError, load, save
from exchange.text import pipeline_version

log = logging.getLogger(__name__)
MODEL_FILE = "model.zip"


@dataclass
class ModelStore:
    """Owns the model file of one index folder; each process keeps the model it last loaded."""

    folder: Path
    _signature: tuple[int, int] | None = field(default=None, repr=False)
    _model: MatchModel | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def under(cls, index_dir: Path) -> "ModelStore":
        """The store of `<index_dir>/matching`."""
        return cls(Path(index_dir) / "matching")

    @property
    def path(self) -> Path:
        """Where the model file lives."""
        return self.folder / MODEL_FILE

    def save(self, model: MatchModel) -> None:
        """Write a new model file (atomically) and keep it as this process's current model."""
        self.folder.mkdir(parents=True, exist_ok=True)
        save(model, self.path)
        with self._lock:
            self._model, self._signature = model, self._stat()
        log.info("matching model %s saved (%d documents)", model.version, len(model.docs))

    def _stat(self) -> tuple[int, int] | None:
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            return None
        return (st.st_mtime_ns, st.st_size)

    def current(self) -> MatchModel | None:
        """The newest model on disk (reloaded when another process wrote a newer file); None if unusable."""
        signature = self._stat()
        with self._lock:
            if signature == self._signature:
                return self._model
            try:
                self._model = None if signature is None else load(self.path, pipeline_version=pipeline_version())
            except (ModelVersionError, OSError, ValueError) as exc:
                log.warning("matching model at %s unusable (%s); run `exchange reindex`", self.path, exc)
                self._model = None
            self._signature = signature
            return self._model


def refit(session: Session, store: ModelStore) -> MatchModel:
    """Fit on every published listing and public expert, and save it as the live model."""
    model = fit(published_documents(session))
    store.save(model)
    return model
