"""Helpers for the accessibility browser tests (tests/e2e/test_a11y.py): a page in a chosen colour scheme,
axe-core's WCAG A/AA rules, and what axe does not check (focus rings, chart names and sentences, Plotly text).
"""

from __future__ import annotations

#: axe-core rule tags for WCAG 2.0 and 2.1, levels A and AA (what issue 16 asks for; no best-practice rules).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def themed_page(browser, scheme: str, height: int = 1000):
    """A page whose system colour scheme is ``scheme`` ("light" or "dark"); the app follows it."""
    ctx = browser.new_context(viewport={"width": 1400, "height": height}, permissions=["camera"], color_scheme=scheme)
    pg = ctx.new_page()
    pg.set_default_timeout(30_000)
    pg.theme = scheme
    yield pg
    ctx.close()


def wait_charts_drawn(page) -> None:
    """Wait until every Plotly chart on the page has drawn its text (axe must see the charts' text)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stPlotlyChart\"]')]"
        ".every(c => c.querySelector('.main-svg text'))")


def wait_formulas_drawn(page) -> None:
    """Wait until KaTeX has drawn the page's formulas. Streamlit loads its KaTeX plugin only when a page first shows
    math, and draws nothing in a formula's place until it arrives (a check that ran before it saw no formula at all:
    CI, /backprop and /train at 1,024 px); once it has arrived every formula on the page is drawn with it."""
    page.wait_for_function("() => document.querySelector('.katex') !== null")


def axe_violations(page) -> list[dict]:
    """axe-core's WCAG 2.0/2.1 A and AA violations on the page as it is now (a list of axe result dicts)."""
    from axe_playwright_python.sync_playwright import Axe

    options = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    return Axe().run(page, options=options).response["violations"]


def violation_report(violations: list[dict]) -> str:
    """One line per rule (id, impact, node count, help) and per element (its CSS target and axe's reason)."""
    lines = [f"{sum(len(v['nodes']) for v in violations)} violating elements"]
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}, {len(v['nodes'])}): {v['help']}")
        for node in v["nodes"][:12]:
            why = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"    {', '.join(map(str, node['target']))}: {why}")
    return "\n".join(lines)


def focus_ring(locator) -> tuple[float, float]:
    """(width in px, contrast against the app's background) of the strongest focus indicator drawn around the
    element: its outline, or a box-shadow ring (alpha blended over the background). WCAG 2.4.7 wants it
    visible; 1.4.11 asks 3:1 for what shows a state."""
    return tuple(locator.evaluate(
        """el => {
          const rgba = s => { const m = (s.match(/[\\d.]+/g) || []).map(Number); return m.length >= 3 ? [m[0], m[1], m[2], m.length > 3 ? m[3] : 1] : null; };
          const lum = c => c.slice(0, 3).map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
              .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
          const bg = rgba(getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor);
          const contrast = c => { const f = c.slice(0, 3).map((v, i) => c[3] * v + (1 - c[3]) * bg[i]);
              const [hi, lo] = [lum(f), lum(bg)].sort((x, y) => y - x); return (hi + 0.05) / (lo + 0.05); };
          const s = getComputedStyle(el), rings = [];
          if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) rings.push([parseFloat(s.outlineWidth), rgba(s.outlineColor)]);
          for (const m of s.boxShadow.matchAll(/(rgba?\\([^)]*\\))\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px\\s+(-?[\\d.]+)px/g))
            rings.push([parseFloat(m[5]), rgba(m[1])]);
          let best = [0, 1];
          for (const [w, c] of rings) if (c && w > 0) { const r = contrast(c); if (r > best[1] || best[0] === 0) best = [w, r]; }
          return best;
        }"""))


def app_is_dark(page) -> bool:
    """Whether the app is drawn in its dark theme (its background's relative luminance is low)."""
    return page.evaluate(
        "() => { const m = getComputedStyle(document.querySelector('[data-testid=\"stApp\"]')).backgroundColor"
        ".match(/\\d+/g).map(Number); return (0.2126 * m[0] + 0.7152 * m[1] + 0.0722 * m[2]) < 100; }")


#: The Plotly texts that sit on the chart's background (not on a bar or a heatmap cell, which Plotly colours to
#: contrast with their fill): tick labels, axis and chart titles, legend entries, annotations.
_PLOTLY_TEXT = "g[class$='tick'] > text, text[class$='title'], text.legendtext, text.annotation-text"


def plotly_low_contrast_text(page, minimum: float = 4.5) -> list[str]:
    """Plotly text below ``minimum`` contrast against the chart's background (WCAG 1.4.3), one line each."""
    return page.evaluate(
        """([selector, minimum]) => {
          const rgb = s => (s.match(/[\\d.]+/g) || []).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
              .reduce((acc, v, i) => acc + v * [0.2126, 0.7152, 0.0722][i], 0);
          const app = rgb(getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor);
          const out = [];
          for (const chart of document.querySelectorAll('[data-testid="stPlotlyChart"]')) {
            const svg = chart.querySelector('svg.main-svg');
            const bgc = svg ? rgb(svg.style.background || '') : [];
            const bg = bgc.length >= 3 && (bgc.length < 4 || bgc[3] > 0) ? bgc.slice(0, 3) : app;
            for (const t of chart.querySelectorAll(selector)) {
              if (!t.textContent.trim()) continue;
              const s = getComputedStyle(t), f = rgb(s.fill), a = (f.length > 3 ? f[3] : 1) * Number(s.fillOpacity) * Number(s.opacity);
              const fg = f.slice(0, 3).map((v, i) => a * v + (1 - a) * bg[i]);
              const [hi, lo] = [lum(fg), lum(bg)].sort((x, y) => y - x);
              const ratio = (hi + 0.05) / (lo + 0.05);
              if (ratio < minimum) out.push(`${t.getAttribute('class')} "${t.textContent.slice(0, 30)}": ${s.fill} on rgb(${bg}) = ${ratio.toFixed(2)}:1`);
            }
          }
          return out;
        }""", [_PLOTLY_TEXT, minimum])


def charts_without_text_alternative(page) -> list[str]:
    """Charts lacking an accessible name (``alt=``) or the summary sentence ``ui.widgets.chart`` puts under them."""
    return page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')].flatMap(c => {
          const box = c.closest('[class*="st-key-"]');
          const key = box ? box.className.match(/st-key-(\\S+)/)[1] : '?';
          const problems = [];
          if (!(c.getAttribute('aria-label') || '').trim()) problems.push(`${key}: no accessible name`);
          const summary = document.querySelector(`.st-key-${key}_summary`);
          if (!summary || !summary.textContent.trim()) problems.push(`${key}: no summary sentence`);
          return problems; })""")
