"""Page-wide accessibility fixes that Streamlit's theme options cannot express (issue 16).

A few CSS rules, injected once per run by ``streamlit_app.py`` through ``st.html`` (a style-only block takes
no space on the page). Each rule says which WCAG criterion it serves; tests/e2e/test_a11y.py checks them with
axe-core and the keyboard. Colours use CSS ``light-dark()``: Streamlit sets ``color-scheme`` on the app to the
theme in use, so a visitor who overrides the system theme in the settings menu gets the matching colour.
"""

from __future__ import annotations

import streamlit as st

from .code import LISTING_CSS  # its token colours are held to 4.5:1 there

#: Focus ring colours: #1f6feb is 4.6:1 on the light background, #58a6ff 7.2:1 on the dark one (≥ 3:1 needed
#: for a focus indicator, WCAG 1.4.11); the themes' own ring is the primary colour at 50 % alpha (~2:1).
RING_LIGHT, RING_DARK = "#1f6feb", "#58a6ff"
#: Text on primary buttons in the dark theme: white on #58a6ff is 2.5:1, this near-black is 8.3:1 (WCAG 1.4.3).
DARK_ON_PRIMARY = "#0e0d0c"
#: Streamlit's Plotly theme draws tick labels, axis titles, legends' and annotations' text in #808495 in the
#: light theme: 3.7:1 on white. This slate is 5.7:1 on white (5.1:1 on the grey secondary background); in the
#: dark theme that grey does not occur (its text is #e6eaf1, 15:1), and #808495 would be 4.9:1 there anyway.
PLOTLY_FADED, PLOTLY_FADED_LIGHT = "rgb(128, 132, 149)", "#62667a"

CSS = f"""<style>
/* 2.4.7 focus visible: a solid ring around a focused button, link, slider thumb or radio. */
.stApp button:focus-visible, .stApp a:focus-visible, .stApp [role="tab"]:focus-visible,
.stApp [data-testid="stSlider"] [data-focus-visible], .stApp label:has(input:focus-visible) {{
  outline: 3px solid light-dark({RING_LIGHT}, {RING_DARK}) !important;
  outline-offset: 2px;
}}
/* 1.4.3 contrast: the dark theme's primary colour is light, so the text on a primary button is dark. */
.stApp [data-testid="stBaseButton-primary"] {{
  color: light-dark(#ffffff, {DARK_ON_PRIMARY});
}}
/* 1.4.3 contrast: the one low-contrast grey of Streamlit's Plotly theme (set inline by Plotly), darkened. */
.stApp .js-plotly-plot text[style*="fill: {PLOTLY_FADED};"] {{
  fill: light-dark({PLOTLY_FADED_LIGHT}, #808495) !important;
}}
/* 1.4.3 contrast: inline code in a caption is drawn in the code colour faded like the caption (3.0:1 on the
   light background); it takes the caption's own colour instead, still set in monospace. */
.stApp [data-testid="stCaptionContainer"] code {{
  color: inherit;
}}
/* 2.1.1 keyboard: KaTeX glyphs overhang their box by a pixel or two, which made a displayed formula a
   scroll container that no key can reach; a little padding holds the overhang. */
.stApp .katex-display > .katex {{
  padding-inline: 0.2em;
}}
</style>"""


def apply_styles() -> None:
    """Inject :data:`CSS` and the code listings' styles (call once per script run, from the entry script)."""
    st.html(CSS + LISTING_CSS)
