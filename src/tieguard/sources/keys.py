"""Stable keys as SQL expressions: normalised text and URLs, person_key, tie_id.

``person_key`` hashes the normalised profile URL when there is one, else the
normalised first name, last name and company, so the same person exported by two
employees gets the same key. ``tie_id`` hashes (employee, network, person_key).
"""

from __future__ import annotations

__all__ = ["norm_text_sql", "norm_url_sql", "person_key_sql", "tie_id_sql"]


def norm_text_sql(expr: str) -> str:
    """Lower case, accents stripped, whitespace collapsed; NULL when empty."""
    return (f"nullif(lower(trim(regexp_replace(strip_accents(coalesce({expr}, '')), "
            f"'\\s+', ' ', 'g'))), '')")


def norm_url_sql(expr: str) -> str:
    """Profile URL without scheme, country/www subdomain, query, fragment, final slash."""
    u = f"lower(trim(coalesce({expr}, '')))"
    u = f"regexp_replace({u}, '^https?://', '')"
    u = f"regexp_replace({u}, '^(www|[a-z]{{2}})\\.(linkedin|xing)\\.com', '\\2.com')"
    u = f"regexp_replace({u}, '[?#].*$', '')"
    u = f"url_decode(rtrim({u}, '/'))"
    return f"nullif({u}, '')"


def person_key_sql(first: str, last: str, company: str, url: str) -> str:
    """SQL for the stable person key (32 hex characters); NULL without URL and name."""
    nurl = norm_url_sql(url)
    nfirst, nlast, ncompany = norm_text_sql(first), norm_text_sql(last), norm_text_sql(company)
    # Each normalisation is written once: the URL branch only when a URL is present.
    return f"""CASE
        WHEN nullif(trim(coalesce({url}, '')), '') IS NOT NULL
          THEN substr(sha256('url:' || coalesce({nurl}, '')), 1, 32)
        WHEN {first} IS NOT NULL OR {last} IS NOT NULL THEN substr(sha256('name:'
            || coalesce({nfirst}, '') || '|' || coalesce({nlast}, '') || '|'
            || coalesce({ncompany}, '')), 1, 32)
        END"""


def tie_id_sql(employee: str, network: str, person_key: str) -> str:
    """SQL for the tie key: hash of employee, network and person key."""
    return f"substr(sha256({employee} || '|' || {network} || '|' || {person_key}), 1, 32)"
