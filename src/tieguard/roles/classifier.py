"""The roles classifier: titles in, labels out, every distinct title classified in one pass.

:meth:`Classifier.classify_array` is the path every caller uses (CLI, scan stage, demo):

1. the titles (an Arrow array, or anything ``pyarrow.array`` accepts) are deduplicated
   with one hash pass (``dictionary_encode``);
2. the distinct titles are normalised in bulk (:mod:`tieguard.roles.normalise`) and the
   keys deduplicated again;
3. the distinct keys are classified by :func:`tieguard.roles.batch.classify_keys`
   (rules as array look-ups, the function model as one sparse product), in chunks;
4. label codes are mapped back to every input row with ``take``; the buying roles come
   from a table over every (function, second function, seniority) combination.

:func:`classify` and :meth:`Classifier.classify_many` are conveniences over the same path
(one title is a batch of one: alone or in a batch, a title gets the same labels).
Explanations are computed only when asked (:meth:`Classifier.explain`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt
import pyarrow as pa

from .batch import PATHS, RoleCodes, classify_keys
from .buying import BuyingTable, load_buying_table
from .model import CLASSES, LANGS, Model, load_model
from .normalise import normalise_array
from .tokens import LEVELS

__all__ = ["Classifier", "RoleResult", "classify", "classify_many", "default_classifier"]

#: distinct keys per classification chunk (bounds the memory of one pass)
CHUNK = 150_000
THREADS = 2
_SENIORITY = (*LEVELS, "unknown")  # code -1 → last
_FUNCTIONS = (*CLASSES, "unknown")
_LANGUAGES = (*LANGS, "unknown")
OUTPUT_COLUMNS = (
    "seniority", "function", "buying_roles", "is_buying_role", "confidence", "language", "path", "functions",
)


class RoleResult(NamedTuple):
    """The classification of one title (labels of :mod:`tieguard.labels`) and how it was decided."""

    seniority: str = "unknown"
    function: str = "unknown"
    functions: tuple[str, ...] = ()
    buying_roles: dict[str, float] = {}  # noqa: RUF012 - read-only by contract
    confidence: float = 0.0
    language: str = "unknown"
    evidence: tuple[str, ...] = ()
    path: str = "none"  # exact | rules | model | none

    def as_dict(self) -> dict[str, Any]:
        return {
            "seniority": self.seniority, "function": self.function, "functions": list(self.functions),
            "buying_roles": dict(self.buying_roles), "confidence": self.confidence,
            "language": self.language, "evidence": list(self.evidence), "path": self.path,
        }


class _Context:
    """Arrow look-up sets of the model (built once per classifier)."""

    def __init__(self, model: Model) -> None:
        self.exact_keys = pa.array(model.exact_keys, pa.string())
        self.lang_words = pa.array(model.lang_words, pa.string())


class Classifier:
    """Model, rules and buying table bundled; ``fuzzy=False`` keeps only exact labels and rule words."""

    def __init__(self, buying: BuyingTable | None = None, *, fuzzy: bool = True, min_buying_score: float = 0.5) -> None:
        self.model = load_model()
        self.buying = buying or load_buying_table()
        self.fuzzy = fuzzy
        self.min_buying_score = min_buying_score
        self.stats: Counter[str] = Counter()
        self._context = _Context(self.model)
        self._combos: tuple[list[dict[str, float]], pa.Array, npt.NDArray[np.bool_]] | None = None

    # -- buying roles over every (function, second function, seniority) combination
    def _combo_tables(self) -> tuple[list[dict[str, float]], pa.Array, npt.NDArray[np.bool_]]:
        if self._combos is None:
            roles: list[dict[str, float]] = []
            for f in _FUNCTIONS:
                for f2 in (*CLASSES, None):
                    functions = [f] if f2 is None or f2 == f else [f, f2]
                    for s in _SENIORITY:
                        roles.append(self.buying.roles(functions, s))
            strings = pa.array(["|".join(r) for r in roles], pa.string())
            buying = np.array([any(v >= self.min_buying_score for v in r.values()) for r in roles])
            self._combos = (roles, strings, buying)
        return self._combos

    @staticmethod
    def _combo_index(codes: RoleCodes) -> npt.NDArray[np.int64]:
        f = np.where(codes.function < 0, len(CLASSES), codes.function).astype(np.int64)
        f2 = np.where(codes.function2 < 0, len(CLASSES), codes.function2).astype(np.int64)
        s = np.where(codes.seniority < 0, len(LEVELS), codes.seniority).astype(np.int64)
        return (f * (len(CLASSES) + 1) + f2) * len(_SENIORITY) + s

    def classify_keys(self, keys: pa.Array) -> RoleCodes:
        """Codes for distinct normalised keys, in chunks of :data:`CHUNK`."""
        def run(start: int) -> RoleCodes:
            return classify_keys(keys.slice(start, CHUNK), self.model, self._context, guess=self.fuzzy)

        starts = list(range(0, len(keys), CHUNK)) or [0]
        if len(starts) == 1:
            parts = [run(0)]
        else:  # two chunks at a time: the array kernels release the GIL
            from concurrent.futures import ThreadPoolExecutor

            with ThreadPoolExecutor(THREADS) as pool:
                parts = list(pool.map(run, starts))
        merged = RoleCodes(*(np.concatenate([getattr(p, f) for p in parts]) for f in RoleCodes.__dataclass_fields__))
        paths = np.bincount(merged.path, minlength=len(PATHS))
        for name, count in zip(PATHS, paths.tolist(), strict=True):
            self.stats[name] += count
        return merged

    def _codes_per_row(self, titles: pa.Array) -> tuple[RoleCodes, npt.NDArray[np.int64]]:
        """Codes of the distinct keys, and for each input row the index of its key (-1: no title)."""
        import pyarrow.compute as pc

        if titles.type != pa.string():
            titles = titles.cast(pa.string())
        raw = titles.dictionary_encode()
        keys = normalise_array(raw.dictionary).dictionary_encode()
        self.stats["distinct_titles"] += len(raw.dictionary)
        self.stats["distinct_keys"] += len(keys.dictionary)
        codes = self.classify_keys(keys.dictionary)
        key_of_raw = np.asarray(keys.indices, dtype=np.int64)
        row_raw = np.asarray(pc.fill_null(raw.indices, -1), dtype=np.int64)
        row_key = np.where(row_raw >= 0, key_of_raw[np.maximum(row_raw, 0)], -1)
        return codes, row_key

    def classify_array(self, titles: pa.Array | pa.ChunkedArray | Iterable[str | None]) -> pa.Table:
        """One row of labels per title (:data:`OUTPUT_COLUMNS`), in input order."""
        if isinstance(titles, pa.ChunkedArray):
            titles = titles.combine_chunks()
        if not isinstance(titles, pa.Array):
            titles = pa.array(list(titles), pa.string())
        codes, row_key = self._codes_per_row(titles)
        none = np.array([-1], np.int8)
        unknown = RoleCodes(none, none, none, np.zeros(1, np.float32), none, np.array([PATHS.index("none")], np.int8))
        codes = RoleCodes(*(np.concatenate((getattr(codes, f), getattr(unknown, f))) for f in RoleCodes.__dataclass_fields__))
        row_key = np.where(row_key < 0, len(codes.path) - 1, row_key)
        _, strings, buying = self._combo_tables()
        combo = self._combo_index(codes)[row_key]

        def labels(names: tuple[str, ...], values: npt.NDArray[np.int8]) -> pa.Array:
            index = np.where(values < 0, len(names) - 1, values)[row_key]
            return pa.array(names, pa.string()).take(pa.array(index))

        return pa.table({
            "seniority": labels(_SENIORITY, codes.seniority),
            "function": labels(_FUNCTIONS, codes.function),
            "buying_roles": strings.take(pa.array(combo)),
            "is_buying_role": pa.array(buying[combo]),
            "confidence": pa.array(np.round(codes.confidence[row_key].astype(np.float64), 3)),
            "language": labels(_LANGUAGES, codes.language),
            "path": pa.array(PATHS, pa.string()).take(pa.array(codes.path[row_key])),
            "functions": self._functions(codes, row_key),
        })

    @staticmethod
    def _functions(codes: RoleCodes, row_key: npt.NDArray[np.int64]) -> pa.Array:
        """``function|second function`` (the second from another rule word), ``''`` when unknown."""
        names = [*CLASSES, ""]
        first = np.where(codes.function < 0, len(CLASSES), codes.function).astype(np.int64)
        second = np.where((codes.function2 < 0) | (codes.function < 0), len(CLASSES), codes.function2).astype(np.int64)
        pairs = pa.array([f"{a}|{b}" if b else a for a in names for b in names], pa.string())
        return pairs.take(pa.array((first * len(names) + second)[row_key]))

    def classify_many(self, texts: Iterable[object]) -> list[RoleResult]:
        """:class:`RoleResult` objects for a sequence (builds one Python object per title)."""
        values = [t if isinstance(t, str) else None for t in texts]
        try:
            array = pa.array(values, pa.string())
        except UnicodeEncodeError:  # lone surrogates: not text a file could hold
            array = pa.array([v.encode("utf-8", "replace").decode("utf-8") if v else v for v in values], pa.string())
        table = self.classify_array(array)
        roles, _, _ = self._combo_tables()
        columns = {name: table.column(name).to_pylist() for name in table.column_names}
        combos = self._combo_index_from_table(columns)
        return [
            RoleResult(s, f, tuple(fs.split("|")) if fs else (), roles[c], conf, lang, (), path)
            for s, f, fs, c, conf, lang, path in zip(
                columns["seniority"], columns["function"], columns["functions"], combos,
                columns["confidence"], columns["language"], columns["path"], strict=True,
            )
        ]

    def _combo_index_from_table(self, columns: dict[str, list[Any]]) -> list[int]:
        strings = self._combo_tables()[1].to_pylist()
        first: dict[str, int] = {}
        for i, s in enumerate(strings):
            first.setdefault(s, i)
        return [first[s] for s in columns["buying_roles"]]

    def classify(self, text: object) -> RoleResult:
        """One title or headline (any input; never an exception)."""
        return self.classify_many([text])[0]

    def explain(self, text: str) -> tuple[str, ...]:
        """The rule words, exact label and strongest model features behind one title's labels."""
        from .explain import explain

        return explain(self, text)


_DEFAULT: Classifier | None = None


def default_classifier() -> Classifier:
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Classifier()
    return _DEFAULT


def classify(text: object) -> RoleResult:
    """Seniority, function and buying roles of one title or headline (default table)."""
    return default_classifier().classify(text)


def classify_many(texts: Iterable[object]) -> list[RoleResult]:
    """:func:`classify` for many titles (one vectorised pass)."""
    return default_classifier().classify_many(texts)
