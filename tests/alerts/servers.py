"""Local SMTP (aiosmtpd, STARTTLS) and HTTP servers for the delivery tests."""

from __future__ import annotations

import http.server
import json
import shutil
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def make_certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for localhost (openssl), as (cert, key)."""
    if not shutil.which("openssl"):
        pytest.skip("openssl is needed to make the test server's certificate")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key), "-out",
         str(cert), "-days", "2", "-subj", "/CN=localhost",
         "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
        check=True, capture_output=True)
    return cert, key


@dataclass
class Mailbox:
    messages: list[Any] = field(default_factory=list)
    logins: list[str] = field(default_factory=list)


@contextmanager
def smtp_server(folder: Path, *, tls: bool = True, user: str = "alerts",
                password: str = "s3cret") -> Iterator[tuple[int, Path, Mailbox]]:
    """An SMTP server on localhost that requires STARTTLS (unless ``tls=False``) and a login."""
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword

    cert, key = make_certificate(folder)
    box = Mailbox()

    class Handler:
        async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
            box.messages.append(envelope)
            return "250 OK"

    def authenticator(server: Any, session: Any, envelope: Any, mechanism: str, data: Any) -> AuthResult:
        ok = isinstance(data, LoginPassword) and data.login == user.encode() and data.password == password.encode()
        if ok:
            box.logins.append(user)
        return AuthResult(success=ok)

    port = free_port()
    kwargs: dict[str, Any] = {"hostname": "127.0.0.1", "port": port, "authenticator": authenticator}
    if tls:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(str(cert), str(key))
        kwargs.update(tls_context=context, require_starttls=True, auth_require_tls=True)
    else:
        kwargs.update(auth_require_tls=False)
    controller = Controller(Handler(), **kwargs)
    controller.start()
    try:
        yield port, cert, box
    finally:
        controller.stop()


@dataclass
class Hook:
    requests: list[dict[str, Any]] = field(default_factory=list)
    fail_first: int = 0
    calls: int = 0


@contextmanager
def http_server(fail_first: int = 0) -> Iterator[tuple[str, Hook]]:
    """An HTTP server recording POSTs; the first ``fail_first`` answer 500."""
    hook = Hook(fail_first=fail_first)

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - the stdlib's name
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            hook.calls += 1
            if hook.calls <= hook.fail_first:
                self.send_response(500)
                self.end_headers()
                return
            hook.requests.append({"headers": dict(self.headers), "body": body,
                                  "json": json.loads(body)})
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/hook", hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
