"""Login with roles in a real browser, offline: a small OIDC provider on loopback (discovery,
authorize that logs in a fixed user at once, token with an RS256 id_token, jwks); the Vertrieb
user is refused a capacity upload and stores a forecast under her e-mail (issue 11)."""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import duckdb
import pytest

from harness import REPO, free_port, serve, shot, wait_idle

pytestmark = pytest.mark.browser
SAMPLE = REPO / "data" / "sample"
USER = "vera@vertrieb.alpenhof.de"
CLIENT_ID, CLIENT_SECRET = "einklang-test", "stub-secret"


@contextlib.contextmanager
def oidc_provider(email: str):
    """A minimal OIDC provider on 127.0.0.1 that logs in `email` without asking; yields its issuer."""
    import warnings

    import authlib.deprecate  # noqa: F401 - it sets its warning to "always" when first imported
    with warnings.catch_warnings():  # authlib.jose is deprecated for joserfc, still fine for a stub
        warnings.simplefilter("ignore")
        from authlib.jose import JsonWebKey, jwt
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    pem = rsa.generate_private_key(public_exponent=65537, key_size=2048).private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption())
    key = JsonWebKey.import_key(pem, {"kty": "RSA", "kid": "stub", "use": "sig", "alg": "RS256"})
    public = dict(key.as_dict(is_private=False), kid="stub", use="sig", alg="RS256")
    port = free_port()
    issuer = f"http://127.0.0.1:{port}"
    codes: dict[str, str] = {}  # code -> nonce
    calls: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):  # quiet
            pass

        def _json(self, body: dict, status: int = 200):
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):
            url = urllib.parse.urlsplit(self.path)
            calls.append(url.path)
            if url.path == "/.well-known/openid-configuration":
                return self._json({
                    "issuer": issuer, "authorization_endpoint": issuer + "/authorize",
                    "token_endpoint": issuer + "/token", "jwks_uri": issuer + "/jwks",
                    "userinfo_endpoint": issuer + "/userinfo",
                    "response_types_supported": ["code"], "subject_types_supported": ["public"],
                    "id_token_signing_alg_values_supported": ["RS256"],
                    "scopes_supported": ["openid", "email", "profile"],
                    "token_endpoint_auth_methods_supported": ["client_secret_basic", "client_secret_post"]})
            if url.path == "/jwks":
                return self._json({"keys": [public]})
            if url.path == "/userinfo":
                return self._json({"sub": "vera", "email": email, "email_verified": True})
            if url.path == "/authorize":
                q = dict(urllib.parse.parse_qsl(url.query))
                code = secrets.token_urlsafe(16)
                codes[code] = q.get("nonce", "")
                back = q["redirect_uri"] + "?" + urllib.parse.urlencode({"code": code, "state": q.get("state", "")})
                self.send_response(302)
                self.send_header("Location", back)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._json({"error": "not_found"}, 404)

        def do_POST(self):
            url = urllib.parse.urlsplit(self.path)
            calls.append(url.path)
            length = int(self.headers.get("Content-Length") or 0)
            form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode()))
            if url.path != "/token" or form.get("code") not in codes:
                return self._json({"error": "invalid_grant"}, 400)
            nonce = codes.pop(form["code"])
            now = int(time.time())
            claims = {"iss": issuer, "aud": CLIENT_ID, "sub": "vera", "email": email,
                      "email_verified": True, "name": "Vera Vertrieb", "iat": now, "exp": now + 600}
            if nonce:
                claims["nonce"] = nonce
            id_token = jwt.encode({"alg": "RS256", "kid": "stub"}, claims, key).decode()
            self._json({"access_token": secrets.token_urlsafe(16), "token_type": "Bearer",
                        "expires_in": 600, "id_token": id_token})

    server = ThreadingHTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield issuer, calls
    finally:
        server.shutdown()
        server.server_close()


def _upload(page, name: str) -> None:
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(SAMPLE / name))


def test_vertrieb_logs_in_is_refused_capacity_and_stores_a_forecast(browser, tmp_path, monkeypatch):
    from pipelines import store
    db = tmp_path / "login.duckdb"
    store.connect(db).close()
    config = tmp_path / "einklang.toml"
    config.write_text('[einklang.roles]\nvertrieb = ["@vertrieb.alpenhof.de"]\nsop = ["anna@alpenhof.de"]\n',
                      encoding="utf-8")
    monkeypatch.setenv("EINKLANG_CONFIG", str(config))
    monkeypatch.delenv("EINKLANG_ROLES", raising=False)
    port = free_port()
    with oidc_provider(USER) as (issuer, calls):
        secrets_file = tmp_path / "secrets.toml"
        secrets_file.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            f'cookie_secret = "{secrets.token_hex(32)}"\n'
            f'client_id = "{CLIENT_ID}"\n'
            f'client_secret = "{CLIENT_SECRET}"\n'
            f'server_metadata_url = "{issuer}/.well-known/openid-configuration"\n', encoding="utf-8")
        with serve(db, port=port, extra_args=[f"--secrets.files={secrets_file}"]) as url:
            context = browser.new_context(viewport={"width": 1600, "height": 1000}, locale="de-DE")
            page = context.new_page()
            try:
                page.goto(url + "/")
                wait_idle(page)
                page.get_by_role("heading", name="Bitte anmelden").wait_for(timeout=20_000)
                page.get_by_role("button", name="Anmelden").click()
                # the provider logs in at once and sends the browser back to the app
                page.get_by_text(USER).first.wait_for(timeout=30_000)
                wait_idle(page)
                assert "Rolle Vertrieb" in page.locator('[data-testid="stSidebar"]').inner_text()
                assert "/authorize" in calls and "/token" in calls
                shot(page, "login_01_logged_in")

                page.goto(url + "/upload")
                wait_idle(page)
                _upload(page, "Kapazitaet_2027.xlsx")
                refusal = page.get_by_text("Die Rolle Vertrieb darf Kapazität nicht hochladen")
                refusal.first.wait_for(timeout=30_000)
                wait_idle(page)
                message = page.locator('[data-testid="stAlertContentError"]').all_inner_texts()
                text = " ".join(message)
                assert "Kapazitaet_2027.xlsx" in text and "Erlaubt sind: Absatzprognose" in text, text
                assert page.get_by_role("button", name="Übernehmen").count() == 0
                shot(page, "login_02_capacity_refused")

                _upload(page, "Absatzplanung_KW48_2026.xlsx")
                page.get_by_text("noch nichts gespeichert").wait_for(timeout=30_000)
                wait_idle(page)
                page.get_by_role("button", name="Übernehmen").click()
                page.get_by_text("übernommen").first.wait_for(timeout=30_000)
                wait_idle(page)
                shot(page, "login_03_forecast_stored")
            finally:
                context.close()
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select kind, user_name from versions").fetchall()
    finally:
        con.close()
    assert rows == [("forecast", USER)], rows
