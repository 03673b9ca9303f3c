"""Single sign-on with OpenID Connect: the authorization-code flow with PKCE, state and nonce.

The identity provider is found through its discovery document (``web.oidc_discovery_url``).
A sign-in stores only the hash of its random ``state`` with the ``nonce`` and the PKCE
``code_verifier`` (table ``oidc_logins``, one use, ten minutes); the browser also carries the
state in a cookie, so a callback started in another browser is refused. The ID token is
verified with the provider's published keys (signature, issuer, audience, expiry, nonce)
before its e-mail address is read. Authlib builds the authorization request and the PKCE
challenge; joserfc verifies the token.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
import threading
from dataclasses import dataclass
from typing import Any

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import (
    BadSignatureError,
    ExpiredTokenError,
    InvalidClaimError,
    JoseError,
    MissingClaimError,
)
from joserfc.jwk import KeySet
from sqlalchemy.orm import Session as DBSession

from ..settings import WebSettings
from .auth import token_hash
from .store import OidcLogin, now

__all__ = ["OidcClient", "OidcError", "Identity", "CALLBACK_PATH"]

CALLBACK_PATH = "/login/oidc/callback"
PENDING_MINUTES = 10
ALGORITHMS = ("RS256", "PS256", "ES256")
LEEWAY_SECONDS = 60
TIMEOUT_SECONDS = 10.0


class OidcError(Exception):
    """A sign-in the app refuses; the message is a sentence for the person signing in."""

    def __init__(self, message: str, status: int = 401) -> None:
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class Identity:
    """Who the identity provider vouches for."""

    subject: str
    email: str
    issuer: str


class OidcClient:
    """The relying party: discovery, the authorization request, the code exchange, the ID
    token's verification. One per process; the discovery document and keys are cached."""

    def __init__(self, web: WebSettings, base_url: str) -> None:
        self.discovery_url = web.oidc_discovery_url
        self.client_id = web.oidc_client_id
        self.client_secret = (web.oidc_client_secret.get_secret_value()
                              or os.environ.get("TIEGUARD_OIDC_CLIENT_SECRET", ""))
        self.scopes = web.oidc_scopes
        self.redirect_uri = base_url.rstrip("/") + CALLBACK_PATH
        self._lock = threading.Lock()
        self._metadata: dict[str, Any] | None = None
        self._keys: KeySet | None = None

    # -- the provider's documents -----------------------------------------------------------

    def _get_json(self, url: str, what: str) -> dict[str, Any]:
        try:
            response = httpx.get(url, timeout=TIMEOUT_SECONDS, follow_redirects=True)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"The identity provider's {what} at {url} could not be read ({exc}). "
                            "Check web.oidc_discovery_url, or try again when the provider is "
                            "reachable.", 502) from exc
        if not isinstance(data, dict):
            raise OidcError(f"The identity provider's {what} at {url} is not a JSON object; "
                            "check web.oidc_discovery_url.", 502)
        return data

    def metadata(self) -> dict[str, Any]:
        with self._lock:
            if self._metadata is None:
                data = self._get_json(self.discovery_url, "discovery document")
                missing = [k for k in ("issuer", "authorization_endpoint", "token_endpoint",
                                       "jwks_uri") if not data.get(k)]
                if missing:
                    raise OidcError(f"The discovery document at {self.discovery_url} lacks "
                                    f"{', '.join(missing)}; check web.oidc_discovery_url.", 502)
                self._metadata = data
            return self._metadata

    def keys(self, refresh: bool = False) -> KeySet:
        with self._lock:
            cached = self._keys
        if cached is not None and not refresh:
            return cached
        data = self._get_json(str(self.metadata()["jwks_uri"]), "key set")
        try:
            keys = KeySet.import_key_set(data)  # type: ignore[arg-type]
        except (JoseError, ValueError, KeyError, TypeError) as exc:
            raise OidcError(f"The identity provider's key set is not usable ({exc}).", 502) from exc
        with self._lock:
            self._keys = keys
        return keys

    # -- the flow ----------------------------------------------------------------------------

    def start(self, db: DBSession) -> tuple[str, str]:
        """A new sign-in: its ``state`` (for the browser's cookie) and the URL to send it to."""
        state, nonce, verifier = generate_token(32), generate_token(32), generate_token(64)
        db.query(OidcLogin).filter(OidcLogin.created_at < _expired()).delete()
        db.add(OidcLogin(state_hash=token_hash(state), nonce=nonce, code_verifier=verifier))
        db.commit()
        url = prepare_grant_uri(
            str(self.metadata()["authorization_endpoint"]), self.client_id, "code",
            redirect_uri=self.redirect_uri, scope=self.scopes, state=state, nonce=nonce,
            code_challenge=create_s256_code_challenge(verifier), code_challenge_method="S256")
        return state, url

    def finish(self, db: DBSession, state: str, cookie_state: str, code: str) -> Identity:
        """The identity of a callback, or :class:`OidcError`; the sign-in is used up."""
        if not state or not cookie_state or not hmac.compare_digest(state, cookie_state):
            raise OidcError("This sign-in did not start in this browser (or its cookie expired). "
                            "Start the sign-in again from the sign-in page.", 400)
        pending = db.get(OidcLogin, token_hash(state))
        if pending is not None:
            db.delete(pending)
            db.commit()
        if pending is None or pending.created_at < _expired():
            raise OidcError("This sign-in has expired or was used already. Start it again from "
                            "the sign-in page.", 400)
        id_token = self._exchange(code, pending.code_verifier)
        return self.verify(id_token, pending.nonce)

    def _exchange(self, code: str, verifier: str) -> str:
        endpoint = str(self.metadata()["token_endpoint"])
        try:
            response = httpx.post(endpoint, timeout=TIMEOUT_SECONDS, auth=(
                self.client_id, self.client_secret), data={
                "grant_type": "authorization_code", "code": code, "code_verifier": verifier,
                "redirect_uri": self.redirect_uri, "client_id": self.client_id})
            body = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise OidcError(f"The identity provider's token endpoint {endpoint} did not answer "
                            f"({exc}); try again.", 502) from exc
        if response.status_code != 200 or not isinstance(body, dict) or not body.get("id_token"):
            reason = f"HTTP {response.status_code}"
            if isinstance(body, dict):
                reason = str(body.get("error_description") or body.get("error") or reason)
            raise OidcError(f"The identity provider refused to complete the sign-in ({reason}). "
                            "Check web.oidc_client_id and the client secret, then start again.")
        return str(body["id_token"])

    def verify(self, id_token: str, nonce: str) -> Identity:
        """Signature (the provider's keys), issuer, audience, expiry and nonce; then e-mail."""
        claims = self._decode(id_token)
        issuer = str(self.metadata()["issuer"])
        registry = jwt.JWTClaimsRegistry(
            leeway=LEEWAY_SECONDS, iss={"essential": True, "value": issuer},
            sub={"essential": True}, exp={"essential": True}, iat={"essential": True},
            nonce={"essential": True, "value": nonce})
        try:
            registry.validate(claims)
        except ExpiredTokenError as exc:
            raise OidcError("The identity provider's ID token has expired; sign-in refused. "
                            "Check the server's clock and start again.") from exc
        except (InvalidClaimError, MissingClaimError) as exc:
            raise OidcError(f"The identity provider's ID token is not valid for this sign-in "
                            f"({exc}); sign-in refused.") from exc
        audience = claims.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.client_id not in audiences or (len(audiences) > 1
                                               and claims.get("azp") != self.client_id):
            raise OidcError("The ID token was issued to another application (audience); "
                            "sign-in refused. Check web.oidc_client_id.")
        email = str(claims.get("email") or "").strip()
        if not email or claims.get("email_verified") is False:
            raise OidcError("The identity provider sent no verified e-mail address, which "
                            "tieguard needs to find you in the roster. Ask for the 'email' "
                            "scope (web.oidc_scopes) and a verified address.", 403)
        return Identity(str(claims["sub"]), email, issuer)

    def _decode(self, id_token: str) -> dict[str, Any]:
        for refresh in (False, True):  # a key the cache lacks: the provider rotated its keys
            try:
                return dict(jwt.decode(id_token, self.keys(refresh), algorithms=ALGORITHMS).claims)
            except (BadSignatureError, ValueError, JoseError) as exc:
                if refresh:
                    raise OidcError("The identity provider's ID token does not carry a valid "
                                    f"signature of its keys ({type(exc).__name__}); sign-in "
                                    "refused.") from exc
        raise AssertionError("unreachable")


def _expired() -> dt.datetime:
    return now() - dt.timedelta(minutes=PENDING_MINUTES)
