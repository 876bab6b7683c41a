"""UI strings through babel catalogs: per-call locale (a context variable), never process-global."""

from __future__ import annotations

import contextlib
import contextvars
import functools
import os
from collections.abc import Iterator, Mapping
from pathlib import Path

DEFAULT_LOCALE = "en"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("faq_locale", default=DEFAULT_LOCALE)


def locales_dir() -> Path:
    """Where the catalogs are: `faq/_locales` in an installed wheel, `locales/` in a checkout."""
    packaged = Path(__file__).with_name("_locales")
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "locales"


@functools.cache
def available_locales() -> tuple[str, ...]:
    """The UI locales that have a catalog, English (the source language) included."""
    found = {DEFAULT_LOCALE}
    base = locales_dir()
    if base.is_dir():
        found.update(p.parent.parent.name for p in base.glob("*/LC_MESSAGES/messages.po"))
    return tuple(sorted(found))


@functools.cache
def catalog(locale: str) -> Mapping[str, str]:
    """msgid → msgstr of one locale's catalog (fuzzy and empty translations left out).

    In a checkout, the compiled messages.mo (`make catalogs-compile`, run by `make install`) is
    read when it is at least as new as the messages.po; otherwise the .po itself, so a fresh
    clone works too. An installed wheel has a .mo compiled at build time (hatch_build.py): it is
    read whatever the files' times, which installers do not keep."""
    base = locales_dir()
    path = base / locale / "LC_MESSAGES" / "messages.po"
    if locale == DEFAULT_LOCALE or not path.is_file():
        return {}
    compiled = path.with_suffix(".mo")
    packaged = base.name == "_locales"
    if compiled.is_file() and (packaged or compiled.stat().st_mtime >= path.stat().st_mtime):
        import gettext as stdlib_gettext

        with compiled.open("rb") as fh:
            table = stdlib_gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        return {k: v for k, v in table.items() if isinstance(k, str) and k and v}
    from babel.messages.pofile import read_po

    with path.open("rb") as fh:
        cat = read_po(fh, locale=locale)
    out: dict[str, str] = {}
    for message in cat:
        if message.id and message.string and not message.fuzzy and isinstance(message.id, str):
            assert isinstance(message.string, str)
            out[message.id] = message.string
    return out


def get_locale() -> str:
    """The locale of the current call (CLI invocation or API request)."""
    return _current.get()


@contextlib.contextmanager
def use_locale(locale: str) -> Iterator[None]:
    """Run a block with UI strings in `locale` (unknown locales fall back to English)."""
    token = _current.set(normalize(locale) or DEFAULT_LOCALE)
    try:
        yield
    finally:
        _current.reset(token)


def set_locale(locale: str) -> None:
    """Set the locale for the rest of this context (the CLI sets it once per invocation)."""
    _current.set(normalize(locale) or DEFAULT_LOCALE)


def normalize(tag: str | None) -> str | None:
    """Map a tag such as `ko_KR.UTF-8`, `zh-Hans-CN` or `ja` to an available locale, or None."""
    if not tag:
        return None
    base = tag.split(".")[0].split("@")[0].replace("_", "-").lower()
    if base in ("c", "posix"):
        return None
    lang = base.split("-")[0]
    return lang if lang in available_locales() else None


def locale_from_env(env: Mapping[str, str] | None = None) -> str:
    """The CLI's locale from LANGUAGE, LC_ALL, LC_MESSAGES, LANG (in gettext's order)."""
    env = os.environ if env is None else env
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var)
        if not value:
            continue
        for part in value.split(":"):  # LANGUAGE may list several
            found = normalize(part)
            if found:
                return found
        if var != "LANGUAGE":
            break  # a set LC_ALL/LC_MESSAGES/LANG decides, even if unknown
    return DEFAULT_LOCALE


def negotiate(accept_language: str | None) -> str:
    """The best available locale for an HTTP Accept-Language header (English by default)."""
    if not accept_language:
        return DEFAULT_LOCALE
    from babel.core import negotiate_locale

    prefs: list[tuple[float, str]] = []
    for i, part in enumerate(accept_language.split(",")):
        piece = part.strip()
        if not piece:
            continue
        tag, _sep, q = piece.partition(";q=")
        try:
            weight = float(q) if q else 1.0
        except ValueError:
            continue
        prefs.append((-weight + i * 1e-6, tag.strip().replace("-", "_")))
    ordered = [tag for _w, tag in sorted(prefs)]
    available = list(available_locales())
    found = negotiate_locale(ordered, available, sep="_")
    if found:
        return found
    for tag in ordered:
        hit = normalize(tag)
        if hit:
            return hit
    return DEFAULT_LOCALE


def _(message: str) -> str:
    """Translate `message` into the current locale."""
    return catalog(get_locale()).get(message, message)


def gettext(message: str, locale: str) -> str:
    """Translate `message` into `locale`."""
    return catalog(normalize(locale) or DEFAULT_LOCALE).get(message, message)


def N_(message: str) -> str:
    """Mark a module-level string for extraction; translate it with `_()` where it is used."""
    return message


def format_number(value: int, locale: str | None = None) -> str:
    """An integer in the locale's notation (1,234 / 1 234 …)."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, locale=_babel_locale(locale)))


def format_score(value: float, locale: str | None = None) -> str:
    """A score in [0, 1] with two decimals, in the locale's notation."""
    from babel.numbers import format_decimal

    return str(format_decimal(value, format="0.00", locale=_babel_locale(locale)))


def format_percent(value: float, locale: str | None = None) -> str:
    """A share in [0, 1] as a whole percentage, in the locale's notation (96% / 96 %)."""
    from babel.numbers import format_percent as babel_percent

    return str(babel_percent(value, format="#,##0%", locale=_babel_locale(locale)))


def format_ago(when: str | None, locale: str | None = None) -> str:
    """'3 days ago' (in the locale) for an ISO-8601 UTC time such as meta.json's built_at."""
    if not when:
        return ""
    import datetime as dt

    from babel.dates import format_timedelta

    try:
        moment = dt.datetime.fromisoformat(when.replace("Z", "+00:00"))
    except ValueError:
        return when
    delta = moment - dt.datetime.now(dt.UTC)
    return str(format_timedelta(delta, add_direction=True, locale=_babel_locale(locale)))


def _babel_locale(locale: str | None) -> str:
    tag = normalize(locale) if locale else get_locale()
    return {"zh": "zh_Hans"}.get(tag or DEFAULT_LOCALE, tag or DEFAULT_LOCALE)
