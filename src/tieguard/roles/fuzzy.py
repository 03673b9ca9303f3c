"""Char 3-5-gram TF-IDF nearest neighbours in numpy (no scipy, no model download).

Used two ways: as the slow fallback of :func:`tieguard.roles.classify` for titles the
rules and the exact lexicon do not cover (cached, counted separately), and as the
baseline of ``benchmarks/roles.py``. N-grams are hashed into :data:`BUCKETS` buckets
with vectorised rolling hashes, so indexing 150,000 labels takes well under a second.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

__all__ = ["BUCKETS", "NgramIndex"]

BUCKETS = 1 << 21
_SEP = 0  # byte separating documents in the concatenated buffer
_MULT = np.uint64(0x9E3779B97F4A7C15)

IntArray = npt.NDArray[np.int32]
FloatArray = npt.NDArray[np.float64]


def _ngram_features(texts: Sequence[str], sizes: tuple[int, ...]) -> tuple[IntArray, IntArray]:
    """(document id, hashed feature) for every char n-gram of every padded text."""
    joined = "\x00".join(f" {t} " for t in texts).encode("ascii", "ignore")
    buf = np.frombuffer(joined, dtype=np.uint8).astype(np.uint64)
    is_sep = buf == _SEP
    doc_of = np.cumsum(is_sep)
    seps_before = np.concatenate(([0], np.cumsum(is_sep)))
    docs: list[IntArray] = []
    feats: list[IntArray] = []
    for n in sizes:
        if len(buf) < n:
            continue
        count = len(buf) - n + 1
        valid = (seps_before[n : n + count] - seps_before[:count]) == 0
        h = np.full(count, np.uint64(n), dtype=np.uint64)
        for j in range(n):
            h = (h * _MULT) ^ buf[j : j + count]
        h = (h ^ (h >> np.uint64(29))) % np.uint64(BUCKETS)
        docs.append(doc_of[:count][valid].astype(np.int32))
        feats.append(h[valid].astype(np.int32))
        del h, valid
    if not docs:
        return np.zeros(0, np.int32), np.zeros(0, np.int32)
    return np.concatenate(docs), np.concatenate(feats)


class NgramIndex:
    """An inverted index of L2-normalised TF-IDF char n-gram vectors."""

    def __init__(
        self, texts: Sequence[str], sizes: tuple[int, ...] = (3, 4, 5), max_postings: int = 0
    ) -> None:
        self.sizes = sizes
        self.max_postings = max_postings
        self.size = len(texts)
        doc, feat = _ngram_features(texts, sizes)
        pair = feat.astype(np.int64) * max(self.size, 1) + doc
        del doc, feat
        pair, counts = np.unique(pair, return_counts=True)
        feat_u, doc_u = np.divmod(pair, self.size) if self.size else (pair, pair)
        df = np.bincount(feat_u, minlength=BUCKETS).astype(np.float64)
        self.idf = np.log((1.0 + self.size) / (1.0 + df)) + 1.0
        weight = (1.0 + np.log(counts)) * self.idf[feat_u]
        norms = np.sqrt(np.bincount(doc_u, weights=weight * weight, minlength=self.size))
        self.post_doc = doc_u.astype(np.int32)
        self.post_w = (weight / np.maximum(norms[doc_u], 1e-12)).astype(np.float32)
        self.starts = np.searchsorted(feat_u, np.arange(BUCKETS + 1)).astype(np.int64)
        self.idf = self.idf.astype(np.float32)

    def query(self, text: str, k: int = 10) -> list[tuple[int, float]]:
        """The ``k`` most similar indexed texts as (position, cosine), best first."""
        if not text or self.size == 0:
            return []
        _, feat = _ngram_features([text], self.sizes)
        if feat.size == 0:
            return []
        uniq, counts = np.unique(feat, return_counts=True)
        qw = (1.0 + np.log(counts)) * self.idf[uniq]
        qw /= max(float(np.sqrt((qw * qw).sum())), 1e-12)
        lo, hi = self.starts[uniq], self.starts[uniq + 1]
        lengths = hi - lo
        if self.max_postings and (lengths > self.max_postings).any() and (lengths <= self.max_postings).any():
            keep = lengths <= self.max_postings  # very common n-grams: long lists, little weight
            lo, hi, lengths, qw = lo[keep], hi[keep], lengths[keep], qw[keep]
        if lengths.sum() == 0:
            return []
        idx = np.repeat(lo - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())
        scores = np.bincount(
            self.post_doc[idx], weights=self.post_w[idx] * np.repeat(qw, lengths), minlength=self.size
        )
        k = min(k, self.size)
        top = np.argpartition(-scores, k - 1)[:k]
        top = top[np.argsort(-scores[top])]
        return [(int(i), float(scores[i])) for i in top if scores[i] > 0]
