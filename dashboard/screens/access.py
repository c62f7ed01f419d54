"""Who may do what: the roles, what each may upload and change, and who holds them."""
import pandas as pd
import streamlit as st

from dashboard import access, queries, ui, views
from dashboard.i18n import t
from pipelines import auth
from pipelines.text import kind_label

lang = ui.lang()
st.title(t("page_access", lang))
if access.login_configured():
    st.caption(t("access_you", lang, email=access.email() or "–", role=access.role_name(access.role(), lang)))
else:
    st.info(t("access_local", lang), icon=":material/info:")
members = dict(queries.settings().roles)
rows = [{"role": access.role_name(r, lang),
         "uploads": ", ".join(kind_label(k, lang) for k in sorted(auth.UPLOADS[r])) or "–",
         "may": ", ".join(t(f"action_{a}", lang) for a in ("strategy", "meeting", "agreement")
                          if auth.may(r, a)) or "–",
         "members": ", ".join(members.get(r, ())) or (t("access_everyone_else", lang) if r == "viewer" else "–")}
        for r in auth.ROLES]
ui.table(views.table(pd.DataFrame(rows), [
    ("role", "col_role", "text"), ("uploads", "col_uploads", "text"), ("may", "col_may", "text"),
    ("members", "col_members", "text")], lang), key="access_roles", hide_index=True)
