"""Streamlit alone: the dashboard's anchor in benchmarks/dashboard.py (no data, no map library).

The same shape as the dashboard's first screen (a title, a sidebar with a select and a
multiselect, six figures in one element, a component that draws one marker per precinct kept),
with nothing computed: what a page costs on this machine before our code does anything.
"""

import streamlit as st

AREAS = {"urban": 22, "rural": 18}
DOTS = """
export default function (c) {
  const box = c.parentElement;
  box.replaceChildren(...Array.from({length: c.data.n}, () => {
    const d = document.createElement("div");
    d.className = "precinct-marker";
    d.style.cssText = "display:inline-block;width:10px;height:10px;margin:2px;background:#444";
    return d;
  }));
}
"""
dots = st.components.v2.component("floor_dots", js=DOTS, isolate_styles=False)

st.set_page_config(page_title="floor", layout="wide")
st.sidebar.selectbox("Язык · Тіл · Language", ["ru", "kk", "en"])
chosen = st.sidebar.multiselect("Тип местности", list(AREAS), placeholder="любой")
st.title("Streamlit alone")
n = sum(AREAS[a] for a in chosen) or sum(AREAS.values())
st.html("<dl class='aksugeo-figures'>" + "".join(  # the dashboard's six figures, one element
    f"<div class='aksugeo-figure'><dt>Участки</dt><dd>{value}</dd></div>"
    for value in (n, n * 2, n * 3, n * 4, n * 5, f"{n} / {n}")) + "</dl>")
dots(key="dots", data={"n": n}, height=100)
