"""ContentPack: validated content in immutable lookups, implementing bot.core.ports.ContentIndex.

Everything is indexed when the pack is built; lookups read tuples and dicts, never files.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType

from bot.content.lexicon import Alert, AlertMatcher
from bot.content.ranking import Document, Ranking
from bot.content.snippet import snippet
from bot.core.model import (
    Article,
    Country,
    Event,
    Hit,
    Location,
    Nearby,
    Place,
    Service,
)

EARTH_RADIUS_KM = 6371.0088  # mean radius (IUGG)
RANK_DISCOUNT = 0.02  # per step down the person's language chain: their own language wins ties
LOCAL_BOOST = 1.25  # a service or page of the person's own town
RELATIVE_FLOOR = 0.3  # an answer far weaker than the best one is noise
_STATUS_RANK = {"confirmed": 0, "unconfirmed": 1, "reported-closed": 2}


def haversine_km(a: Location, b: Location) -> float:
    """Great-circle distance in km."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.lat, a.lon, b.lat, b.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(h)))


def _display_order(article: Article) -> tuple:
    return article.order, article.title.casefold(), article.id


def _service_order(service: Service) -> tuple:
    return _STATUS_RANK.get(service.status, len(_STATUS_RANK)), service.names["en"].casefold(), service.id


