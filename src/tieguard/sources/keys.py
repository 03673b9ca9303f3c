"""Stable keys in SQL: normalised URLs and names, person_key, tie_id.

``person_key`` is a keyed hash (HMAC) of the normalised profile URL when there is one, else the
normalised first name, last name and company, so the same person exported by two
employees gets the same key. ``tie_id`` hashes (employee, network, person_key).

The engine inlines nested expressions, so an expression that repeats its argument
evaluates it repeatedly. Normalisation therefore runs in nested SELECTs: the
single-reference parts (:func:`url_base_sql`, :func:`name_text_sql`) are computed as
columns first; :func:`person_key_sql` then refers to plain columns.
"""

from __future__ import annotations

__all__ = ["url_base_sql", "url_norm_sql", "name_text_sql", "person_key_sql",
           "person_key_of_norm_sql", "name_key_of_text_sql", "url_key_sql", "name_key_of_named_sql",
           "tie_id_sql", "HASH", "kept_name_sql", "name_key_sql"]

#: Hash function of keys: HMAC-SHA256 under the installation secret, 32 hex characters
#: (the engine's macro ``tg_keyed_hash``; :mod:`tieguard.secret`), so the warehouse file alone
#: does not tell who a key is. Keys drive tie-breaks and the watcher's draws, so demo figures
#: depend on the secret: the demo derives its secret from its seed.
HASH = "tg_keyed_hash"
_SPACES = ("(contains({x}, '  ') OR contains({x}, chr(9)) OR contains({x}, chr(10)) "
           "OR contains({x}, chr(13)) OR contains({x}, chr(160)))")


def url_base_sql(expr: str) -> str:
    """URL lower-cased without scheme, query and fragment (references ``expr`` once)."""
    u = f"lower(trim(coalesce({expr}, '')))"
    u = f"string_split({u}, '://')[-1]"
    return f"split_part(split_part({u}, '?', 1), '#', 1)"


def url_norm_sql(base: str) -> str:
    """From a materialised :func:`url_base_sql` column to the normalised URL (NULL when
    nothing is left); :func:`person_key_of_norm_sql` keys it."""
    u = (f"CASE WHEN starts_with({base}, 'www.') THEN substr({base}, 5) "
         f"WHEN substr({base}, 3, 1) = '.' AND (substr({base}, 4, 12) = 'linkedin.com' "
         f"OR substr({base}, 4, 8) = 'xing.com') THEN substr({base}, 4) ELSE {base} END")
    u = f"rtrim({u}, '/')"
    # a bad escape (invalid UTF-8 after decoding) keeps the URL as written: one broken
    # row must not fail the statement reading a whole batch
    return (f"nullif(CASE WHEN contains({base}, '%') THEN coalesce(try(url_decode({u})), {u}) "
            f"ELSE {u} END, '')")


def name_text_sql(first: str, last: str, company: str) -> str:
    """The raw name text keyed by :func:`person_key_sql` (materialise it as a column)."""
    return f"(coalesce({first}, '') || '|' || coalesce({last}, '') || '|' || coalesce({company}, ''))"


def _unaccented(text: str) -> str:
    """``strip_accents`` of a column, skipped for ASCII text (where it changes nothing)."""
    return f"CASE WHEN strlen({text}) = length({text}) THEN {text} ELSE strip_accents({text}) END"


def _name_text(raw: str) -> str:
    slow = (f"regexp_replace(regexp_replace(lower({_unaccented(raw)}), '\\s+', ' ', 'g'), "
            "'\\s*\\|\\s*', '|', 'g')")
    return f"CASE WHEN {_SPACES.format(x=raw)} THEN trim({slow}) ELSE lower({_unaccented(raw)}) END"


def person_key_sql(first: str, last: str, url_base: str, name_text: str) -> str:
    """SQL for the stable person key (32 hex characters); NULL without URL and name.

    Arguments are column names: trimmed names (NULL when blank), a
    :func:`url_base_sql` column and a :func:`name_text_sql` column.
    """
    return person_key_of_norm_sql(first, last, url_norm_sql(url_base), name_text)


def person_key_of_norm_sql(first: str, last: str, url_norm: str, name_text: str) -> str:
    """:func:`person_key_sql` from a materialised :func:`url_norm_sql` column (the name
    text is then needed only where ``url_norm`` is NULL)."""
    return f"coalesce({url_key_sql(url_norm)}, {name_key_of_text_sql(first, last, name_text)})"


def url_key_sql(url_norm: str) -> str:
    """The key of a materialised :func:`url_norm_sql` column (a row's person key when it
    has a URL)."""
    return f"{HASH}('url:' || {url_norm})"


def name_key_of_named_sql(name_text: str) -> str:
    """The name key of a materialised :func:`name_text_sql` column of a row that has a first
    or last name (:func:`name_key_of_text_sql` without the check)."""
    return f"{HASH}('name:' || {_name_text(name_text)})"


def name_key_of_text_sql(first: str, last: str, name_text: str) -> str:
    """:func:`name_key_sql` from a materialised :func:`name_text_sql` column: the key a row
    gets by name and company (NULL without first and last name)."""
    return (f"CASE WHEN {first} IS NOT NULL OR {last} IS NOT NULL THEN "
            f"{name_key_of_named_sql(name_text)} END")


def name_key_sql(first: str, last: str, company: str) -> str:
    """The person key by name and company alone (what :func:`person_key_sql` gives a row
    without URL): to recognise a person whose key changed because a newer export
    variant has URLs. Arguments are trimmed columns (NULL when blank)."""
    return name_key_of_text_sql(first, last, name_text_sql(first, last, company))


def tie_id_sql(employee: str, network: str, person_key: str) -> str:
    """SQL for the tie key: hash of employee, network and person key."""
    return f"{HASH}({employee} || '|' || {network} || '|' || {person_key})"


def _damage_sql(x: str) -> str:
    """How damaged a name looks: characters lost to a legacy encoding (``?``, U+FFFD)."""
    return (f"(length({x}) - length(replace(replace({x}, '?', ''), chr(65533), '')))")


def kept_name_sql(new: str, old: str) -> str:
    """The value kept when a newer export shows ``new`` for a value stored as ``old``:
    the newer one, unless it is a worse copy of the same name (more characters lost to
    an encoding, or the same letters with the accents stripped), as a spreadsheet
    re-save in a legacy encoding makes them. Names never get worse."""
    worse = (f"{_damage_sql(new)} > {_damage_sql(old)} AND length({new}) = length({old}) "
             f"OR {new} <> {old} AND strip_accents({old}) = {new}")
    return f"CASE WHEN {worse} THEN {old} ELSE {new} END"
