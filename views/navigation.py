"""The page table and the client-side page switch.

Every view is built once per client and kept in the DOM; which one shows is decided by one attribute on ``<html>``
(``data-ocrw-view``) and CSS. A click on a navigation link sets that attribute in the browser's own click handler, so
the target view and the active navigation item are painted in the frame after the click; only once that frame is
done does the script push the URL and tell the server. ``ui.sub_pages`` still owns the URL on the server: it turns
that notice (and back/forward) into a server-side path change, answers unknown paths with a 404, and the shell
mirrors the path into the server-side model from there.
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

FIRST_PAINT_EVENT = 'ocrw_first_paint'
"""Sent by the browser in the first frame after the socket handshake: the server then sends the rest of the page."""

MISSING = 'missing'
"""The view key for a path no page owns: every pane is hidden and ``ui.sub_pages`` shows its 404."""


def page_for_path(path: str) -> Page | None:
    """The page a URL path belongs to (query and fragment ignored, trailing slash tolerated)."""
    clean = path.split('?', 1)[0].split('#', 1)[0].rstrip('/') or '/'
    return next((page for page in PAGES if page.path == clean), None)


_FRAME_CSS = '''
:root { --ocrw-header-h: 52px; --ocrw-drawer-w: 208px; }
.ocrw-header {
  position: fixed; top: 0; left: 0; right: 0; height: var(--ocrw-header-h); z-index: 2000;
  box-shadow: 0 1px 5px rgba(0, 0, 0, .2), 0 2px 2px rgba(0, 0, 0, .14), 0 3px 1px -2px rgba(0, 0, 0, .12);
}
.ocrw-drawer-toggle {
  display: inline-flex; align-items: center; justify-content: center; flex-shrink: 0; width: 40px; height: 40px;
  border: 0; border-radius: 50%; background: transparent; color: inherit; font-size: 24px; cursor: pointer;
}
.ocrw-drawer-toggle:hover { background: rgba(255, 255, 255, .15); }
.ocrw-drawer-toggle:focus-visible, .ocrw-chip:focus-visible { outline: 2px solid currentColor; outline-offset: 2px; }
.ocrw-chip {
  display: inline-flex; align-items: center; gap: 4px; flex-shrink: 0; height: 24px; padding: 0 10px 0 6px;
  border: 0; border-radius: 12px; background: #fff; color: var(--q-primary); font: inherit; font-size: 13px;
  cursor: pointer;
}
.ocrw-drawer {
  position: fixed; top: var(--ocrw-header-h); bottom: 0; left: 0; width: var(--ocrw-drawer-w); z-index: 1000;
  overflow-y: auto; border-right: 1px solid rgba(0, 0, 0, .12);
}
.ocrw-drawer-backdrop { display: none; }
.nicegui-content { padding-top: calc(var(--ocrw-header-h) + var(--nicegui-default-padding)); }
@media (min-width: 1024px) {
  html:not([data-ocrw-drawer="hidden"]) .nicegui-content {
    padding-left: calc(var(--ocrw-drawer-w) + var(--nicegui-default-padding));
  }
  html[data-ocrw-drawer="hidden"] .ocrw-drawer { visibility: hidden; transform: translateX(-100%); }
}
@media (max-width: 1023.98px) {
  html:not([data-ocrw-drawer="shown"]) .ocrw-drawer { visibility: hidden; transform: translateX(-100%); }
  html[data-ocrw-drawer="shown"] .ocrw-drawer { box-shadow: 0 0 10px 2px rgba(0, 0, 0, .2); }
  html[data-ocrw-drawer="shown"] .ocrw-drawer-backdrop {
    display: block; position: fixed; inset: var(--ocrw-header-h) 0 0 0; z-index: 999; background: rgba(0, 0, 0, .4);
  }
}
'''
"""The frame: a fixed header, and a page drawer docked on wide screens (the menu button hides it) and laid over the
page on narrow ones (the menu button shows it; a pick, the backdrop or Escape closes it)."""


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
{_FRAME_CSS}
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
  const afterPaint = (callback) => requestAnimationFrame(() => setTimeout(callback, 0));
  const show = (view) => {{
    if (html.dataset.ocrwView === view) return;
    html.dataset.ocrwView = view;
    for (const link of document.querySelectorAll("a.ocrw-nav")) {{
      if (link.dataset.nav === view) link.setAttribute("aria-current", "page");
      else link.removeAttribute("aria-current");
    }}
  }};
  show(viewOf(location.pathname));
  const wide = window.matchMedia("(min-width: 1024px)");
  const drawerShown = () => (wide.matches ? html.dataset.ocrwDrawer !== "hidden" : html.dataset.ocrwDrawer === "shown");
  const setDrawer = (state) => {{  // "hidden" (wide), "shown" (narrow) or null: the screen size's default
    if (state) html.dataset.ocrwDrawer = state;
    else delete html.dataset.ocrwDrawer;
    for (const button of document.querySelectorAll("button[data-ocrw-drawer-toggle]")) {{
      button.setAttribute("aria-expanded", String(drawerShown()));
    }}
  }};
  const closeOverlay = () => {{ if (!wide.matches && drawerShown()) setDrawer(null); }};
  wide.addEventListener("change", () => setDrawer(null));
  document.addEventListener("click", (event) => {{
    if (!(event.target.closest && event.target.closest("[data-ocrw-drawer-toggle]"))) return;
    setDrawer(drawerShown() ? (wide.matches ? "hidden" : null) : (wide.matches ? null : "shown"));
  }});
  document.addEventListener("keydown", (event) => {{ if (event.key === "Escape") closeOverlay(); }});
  window.ocrwShow = show;  // for switches the server starts (e.g. "show in Jobs"): same effect as a click
  document.addEventListener("click", (event) => {{
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target.closest && event.target.closest("a.ocrw-nav");
    if (!link) return;
    event.preventDefault();
    event.stopPropagation();  // ui.sub_pages' own click handler would tell the server now, inside this frame
    const path = link.getAttribute("href");
    show(viewOf(path));
    closeOverlay();
    // The URL and the server follow once the frame that shows the view is done: a history push sends the browser
    // process the document's form state (~20 kB here), and the server's answer would be handled before the paint.
    // "pushstate" is ui.sub_pages' hook for a URL changed by a script: it sends the server the new path.
    afterPaint(() => {{
      if (location.pathname === path) return;
      history.pushState({{ page: path }}, "", path);
      window.dispatchEvent(new Event("pushstate"));
    }});
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
  (function reportFirstPaint() {{  // the frame after the handshake has been painted: the server may send the rest
    if (!window.did_handshake || typeof emitEvent !== "function") return requestAnimationFrame(reportFirstPaint);
    setDrawer(html.dataset.ocrwDrawer || null);  // the menu button is mounted now: give it its aria-expanded
    afterPaint(() => emitEvent("{FIRST_PAINT_EVENT}"));
  }})();
}})();
'''


HEAD_HTML = f'<style>{_css()}</style>\n<script>{_script()}</script>'
"""Added to every page's ``<head>``: the script runs before the body is parsed, so a reload paints the right view."""
