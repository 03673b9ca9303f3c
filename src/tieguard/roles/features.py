"""Hashed word, word-bigram and char n-gram features, computed in bulk with numpy.

The function model is linear over these features (see :mod:`tieguard.roles.model`):

* each distinct word of a batch gets its unigram hash and the hashes of its char 3-5-grams
  (of `` word ``, padded), all from one byte buffer of the vocabulary with array
  arithmetic: a matrix ``F`` (words × buckets);
* each title is the sum of its words' rows (``T @ F``, ``T`` titles × words) plus its
  word bigrams (hash of two adjacent word hashes), scaled to unit length.

Hashes are polynomial over the UTF-8 bytes, mixed with the murmur3 finaliser, in
wrapping ``uint64`` arithmetic: the same on every platform, so weights trained at build
time apply at run time. Each feature carries a sign from its hash (fewer biased collisions).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import sparse

__all__ = ["BUCKETS", "bigram_matrix", "word_hashes", "word_matrix"]

BITS = 18
BUCKETS = 1 << BITS
NGRAMS = (3, 4, 5)
#: weight of each char n-gram next to the word's own feature (weight 1)
NGRAM_WEIGHT = 0.35
_P = np.uint64(0x100000001B3)
_WORD_SALT = np.uint64(0x9E3779B97F4A7C15)
_BIGRAM_SALT = np.uint64(0xC2B2AE3D27D4EB4F)
_MASK = (1 << 64) - 1
U64 = npt.NDArray[np.uint64]


def _mix(h: U64) -> U64:
    """murmur3's 64-bit finaliser (wrapping arithmetic)."""
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xFF51AFD7ED558CCD)
    h = h ^ (h >> np.uint64(33))
    h = h * np.uint64(0xC4CEB9FE1A85EC53)
    return h ^ (h >> np.uint64(33))


def _bucket_sign(h: U64) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]:
    bucket = (h & np.uint64(BUCKETS - 1)).astype(np.int64)
    sign = np.where((h >> np.uint64(63)) == 1, -1.0, 1.0).astype(np.float32)
    return bucket, sign


def _buffer(words: list[str]) -> tuple[npt.NDArray[np.uint8], npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Bytes of `` w1 \\n w2 ...`` (each word padded by spaces), word starts and ends."""
    data = np.frombuffer(("\n".join(words)).encode("utf-8"), dtype=np.uint8)
    breaks = np.flatnonzero(data == 10)
    starts = np.concatenate(([0], breaks + 1)).astype(np.int64)
    ends = np.concatenate((breaks, [len(data)])).astype(np.int64)
    return data, starts, ends


def word_hashes(words: list[str]) -> U64:
    """One 64-bit hash per word (polynomial over its bytes, mixed)."""
    if not words:
        return np.zeros(0, np.uint64)
    data, starts, ends = _buffer(words)
    lengths = ends - starts
    owner = np.repeat(np.arange(len(words)), lengths)
    offset = np.arange(len(data) - (len(words) - 1)) - np.repeat(starts - np.arange(len(words)), lengths)
    values = np.delete(data, starts[1:] - 1).astype(np.uint64) if len(words) > 1 else data.astype(np.uint64)
    powers = _powers(int(lengths.max(initial=0)) + 1)
    terms = values * powers[offset]
    sums = np.zeros(len(words), np.uint64)
    np.add.at(sums, owner, terms)
    return _mix(sums + lengths.astype(np.uint64) * _WORD_SALT)


def _powers(n: int) -> U64:
    values = [1]
    for _ in range(1, n):
        values.append(values[-1] * int(_P) & _MASK)
    return np.array(values, np.uint64)


def _ngrams(padded: list[str]) -> tuple[npt.NDArray[np.int64], U64]:
    """(word index, hash) of every char n-gram of the padded words."""
    data, _, _ = _buffer(padded)
    values = data.astype(np.uint64)
    newline_count = np.cumsum(data == 10)
    word_of = np.concatenate(([0], newline_count[:-1])) if len(data) else newline_count
    rows: list[npt.NDArray[np.int64]] = []
    hashes: list[U64] = []
    h = np.zeros(len(data), np.uint64)
    power = np.uint64(1)
    for n in range(1, max(NGRAMS) + 1):
        usable = len(data) - n + 1
        if usable <= 0:
            break
        h = h[:usable] + values[n - 1 : n - 1 + usable] * power
        power = np.uint64(int(power) * int(_P) & _MASK)
        if n in NGRAMS:
            # a gram is valid when it crosses no newline: same newline count at both ends
            before = np.concatenate(([0], newline_count))[:usable]
            valid = newline_count[n - 1 : n - 1 + usable] - before == 0
            valid &= data[:usable] != 10
            rows.append(word_of[:usable][valid])
            hashes.append(_mix(h[valid] ^ np.uint64(n)))
    if not rows:
        return np.zeros(0, np.int64), np.zeros(0, np.uint64)
    return np.concatenate(rows).astype(np.int64), np.concatenate(hashes)


def word_matrix(
    words: list[str], use: npt.NDArray[np.bool_]
) -> tuple[sparse.csr_matrix, npt.NDArray[np.float32], U64]:
    """Features of the words (rows of unused words empty), each row's squared length, word hashes."""
    idx = np.flatnonzero(use)
    chosen = [words[i] for i in idx]
    whash = word_hashes(chosen)
    grams_row, grams_hash = _ngrams([f" {w} " for w in chosen])
    bucket_w, sign_w = _bucket_sign(whash)
    bucket_g, sign_g = _bucket_sign(grams_hash)
    rows = np.concatenate((np.arange(len(chosen)), grams_row))
    cols = np.concatenate((bucket_w, bucket_g))
    vals = np.concatenate((sign_w, sign_g * np.float32(NGRAM_WEIGHT)))
    local = sparse.csr_matrix((vals, (rows, cols)), shape=(len(chosen), BUCKETS), dtype=np.float32)
    local.sum_duplicates()
    full: Any = sparse.csr_matrix((len(words), BUCKETS), dtype=np.float32)
    if len(chosen):
        expand = sparse.csr_matrix(
            (np.ones(len(idx), np.float32), (idx, np.arange(len(idx)))), shape=(len(words), len(idx))
        )
        full = (expand @ local).tocsr()
    sq = np.asarray(full.multiply(full).sum(axis=1), dtype=np.float32).ravel()
    hashes = np.zeros(len(words), np.uint64)
    hashes[idx] = whash
    return full, sq, hashes


def bigram_matrix(
    group: npt.NDArray[np.int64], title_of: npt.NDArray[np.int64], word_of: npt.NDArray[np.int64],
    hashes: U64, n_titles: int,
) -> tuple[sparse.csr_matrix, npt.NDArray[np.float32]]:
    """Hashed bigrams of adjacent tokens with the same ``group`` (title and segment), and their count per title."""
    if len(title_of) < 2:
        return sparse.csr_matrix((n_titles, BUCKETS), dtype=np.float32), np.zeros(n_titles, np.float32)
    same = group[1:] == group[:-1]
    left, right = word_of[:-1][same], word_of[1:][same]
    h = _mix(hashes[left] * _P + hashes[right] + _BIGRAM_SALT)
    bucket, sign = _bucket_sign(h)
    rows = title_of[1:][same]
    matrix = sparse.csr_matrix((sign, (rows, bucket)), shape=(n_titles, BUCKETS), dtype=np.float32)
    counts = np.bincount(rows, minlength=n_titles).astype(np.float32)
    return matrix, counts
