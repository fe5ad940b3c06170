"""Where each country is, roughly: enough to catch coordinates typed into the wrong country or swapped."""

from __future__ import annotations

from dataclasses import dataclass

from bot.core.model import Location


@dataclass(frozen=True, slots=True)
class Bounds:
    """A box of latitudes and longitudes (degrees) around a country."""

    name: str
    south: float
    north: float
    west: float
    east: float

    def holds(self, location: Location) -> bool:
        return self.south <= location.lat <= self.north and self.west <= location.lon <= self.east


# Approximate bounding box of each country, with a small margin; a box is not a border, so a point near
# a border may pass while lying in a neighbour. Countries without a box here are not checked.
COUNTRY_BOUNDS = {
    "rs": Bounds("Serbia", south=42.2, north=46.2, west=18.8, east=23.0),
    "mk": Bounds("North Macedonia", south=40.85, north=42.4, west=20.45, east=23.05),
    "bg": Bounds("Bulgaria", south=41.2, north=44.25, west=22.35, east=28.65),
}


def outside_message(country: str, location: Location) -> str | None:
    """The problem to report when `location` lies outside `country`'s box, else None."""
    bounds = COUNTRY_BOUNDS.get(country)
    if bounds is None or bounds.holds(location):
        return None
    return f"coordinates {location.lat}, {location.lon} are outside {bounds.name}"
