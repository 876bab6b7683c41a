"""sentence-transformers backend: any model a user names (install with `pip install 'faq[st]'`)."""

from __future__ import annotations

import os
from typing import Any

from faq.embedders import Vectors, normalise
from faq.errors import BackendUnavailableError, ConfigError
from faq.i18n import _


class SentenceTransformerEmbedder:
    """A Hugging Face model through sentence-transformers, by name or local path."""

    def __init__(self, model: str) -> None:
        self.model = model
        self.name = f"sentence-transformers:{model}"
        self._model: Any = None
        self._dim: int | None = None

    def _load(self) -> Any:
        if self._model is not None:
            return self._model
        try:
            from sentence_transformers import SentenceTransformer
        except ImportError:
            raise BackendUnavailableError(
                _(
                    "the sentence-transformers backend is not installed: run "
                    "`pip install torch==2.13.0` (the CPU wheel) then `pip install 'faq[st]'`"
                )
            ) from None
        try:
            self._model = SentenceTransformer(self.model, device="cpu")
        except Exception as exc:  # the library raises many kinds for a missing model
            offline = os.environ.get("HF_HUB_OFFLINE") == "1"
            hint = _(" (HF_HUB_OFFLINE=1: give a local path)") if offline else ""
            raise ConfigError(
                _("cannot load the model {model!r}: {error}{hint}").format(
                    model=self.model, error=str(exc).splitlines()[0] if str(exc) else exc, hint=hint
                )
            ) from None
        return self._model

    @property
    def dim(self) -> int:
        if self._dim is None:
            model = self._load()
            get = (
                getattr(model, "get_embedding_dimension", None)
                or model.get_sentence_embedding_dimension
            )
            self._dim = int(get())
        return self._dim

    def warm(self) -> None:
        self._load()

    def embed(self, texts: list[str]) -> Vectors:
        model = self._load()
        vectors = model.encode(
            list(texts), batch_size=64, convert_to_numpy=True, show_progress_bar=False
        )
        return normalise(vectors.reshape(len(texts), -1))
