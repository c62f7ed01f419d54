"""Login and roles: without [auth] the app is the local single user's; with it, roles from
[einklang.roles] decide who may upload which kind, change the strategy, run meetings, agree."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines import auth, store

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ROLES = {"sop": ["anna@alpenhof.de"], "vertrieb": ["@vertrieb.alpenhof.de"],
         "betrieb": ["@werk.alpenhof.de", "bernd@alpenhof.de"]}
AUTH = {"redirect_uri": "http://127.0.0.1:8501/oauth2callback", "cookie_secret": "x" * 32,
        "client_id": "einklang", "client_secret": "s",
        "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}


def test_roles_from_addresses_and_domains():
    assert auth.role_for("Anna@Alpenhof.de", ROLES) == "sop"
    assert auth.role_for("vera@vertrieb.alpenhof.de", ROLES) == "vertrieb"
    assert auth.role_for("bernd@alpenhof.de", ROLES) == "betrieb"       # an address beats no match
    assert auth.role_for("eve@alpenhof.de", ROLES) == "viewer"
    assert auth.role_for("x@evil-vertrieb.alpenhof.de.com", ROLES) == "viewer"
    assert auth.role_for(None, ROLES) == "viewer"
    assert auth.may_upload("vertrieb", "forecast") and not auth.may_upload("vertrieb", "capacity")
    assert auth.may_upload("betrieb", "capacity") and not auth.may_upload("betrieb", "markets")
    assert auth.may("vertrieb", "agreement") and not auth.may("viewer", "agreement")
    assert auth.may("sop", "strategy") and not auth.may("betrieb", "strategy")
    assert auth.check_roles({"chef": ["a@b"], "sop": ["nobody"]}) == [
        "unknown role 'chef' (known: sop, vertrieb, betrieb, viewer)", "sop: 'nobody' is neither an address nor an @domain"]


@pytest.fixture
def logged_in(app, monkeypatch):
    def make(db: Path, email: str | None, lang: str = "de"):
        monkeypatch.setenv("EINKLANG_ROLES", json.dumps(ROLES))
        at = app(db, lang)
        at.secrets["auth"] = AUTH
        at.user = {"is_logged_in": True, "email": email} if email else {"is_logged_in": False}
        return at
    return make


def test_without_auth_the_app_says_it_is_local(app, empty_db):
    at = app(empty_db).run()
    assert not at.exception
    assert any("Ohne Anmeldung" in c.value for c in at.sidebar.caption)


def test_logged_out_sees_only_the_login(logged_in, empty_db):
    at = logged_in(empty_db, None).run()
    assert not at.exception
    assert at.title[0].value == "Bitte anmelden" and at.button(key="login")
    assert not at.get("file_uploader")


def _upload(at, name: str):
    at.run()
    at.switch_page("screens/upload.py").run()
    at.file_uploader(key="upload_files").upload(name, (SAMPLE / name).read_bytes(), XLSX).run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def test_vertrieb_is_refused_a_capacity_upload(logged_in, empty_db):
    at = _upload(logged_in(empty_db, "vera@vertrieb.alpenhof.de"), "Kapazitaet_2027.xlsx")
    message = " ".join(e.value for e in at.error).replace("\\", "")
    assert "Kapazitaet_2027.xlsx: Die Rolle Vertrieb darf Kapazität nicht hochladen" in message, message
    assert "Erlaubt sind: Absatzprognose" in message
    assert not [b for b in at.button if b.key and b.key.startswith("store_")]


def test_vertrieb_stores_a_forecast_under_their_email(logged_in, tmp_path):
    db = tmp_path / "v.duckdb"
    store.connect(db).close()
    at = _upload(logged_in(db, "vera@vertrieb.alpenhof.de"), "Absatzplanung_KW48_2026.xlsx")
    assert not at.error, [e.value for e in at.error]
    next(b for b in at.button if b.key and b.key.startswith("store_")).click().run()
    assert not at.exception
    from dashboard.queries import cursor
    with cursor(str(db)) as cur:
        users = cur.execute("select kind, user_name from versions").fetchall()
    assert users == [("forecast", "vera@vertrieb.alpenhof.de")]


def test_viewer_may_not_change_the_strategy(logged_in, empty_db):
    at = logged_in(empty_db, "eve@alpenhof.de").run()
    at.switch_page("screens/strategy.py").run()
    assert not at.exception
    assert at.button(key="sg_save").disabled
    assert any("darf die Strategie ändern nicht" in c.value for c in at.caption)


def test_the_access_page_lists_roles_and_members(logged_in, empty_db):
    at = logged_in(empty_db, "anna@alpenhof.de", "en").run()
    at.switch_page("screens/access.py").run()
    assert not at.exception
    roles = at.dataframe[0].value
    assert list(roles["Role"]) == ["S&OP", "Sales", "Operations", "Viewer"]
    assert roles.iloc[1]["who (e-mail or @domain)"] == "@vertrieb.alpenhof.de"
    assert "sales forecast" in roles.iloc[1]["may upload"] and "capacity" not in roles.iloc[1]["may upload"]
    assert "anna@alpenhof.de" in at.caption[0].value.replace("\\", "")


def test_strategy_editors_render_on_an_empty_store(app, empty_db):
    at = app(empty_db).run()
    at.switch_page("screens/strategy.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert len(at.data_editor) == 4 and not at.button(key="sg_save").disabled
