"""Checks of the message catalogues (run by ``make i18n`` and the tests in CI).

A catalogue passes when every message the source marks (a fresh extraction with
``babel.cfg``) is translated, none is fuzzy, none is left over (obsolete or no longer in
the source), every translation keeps exactly the ``%(name)s`` placeholders of its message
(the singular of a plural message may leave out the count ``%(n)s``),
and a plural message has the number of forms the language needs.

``python -m tieguard.i18n.check [ROOT]`` prints the problems and exits 1 if there are any;
it needs a source checkout (``babel.cfg`` at ROOT).
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po

from .catalog import DEFAULT_LANGUAGE, DOMAIN, LOCALE_DIR, SUPPORTED

__all__ = ["extracted_ids", "catalogue", "catalogue_problems", "placeholders", "main"]

PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")
TRANSLATED = tuple(lang for lang in SUPPORTED if lang != DEFAULT_LANGUAGE)


def placeholders(text: str) -> set[str]:
    """The named ``%(name)s`` placeholders of a message."""
    return set(PLACEHOLDER.findall(text))


def extracted_ids(root: Path) -> set[str]:
    """Message ids (singular) the source marks, extracted as ``make i18n`` does."""
    with (root / "babel.cfg").open(encoding="utf-8") as fh:
        method_map, options_map = parse_mapping_cfg(fh)  # type: ignore[no-untyped-call]
    found: set[str] = set()
    for _file, _line, message, _comments, _context in extract_from_dir(
        str(root), method_map, options_map
    ):
        found.add(message[0] if isinstance(message, (tuple, list)) else message)
    return found


def catalogue(lang: str) -> Catalog:
    with (LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po").open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


def _forms(message: Message) -> list[str]:
    forms = message.string if isinstance(message.string, (tuple, list)) else [message.string]
    return [form or "" for form in forms]


def _message_problems(lang: str, message: Message, nplurals: int) -> Iterable[str]:
    msgid = message.id if isinstance(message.id, str) else message.id[0]
    ids = [message.id] if isinstance(message.id, str) else list(message.id)
    forms = _forms(message)
    if message.fuzzy:
        yield f"{lang}: fuzzy: {msgid!r}"
    if not all(forms):
        yield f"{lang}: untranslated: {msgid!r}"
    if len(ids) > 1 and len(forms) != nplurals:
        yield f"{lang}: {len(forms)} plural forms instead of {nplurals}: {msgid!r}"
    wanted = set().union(*(placeholders(i) for i in ids))
    for index, form in enumerate(forms):
        # gettext practice: the singular form may leave out the count ("Het account ...")
        allowed = [wanted, wanted - {"n"}] if index == 0 and len(ids) > 1 else [wanted]
        if form and not any(placeholders(form) == w for w in allowed):
            yield (f"{lang}: placeholders {sorted(placeholders(form))} differ from "
                   f"{sorted(wanted)}: {msgid!r}")


def catalogue_problems(lang: str, source_ids: set[str] | None = None) -> list[str]:
    """Every problem of the ``lang`` catalogue (against ``source_ids`` when given)."""
    cat = catalogue(lang)
    nplurals = get_plural(lang).num_plurals
    problems: list[str] = []
    seen: set[str] = set()
    for message in cat:
        if not message.id:
            continue
        msgid = message.id if isinstance(message.id, str) else message.id[0]
        seen.add(msgid)
        problems.extend(_message_problems(lang, message, nplurals))
        if source_ids is not None and msgid not in source_ids:
            problems.append(f"{lang}: not in the source any more: {msgid!r}")
    problems.extend(f"{lang}: obsolete entry: {m.id!r}" for m in cat.obsolete.values())
    if source_ids is not None:
        problems.extend(f"{lang}: missing: {m!r}" for m in sorted(source_ids - seen))
    return problems


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    root = Path(args[0]) if args else Path.cwd()
    source = extracted_ids(root)
    problems = [p for lang in TRANSLATED for p in catalogue_problems(lang, source)]
    for problem in problems:
        print(problem)
    print(f"{len(source)} messages; {', '.join(TRANSLATED)}: "
          f"{'complete' if not problems else f'{len(problems)} problems'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
