"""Scrub what must not be stored from a reader's question: e-mail addresses, API keys and
tokens, IP addresses, and credentials in URLs, each replaced by a placeholder such as `<email>`.

Applied before anything a reader typed is written to the query log or the feedback store. The
patterns follow the formats the services publish (OpenAI `sk-…`, GitHub `ghp_…`/`github_pat_…`,
Slack `xox…-`, AWS `AKIA…`, Google `AIza…`, JSON Web Tokens, `Bearer …` headers); a long run of
hex or base64 characters is treated as a secret too.
"""

from __future__ import annotations

import ipaddress
import re

_URL_CREDENTIALS = re.compile(r"(?P<scheme>\b[a-z][a-z0-9+.-]*://)[^\s/@:]+(?::[^\s/@]*)?@", re.I)
_EMAIL = re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")
_KEYS = re.compile(
    r"\b(?:"
    # OpenAI, Anthropic, OpenRouter (also the masked sk-*** that readers paste)
    r"sk-(?:proj-|ant-|or-)?[A-Za-z0-9_\-*]{3,}"
    r"|gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}"
    r"|xox[abposr]-[A-Za-z0-9-]{10,}"
    r"|AKIA[0-9A-Z]{16}"
    r"|AIza[0-9A-Za-z_\-]{30,}"
    r"|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}"  # a JSON Web Token
    r")"
)
# `Bearer <token>`, or `password=…`, `api_key: …` (a separator is needed: "token limit" stays)
_BEARER = re.compile(
    r"\b(Bearer|(?:access[_-]?)?token|api[_-]?key|password|passwd|secret)"
    r"(\s+(?=\S{6,})|\s*[:=]\s*)(\S{4,})",
    re.I,
)
_LONG_SECRET = re.compile(
    r"\b(?=[A-Za-z0-9+/_-]*\d)(?=[A-Za-z0-9+/_-]*[A-Za-z])[A-Za-z0-9+/_-]{32,}\b"
)
_IPV4 = re.compile(r"\b(?:\d{1,3}\.){3}\d{1,3}\b")
_IPV6 = re.compile(r"(?<![\w:])(?:[0-9a-f]{0,4}:){2,7}[0-9a-f]{0,4}(?![\w:])", re.I)

EMAIL, KEY, IP, CREDENTIALS = "<email>", "<key>", "<ip>", "<credentials>@"


def _ip(match: re.Match[str]) -> str:
    try:
        ipaddress.ip_address(match.group())
    except ValueError:
        return match.group()  # a version number such as 1.2.3.4000, or a time like 12:30:45
    return IP


def _secret_value(match: re.Match[str]) -> str:
    name, separator, value = match.groups()
    if not separator.strip() and name.lower() != "bearer":
        return match.group()  # "token exceeded": a word, not a secret
    return name + separator + KEY


def scrub(text: str) -> str:
    """`text` with secrets and personal data replaced by placeholders (idempotent)."""
    text = _URL_CREDENTIALS.sub(lambda m: m.group("scheme") + CREDENTIALS, text)
    text = _EMAIL.sub(EMAIL, text)
    text = _KEYS.sub(KEY, text)
    text = _BEARER.sub(_secret_value, text)
    text = _LONG_SECRET.sub(KEY, text)
    text = _IPV4.sub(_ip, text)
    return _IPV6.sub(_ip, text)
