"""The page table and the client-side page switch.

Every view is built once per client and kept in the DOM; which one shows is decided by one attribute on ``<html>``
(``data-ocrw-view``) and CSS. A click on a navigation link sets that attribute and pushes the URL in the browser's
own click handler, so the target view and the active navigation item are painted in the same frame as the click,
before the server hears of it. ``ui.sub_pages`` still owns the URL: it turns the same click (and back/forward) into
a server-side path change, answers unknown paths with a 404, and the shell mirrors the path into the server-side
model from there.
"""

from __future__ import annotations

import json
from dataclasses import dataclass


@dataclass(frozen=True)
class Page:
    key: str
    path: str
    label: str
    icon: str


PAGES: tuple[Page, ...] = (
    Page('overview', '/', 'Overview', 'dashboard'),
    Page('train', '/train', 'Train', 'model_training'),
    Page('test', '/test', 'Test', 'fact_check'),
    Page('predict', '/predict', 'Predict', 'batch_prediction'),
    Page('jobs', '/jobs', 'Jobs', 'terminal'),
)

MISSING = 'missing'
"""The view key for a path no page owns: every pane is hidden and ``ui.sub_pages`` shows its 404."""


def page_for_path(path: str) -> Page | None:
    """The page a URL path belongs to (query and fragment ignored, trailing slash tolerated)."""
    clean = path.split('?', 1)[0].split('#', 1)[0].rstrip('/') or '/'
    return next((page for page in PAGES if page.path == clean), None)


def _css() -> str:
    shown = ',\n'.join(f'html[data-ocrw-view="{p.key}"] .ocrw-pane[data-pane="{p.key}"]' for p in PAGES)
    active = ',\n'.join(f'html[data-ocrw-view="{p.key}"] a.ocrw-nav[data-nav="{p.key}"]' for p in PAGES)
    # Hidden panes use content-visibility instead of display:none: the browser keeps their computed style and
    # layout, so showing one again only paints it (display:none throws both away and a switch re-styles ~1000 nodes).
    # Hidden panes collapse to zero height (size containment) and are skipped for painting, focus and find-in-page.
    return f'''
.ocrw-pane {{ content-visibility: hidden; contain-intrinsic-size: none; }}
.ocrw-pane.ocrw-warm {{ content-visibility: visible; visibility: hidden; position: absolute; left: 0; right: 0; }}
{shown} {{ content-visibility: visible; }}
a.ocrw-nav {{ border-left: 4px solid transparent; }}
{active},
a.ocrw-nav[data-ocrw-pressed] {{
  background: rgba(21, 101, 192, 0.12); border-left-color: var(--q-primary); color: var(--q-primary); font-weight: 600;
}}
'''


def _script() -> str:
    views = json.dumps({p.path: p.key for p in PAGES})
    return f'''
(() => {{
  const VIEWS = {views};
  const html = document.documentElement;
  const viewOf = (path) => VIEWS[path.replace(/\\/+$/, "") || "/"] || "{MISSING}";
  const show = (view) => {{
    if (html.dataset.ocrwView === view) return;
    html.dataset.ocrwView = view;
    for (const link of document.querySelectorAll("a.ocrw-nav")) {{
      if (link.dataset.nav === view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }}
  }};
  show(viewOf(location.pathname));
  window.ocrwShow = show;  // for switches the server starts (e.g. "show in Jobs"): same effect as a click
  document.addEventListener("click", (event) => {{
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a.ocrw-nav");
    if (!link) return;
    event.preventDefault();
    const path = link.getAttribute("href");
    show(viewOf(path));
    if (location.pathname !== path) history.pushState({{ page: path }}, "", path);
  }}, true);
  // Press feedback: the pressed item takes the active look on pointerdown, in its own (cheap) frame, before the
  // click that switches the view; cleared after the click (which keeps it active) or when the press is abandoned.
  const pressed = () => document.querySelectorAll("a.ocrw-nav[data-ocrw-pressed]");
  const release = () => {{ for (const link of pressed()) link.removeAttribute("data-ocrw-pressed"); }};
  document.addEventListener("pointerdown", (event) => {{
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a.ocrw-nav");
    if (link) link.setAttribute("data-ocrw-pressed", "");
  }}, true);
  document.addEventListener("pointerup", () => setTimeout(release, 0), true);  // after the click it produces
  document.addEventListener("pointercancel", release, true);
  window.addEventListener("popstate", () => show(viewOf(location.pathname)));
  // Style and lay out each hidden pane once, in idle time after the server built it, so that even the first visit
  // of a page only needs a paint. content-visibility:hidden then keeps that work for later switches.
  const idle = (callback) => window.requestIdleCallback
    ? requestIdleCallback(callback, {{ timeout: 500 }}) : setTimeout(callback, 50);
  const warm = () => {{
    if (document.querySelector(".ocrw-pane") && !document.querySelector(".ocrw-pane:not([data-warm])")) return;
    const built = document.querySelector(".ocrw-pane:not([data-warm]) > [data-built]");
    if (!built) return setTimeout(() => idle(warm), 250);
    const pane = built.parentElement;
    pane.setAttribute("data-warm", "");
    if (pane.dataset.pane !== html.dataset.ocrwView) {{
      pane.classList.add("ocrw-warm");
      void pane.offsetHeight;
      pane.classList.remove("ocrw-warm");
    }}
    idle(warm);
  }};
  idle(warm);
}})();
'''


HEAD_HTML = f'<style>{_css()}</style>\n<script>{_script()}</script>'
"""Added to every page's ``<head>``: the script runs before the body is parsed, so a reload paints the right view."""
