"""`faq serve` behind a real nginx (Debian's), with the configuration the reliability page
documents: forwarded addresses believed only from the proxy, nginx's own limits in front,
relative redirects and the security headers through it. Loopback only."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from corpus import write_corpus
from faq.build import build
from faq.config import Settings
from live import free_port, start, stop, wait_until_up
from test_site import add_pages

REPO = Path(__file__).resolve().parents[1]
DOCUMENTED = REPO / "docs" / "en" / "reliability.md"


def nginx_binary() -> str:
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if found is None:
        message = "nginx is not installed (scripts/ensure-nginx, or apt-get install nginx)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"the reverse-proxy test cannot run in CI: {message}")
        pytest.skip(message)
    return found


def documented_server_block() -> str:
    """The `server { … }` block of the reliability page, as an operator would copy it."""
    text = DOCUMENTED.read_text("utf-8")
    start_at = text.index("```nginx\n") + len("```nginx\n")
    return text[start_at : text.index("```", start_at)]


def nginx_config(tmp: Path, listen: int, upstream: int) -> str:
    block = documented_server_block()
    block = block.replace("listen 80;", f"listen 127.0.0.1:{listen};")
    block = block.replace("127.0.0.1:8000", f"127.0.0.1:{upstream}")
    temp = "\n".join(
        f"    {name}_temp_path {tmp / name};"
        for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return (
        "daemon off;\nmaster_process off;\nworker_processes 1;\n"
        f"pid {tmp / 'nginx.pid'};\nerror_log {tmp / 'error.log'} warn;\n"
        "events { worker_connections 256; }\n"
        f"http {{\n    access_log off;\n{temp}\n{block}\n}}\n"
    )


@pytest.fixture(scope="module")
def proxied(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, str]]:
    binary = nginx_binary()
    tmp = tmp_path_factory.mktemp("proxied")
    settings = write_corpus(tmp / "kb").replace(
        index_dir=str(tmp / "index"),
        site_dir=str(tmp / "site"),
        feedback_db=str(tmp / "var" / "feedback.sqlite3"),
        port=free_port(),
        rate_limit_search="2/minute",
        forwarded_allow_ips="127.0.0.1",
    )
    add_pages(settings)
    build(settings)
    log = tmp / "serve.log"
    server = start(settings, log)
    listen = free_port()
    (tmp / "nginx.conf").write_text(nginx_config(tmp, listen, settings.port), "utf-8")
    nginx = subprocess.Popen(
        [binary, "-p", str(tmp), "-c", str(tmp / "nginx.conf")],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{listen}"
    try:
        wait_until_up(f"http://127.0.0.1:{settings.port}/api/health", server, log)
        wait_until_up(f"{url}/api/health", nginx, tmp / "error.log")
        yield settings, url
    finally:
        nginx.terminate()
        nginx.wait(10)
        stop(server)


def test_pages_and_answers_through_nginx(proxied: tuple[Settings, str]) -> None:
    _settings, url = proxied
    page = httpx.get(f"{url}/usage/quota-exceeded/", timeout=10)
    assert page.status_code == 200
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"
    redirect = httpx.get(f"{url}/ko", headers={"Host": "evil.example"}, timeout=10)
    assert redirect.status_code in (301, 302, 307, 308)
    assert redirect.headers["location"] == "/ko/"


def test_a_forged_forwarded_for_gets_no_fresh_budget(proxied: tuple[Settings, str]) -> None:
    _settings, url = proxied
    codes = [
        httpx.get(
            f"{url}/api/search",
            params={"q": "nginx"},
            headers={"X-Forwarded-For": f"203.0.113.{i}"},
            timeout=10,
        ).status_code
        for i in range(4)
    ]
    assert codes[:2] == [200, 200] and codes[2:] == [429, 429]


def test_nginx_refuses_a_header_flood_before_faq_sees_it(proxied: tuple[Settings, str]) -> None:
    _settings, url = proxied
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\nX-Filler: " + b"a" * 64 * 1024)
        sock.sendall(b"\r\n\r\n")
        answer = sock.recv(4096)
    assert answer.split(b" ")[1] in (b"400", b"431", b"494")


def test_nginx_times_out_a_half_sent_request(proxied: tuple[Settings, str]) -> None:
    _settings, url = proxied
    port = int(url.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        sock.sendall(b"GET /api/health HTTP/1.1\r\nHost: x\r\n")
        data = b""
        while chunk := sock.recv(4096):  # TimeoutError (a failure) if nginx kept it open
            data += chunk
    assert b" 200 " not in data.split(b"\r\n", 1)[0]  # closed (or 408) by client_header_timeout
