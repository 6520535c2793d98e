"""The planners' dashboard (Streamlit). Thin: it reads the built GeoPackage and shows it.

Started by ``aksugeo app`` or ``streamlit run app.py -- --gpkg out/aksugeo.gpkg``. This first
page shows the build's figures; the interactive map follows.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import streamlit as st

from aksugeo import AksugeoError
from aksugeo.io import read_geopackage

DEFAULT_GPKG = Path(__file__).resolve().parent / "out" / "aksugeo.gpkg"


def _gpkg_path() -> Path:
    args = argparse.ArgumentParser(add_help=False)
    args.add_argument("--gpkg", type=Path, default=DEFAULT_GPKG)
    return args.parse_known_args(sys.argv[1:])[0].gpkg


@st.cache_data
def _load(path: str) -> tuple[object, object, dict[str, str]]:
    precincts = read_geopackage(path, "precincts")
    households = read_geopackage(path, "households")
    import pyogrio

    meta = pyogrio.read_info(path, layer="precincts")["layer_metadata"] or {}
    return precincts, households, meta


st.set_page_config(page_title="aksugeo: Aksu", layout="wide")
st.title("Аксу: избирательные участки")
gpkg = _gpkg_path()
try:
    precincts, households, meta = _load(str(gpkg))
except AksugeoError as exc:
    st.error(str(exc))
    st.stop()
if meta.get("synthetic") == "True":
    st.warning("Синтетические данные: улицы, дома, адреса и участки выдуманы "
               "(SYNTHETIC data set).")
cols = st.columns(4)
cols[0].metric("Участков", len(precincts))
cols[1].metric("Домохозяйств", f"{len(households):,}".replace(",", " "))
cols[2].metric("Избирателей", f"{int(households['voters'].sum()):,}".replace(",", " "))
covered = households["covered"].astype(bool)
cols[3].metric(f"Обход на {meta.get('coverage_as_of', '')}", f"{100 * covered.mean():.1f}%")
st.dataframe(precincts.drop(columns="geometry"), hide_index=True)
