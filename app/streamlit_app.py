"""maillage: the Streamlit app (``maillage app`` or ``streamlit run app/streamlit_app.py``).

Shared state and the sidebar (language, store) come before ``page.run()``;
each page lives in ``app/app_pages/``. The store URL comes from
``MAILLAGE_STORE`` (default ``embedded://``).
"""

import sys
from pathlib import Path

_ROOT = str(Path(__file__).resolve().parent.parent)
if _ROOT not in sys.path:  # `streamlit run` puts app/ on the path, not the project
    sys.path.insert(0, _ROOT)

import streamlit as st  # noqa: E402

from app.components import contrib, data  # noqa: E402
from app.i18n import t  # noqa: E402

# No Material icons on pages: the frontend turns a page's icon into the favicon, and a
# Material icon favicon is fetched from fonts.gstatic.com (an emoji becomes a data: URL).
st.set_page_config(page_title="maillage", page_icon="🕸️", layout="wide")

if "lang" not in st.session_state:
    st.session_state["lang"] = "fr"
with st.sidebar:
    st.selectbox(t("lang.label"), ["fr", "en"], key="lang",
                 format_func=lambda v: {"fr": "Français", "en": "English"}[v])

PAGES = [
    st.Page("app_pages/home.py", title=t("nav.home"), url_path="accueil",
            default=True),
    st.Page("app_pages/structure.py", title=t("nav.structure"),
            url_path="structure"),
    st.Page("app_pages/network.py", title=t("nav.network"), url_path="reseau"),
    st.Page("app_pages/territories.py", title=t("nav.territories"),
            url_path="territoires"),
    st.Page("app_pages/orientation.py", title=t("nav.orientation"),
            url_path="orientation"),
    st.Page("app_pages/queries.py", title=t("nav.queries"),
            url_path="requetes"),
    st.Page("app_pages/data.py", title=t("nav.data"), url_path="donnees"),
    st.Page("app_pages/contribute.py", title=t("nav.contribute"), url_path="contribuer"),
]
page = st.navigation(PAGES)
with st.sidebar:
    st.caption(f"{t('store.label')} : {data.url().split(':', 1)[0]}")
    contrib.sign_in_box()
page.run()
