"""Accessibility helpers for activity code: what ipywidgets leaves out for screen readers.

Course helper code (a course's `lab/` package) calls these after it shows controls, so every
course gets the same fix.
"""

from __future__ import annotations

# ipywidgets draws a slider's handle as an element with role="slider" but gives it no name, so a
# screen reader says only "slider" and axe-core reports it (aria-input-field-name, serious). The
# slider's own label is right beside it; this script copies that label onto the handle, now and
# whenever JupyterLab draws a slider again. It runs once per page. The empty text/html keeps the
# book (which ranks text/html first and cannot run the sliders) from printing anything.
SLIDER_NAMES_JS = """(() => {
  if (window.circlekitSliderNames) { window.circlekitSliderNames(); return; }
  const name = () => document.querySelectorAll('.widget-slider').forEach(slider => {
    const label = slider.querySelector('.widget-label');
    const text = label ? label.textContent.trim() : '';
    slider.querySelectorAll('[role="slider"]').forEach(handle => {
      if (text && handle.getAttribute('aria-label') !== text) {
        handle.setAttribute('aria-label', text);
      }
    });
  });
  window.circlekitSliderNames = name;
  new MutationObserver(name).observe(document.body, {childList: true, subtree: true});
  name();
})();"""


def name_slider_handles() -> None:
    """Give every slider handle on the page the name of its slider (see SLIDER_NAMES_JS)."""
    from IPython.display import display

    display({"application/javascript": SLIDER_NAMES_JS, "text/html": ""}, raw=True)


def has_slider(widget: object) -> bool:
    """Whether `widget`, or a widget inside it, is a slider."""
    import ipywidgets as w

    if isinstance(widget, w.IntSlider | w.FloatSlider | w.IntRangeSlider | w.SelectionSlider):
        return True
    return any(has_slider(child) for child in getattr(widget, "children", ()))
