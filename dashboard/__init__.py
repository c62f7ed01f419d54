"""The Streamlit dashboard: app.py is the entry, screens/ one thin file per page."""
