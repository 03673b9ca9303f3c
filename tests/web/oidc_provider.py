"""A small OpenID Connect provider for the tests: discovery, JWKS, authorize and token
endpoints on 127.0.0.1, ID tokens signed with a test RSA key (joserfc). Knobs let a test sign
with another key, send another nonce or audience, or an expired token."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from joserfc import jwt
from joserfc.jwk import KeySet, RSAKey
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from tests.serving import free_port, serving

CLIENT_ID, CLIENT_SECRET = "tieguard-test", "test-client-secret"


@dataclass
class Provider:
    url: str = ""
    key: RSAKey = field(default_factory=lambda: RSAKey.generate_key(2048, {"kid": "test-1"}))
    email: str = ""
    email_verified: bool = True
    sign_with: RSAKey | None = None  # another key: a wrong signature
    nonce: str | None = None  # another nonce
    audience: str | None = None
    lifetime: int = 300  # negative: expired
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    pkce_checked: int = 0

    def discovery(self, request: Request) -> Response:
        return JSONResponse({
            "issuer": self.url, "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token", "jwks_uri": f"{self.url}/jwks",
            "response_types_supported": ["code"], "id_token_signing_alg_values_supported":
            ["RS256"], "code_challenge_methods_supported": ["S256"]})

    def jwks(self, request: Request) -> Response:
        return JSONResponse(KeySet([self.key]).as_dict(private=False))

    def authorize(self, request: Request) -> Response:
        q = request.query_params
        assert q["response_type"] == "code" and q["client_id"] == CLIENT_ID
        assert q["code_challenge_method"] == "S256" and "openid" in q["scope"].split()
        code = secrets.token_urlsafe(16)
        self.codes[code] = {"challenge": q["code_challenge"], "nonce": q["nonce"],
                            "redirect_uri": q["redirect_uri"]}
        return RedirectResponse(f"{q['redirect_uri']}?{urlencode({'code': code, 'state': q['state']})}",
                                302)

    async def token(self, request: Request) -> Response:
        form = await request.form()
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if request.headers.get("authorization") != f"Basic {expected}":
            return JSONResponse({"error": "invalid_client"}, 401)
        grant = self.codes.pop(str(form.get("code")), None)
        if grant is None or form.get("redirect_uri") != grant["redirect_uri"]:
            return JSONResponse({"error": "invalid_grant"}, 400)
        digest = hashlib.sha256(str(form.get("code_verifier")).encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return JSONResponse({"error": "invalid_grant", "error_description": "PKCE"}, 400)
        self.pkce_checked += 1
        now = int(time.time())
        claims = {"iss": self.url, "sub": "sub-" + self.email, "aud": self.audience or CLIENT_ID,
                  "iat": now - 5, "exp": now + self.lifetime, "nonce": self.nonce or grant["nonce"],
                  "email": self.email, "email_verified": self.email_verified}
        key = self.sign_with or self.key
        id_token = jwt.encode({"alg": "RS256", "kid": "test-1"}, claims, key)
        return JSONResponse({"access_token": "at", "token_type": "Bearer", "id_token": id_token})

    def app(self) -> Starlette:
        return Starlette(routes=[
            Route("/.well-known/openid-configuration", self.discovery),
            Route("/jwks", self.jwks), Route("/authorize", self.authorize),
            Route("/token", self.token, methods=["POST"])])


@contextmanager
def running_provider() -> Iterator[Provider]:
    port = free_port()
    provider = Provider(url=f"http://127.0.0.1:{port}")
    with serving(provider.app(), port):
        yield provider
