"""A Reply's buttons and map pin as the JSON the web chat page draws.

Rules (SPEC "Web chat"):
- A button with an `action` becomes `{"label", "action"}`; the page posts the action back verbatim.
  A button with a `url` becomes `{"label", "url"}`; the page opens it in a new tab.
- A reply with `request_location=True` carries the engine's label-only button ("📍 Send my location"); it
  becomes `{"label", "request_location": true}`, the page's geolocation control, so its label stays translated.
- Anything else cannot be pressed in a browser and is left out, with a warning for the developer: a button
  with neither an action nor a url, with both, with an action over 64 bytes, or with a url that is not http,
  https or tel (a `javascript:` link would run in the page).
- A map pin becomes `{"lat", "lon", "title", "map_url"}` with an OpenStreetMap link.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

from bot.core.model import Button, Location, Reply
from bot.render import sanitize

log = logging.getLogger(__name__)

# The same bound as Telegram's callback_data, so an action works in every channel (SPEC core: at most 64 bytes).
MAX_ACTION_BYTES = 64
URL_SCHEMES = frozenset({"http", "https", "tel"})
MAP_ZOOM = 16


def button_rows(reply: Reply) -> list[list[dict[str, Any]]]:
    """The reply's buttons as rows of JSON objects; empty rows are dropped."""
    rows = []
    for row in reply.buttons:
        cells = [cell for cell in (web_button(button, request_location=reply.request_location) for button in row)
                 if cell is not None]
        if cells:
            rows.append(cells)
    return rows


def web_button(button: Button, *, request_location: bool = False) -> dict[str, Any] | None:
    """One button as JSON, or None when a browser could not press it."""
    label = sanitize(button.label)
    if button.action and button.url:
        log.warning("web: button %r has both an action and a url; left out", label)
        return None
    if button.url:
        scheme = urlsplit(button.url).scheme.lower()
        if scheme not in URL_SCHEMES:
            log.warning("web: button %r links to a %r URL, not http, https or tel; left out", label, scheme)
            return None
        return {"label": label, "url": button.url}
    if button.action:
        size = len(button.action.encode("utf-8"))
        if size > MAX_ACTION_BYTES:
            log.warning("web: button %r has an action of %d bytes, more than %d; left out", label, size,
                        MAX_ACTION_BYTES)
            return None
        return {"label": label, "action": button.action}
    if request_location:
        return {"label": label, "request_location": True}
    log.warning("web: button %r has neither an action nor a url; left out", label)
    return None


def map_pin(location: Location, title: str) -> dict[str, Any]:
    """A map pin with a link that opens OpenStreetMap centred on it."""
    lat, lon = _degrees(location.lat), _degrees(location.lon)
    return {
        "lat": location.lat,
        "lon": location.lon,
        "title": sanitize(title),
        "map_url": f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map={MAP_ZOOM}/{lat}/{lon}",
    }


def _degrees(value: float) -> str:
    # Six decimals are about 10 cm; never exponent notation, which OpenStreetMap does not read.
    return f"{value:.6f}".rstrip("0").rstrip(".")
