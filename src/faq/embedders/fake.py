"""A deterministic embedder for unit tests: hashed character n-grams, no model."""

from __future__ import annotations

import hashlib

import numpy as np

from faq.embedders import Vectors, normalise
from faq.text import norm_key


class FakeEmbedder:
    """Bag of hashed character trigrams: similar strings get similar vectors. Tests only."""

    name = "fake"
    dim = 256

    def embed(self, texts: list[str]) -> Vectors:
        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        for row, text in enumerate(texts):
            norm = " " + norm_key(text) + " "
            for i in range(max(1, len(norm) - 2)):
                gram = norm[i : i + 3].encode("utf-8")
                h = int.from_bytes(hashlib.blake2b(gram, digest_size=4).digest(), "little")
                out[row, h % self.dim] += 1.0
        return normalise(out)
