"""The logged-in user and their role (Streamlit's st.login / st.user; rules in pipelines.auth)."""
from __future__ import annotations

import streamlit as st

from dashboard import queries
from dashboard.i18n import t
from pipelines import auth


def login_configured() -> bool:
    """A login is set up in Streamlit's [auth] secrets (the app's or the user's secrets.toml)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets file at all: the local single-user mode
        return False


def email() -> str | None:
    if not login_configured():
        return None
    try:
        return str(st.user.get("email")) if st.user.get("is_logged_in") and st.user.get("email") else None
    except Exception:  # noqa: BLE001
        return None


def role() -> str:
    """The user's role; the single local user may do everything."""
    if not login_configured():
        return auth.LOCAL_ROLE
    return auth.role_for(email(), queries.settings().roles)


def role_name(name: str, lang: str) -> str:
    return t(f"role_{name}", lang)


def may(action: str) -> bool:
    return auth.may(role(), action)


def refused(action: str, lang: str) -> str:
    """Why the user's role may not `action`, naming the roles that may."""
    allowed = [role_name(r, lang) for r in auth.ROLES if auth.may(r, action)]
    return t("access_refused", lang, role=role_name(role(), lang), action=t(f"action_{action}", lang),
             roles=", ".join(allowed))