class ContentPack:
    """A loaded content folder. Build it with `bot.content.loader.load_content`."""

    __slots__ = ("_countries", "_country", "_places", "_place", "_places_in", "_articles", "_sources",
                 "_sections", "_listings", "_services", "_service", "_services_at", "_ranking", "_events", "_alerts")

    def __init__(self, *, countries: Iterable[Country] = (), places: Iterable[Place] = (),
                 services: Iterable[Service] = (), articles: Iterable[Article] = (),
                 events: Iterable[Event] = (), synonyms: Mapping[str, Sequence[Sequence[str]]] = {},
                 alerts: Iterable[Alert] = ()) -> None:
        self._countries = tuple(countries)
        self._country = MappingProxyType({c.code: c for c in self._countries})
        self._places = tuple(places)
        self._place = MappingProxyType({p.id: p for p in self._places})
        self._places_in = MappingProxyType({c.code: tuple(p for p in self._places if p.country == c.code)
                                            for c in self._countries})

        articles = tuple(articles)
        self._articles = MappingProxyType({(a.id, a.language): a for a in articles})
        self._sources = MappingProxyType({a.id: a for a in articles if a.translation == "source"})
        sections: dict[str, list[Article]] = {}
        for article in self._sources.values():
            sections.setdefault(article.section, []).append(article)
        self._sections = MappingProxyType({s: tuple(sorted(found, key=_display_order))
                                           for s, found in sections.items()})
        # Every (country, place) a person can be in, answered ahead; other pairs are filtered on demand.
        where = [(None, None), *((c.code, None) for c in self._countries), *((p.country, p.id) for p in self._places)]
        self._listings = MappingProxyType({
            (section, country, place): tuple(a for a in found if a.applies_to(country, place))
            for section, found in self._sections.items() for country, place in where})

        self._services = tuple(services)
        self._service = MappingProxyType({s.id: s for s in self._services})
        at: dict[tuple[str, str | None], list[Service]] = {}
        for service in sorted(self._services, key=_service_order):
            at.setdefault((service.place, None), []).append(service)
            for category in service.categories:
                at.setdefault((service.place, category), []).append(service)
        self._services_at = MappingProxyType({key: tuple(found) for key, found in at.items()})
        self._ranking = Ranking([*_article_documents(articles), *_service_documents(self._services)], synonyms)
        self._events = tuple(sorted(events, key=lambda e: (e.starts, e.id)))
        self._alerts = AlertMatcher(alerts)

    def __setattr__(self, name: str, value: object) -> None:
        if hasattr(self, name):
            raise AttributeError(f"ContentPack is immutable: cannot set {name}")
        object.__setattr__(self, name, value)

    # ---- ContentIndex ------------------------------------------------------------------------------

    def countries(self) -> Sequence[Country]:
        return self._countries

    def country(self, code: str) -> Country | None:
        return self._country.get(code)

    def places(self, country: str | None = None) -> Sequence[Place]:
        if country is None:
            return self._places
        return self._places_in.get(country, ())

    def place(self, place_id: str) -> Place | None:
        return self._place.get(place_id)

    def alert(self, text: str) -> str | None:
        """The protection alert a message raises ("self-harm", "violence", ...), in any language, or None."""
        return self._alerts.match(text)

    def events(self, place: str | None = None) -> Sequence[Event]:
        """Events, soonest first: all of them, or those at a place."""
        if place is None:
            return self._events
        return tuple(e for e in self._events if place in e.places)

    def nearest_services(self, location: Location, country: str, category: str | None = None,
                         limit: int = 6) -> Sequence[Nearby]:
        """Services of `country` nearest to `location`; a service without coordinates counts from its town's centre.

        Services across a border are left out (another country's procedure, and a border in between), and so
        are those reported closed. Ties keep the confirmed first.
        """
        found = []
        for place in self._places_in.get(country, ()):
            town_km = haversine_km(location, place.location)
            for service in self._services_at.get((place.id, category), ()):
                if service.status == "reported-closed":
                    continue
                if service.location is not None:
                    found.append(Nearby(service, haversine_km(location, service.location), exact=True))
                else:
                    found.append(Nearby(service, town_km, exact=False))
        found.sort(key=lambda near: (round(near.km, 1), _service_order(near.service)))
        return tuple(found[:limit])

    def nearest_place(self, location: Location) -> tuple[Place, float] | None:
        """The closest place and its distance in km."""
        if not self._places:
            return None
        return min(((p, haversine_km(location, p.location)) for p in self._places), key=lambda found: found[1])

    def article(self, article_id: str, languages: Sequence[str]) -> Article | None:
        """The article in the first of `languages` it exists in."""
        for language in languages:
            found = self._articles.get((article_id, language))
            if found is not None:
                return found
        return None

    def articles(self, section: str, country: str | None, place: str | None) -> Sequence[Article]:
        """English source articles of a section that apply to a country/place, in display order."""
        listed = self._listings.get((section, country, place))
        if listed is not None:
            return listed
        return tuple(a for a in self._sections.get(section, ()) if a.applies_to(country, place))

    def services(self, place: str, category: str | None = None) -> Sequence[Service]:
        """Services at a place, confirmed first, then by English name."""
        return self._services_at.get((place, category), ())

    def service(self, service_id: str) -> Service | None:
        return self._service.get(service_id)

    def search(self, text: str, languages: Sequence[str], country: str | None, place: str | None,
               limit: int = 3) -> Sequence[Hit]:
        """Pages and services answering free text, best first, in the first of `languages` each exists in.

        Only what applies where the person is: another country's deadlines would mislead. Every language in
        `languages` is searched (each with its own stemmer); an item scores its best, the person's own language
        winning ties; something at the person's own place counts a little more.
        """
        best: dict[str, float] = {}
        for rank, language in enumerate(dict.fromkeys(languages)):
            preference = 1.0 - RANK_DISCOUNT * rank
            for key, score in self._ranking.score(text, language).items():
                if self._applies(key, country, place):
                    best[key] = max(best.get(key, 0.0), score * preference * self._local(key, place))
        if not best:
            return ()
        top = max(best.values())
        ranked = sorted((key for key, score in best.items() if score >= RELATIVE_FLOOR * top),
                        key=lambda key: (-best[key], key))
        return tuple(self._hit(key, best[key], text, languages) for key in ranked[:max(limit, 0)])

    def _applies(self, key: str, country: str | None, place: str | None) -> bool:
        kind, _, item_id = key.partition(":")
        if kind == "a":
            article = self._sources.get(item_id)
            return article is not None and article.applies_to(country, place)
        service = self._service.get(item_id)
        if service is None or service.status == "reported-closed":
            return False
        where = self._place.get(service.place)
        return country is None or (where is not None and where.country == country)

    def _local(self, key: str, place: str | None) -> float:
        kind, _, item_id = key.partition(":")
        if place is None:
            return 1.0
        if kind == "s":
            return LOCAL_BOOST if self._service[item_id].place == place else 1.0
        return LOCAL_BOOST if place in self._sources[item_id].places else 1.0

    def _hit(self, key: str, score: float, text: str, languages: Sequence[str]) -> Hit:
        kind, _, item_id = key.partition(":")
        if kind == "a":
            article = self.article(item_id, languages) or self._sources[item_id]
            return Hit("article", item_id, article.title, snippet(article.body, text, article.language), score,
                       article.language)
        service = self._service[item_id]
        language = next((code for code in languages if code in service.names), "en")
        description = _pick(service.descriptions, languages)
        return Hit("service", item_id, service.names[language], snippet(description, text, language), score, language)


def _pick(values: Mapping[str, str], languages: Sequence[str]) -> str:
    return next((values[code] for code in languages if code in values), values.get("en", ""))


def _article_documents(articles: Iterable[Article]) -> Iterable[Document]:
    for article in articles:
        yield Document(f"a:{article.id}", article.language, article.title, article.keywords, article.body)


def _service_documents(services: Iterable[Service]) -> Iterable[Document]:
    for service in services:
        for language in service.names.keys() | service.descriptions.keys():
            # Category names are UI strings, translated in the catalogs; in content they are English words.
            keywords = [c.replace("-", " ") for c in service.categories] if language == "en" else []
            yield Document(f"s:{service.id}", language, service.names.get(language, ""), keywords,
                           " ".join(filter(None, (service.descriptions.get(language, ""), service.address))))
