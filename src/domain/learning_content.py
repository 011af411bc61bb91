"""Learning content as the unified LMS API describes it (seed 001, section 8.2), checked on creation.

Length limits, in characters, checked here so that the CLI and the API refuse the same values, naming the field:
- ``title`` at most 255 (``TITLE_MAX``), ``description`` at most 10,000 (``DESCRIPTION_MAX``, counted after the
  markup is stripped: what Workday is sent). No public source states Workday's limits: the Go client generated
  from its v31.2 Learning WSDL types ``Course_Title``, ``Description`` and ``Learning_Course_Lesson_Title`` as
  plain strings (docs/workday-contract.md, "Lengths"). These are our bounds, wide enough for any real title (one
  line; 255, the customary size of a name) and description (a long page of text): a Validation_Fault from
  Workday stays the rare case, and a 50 MB description never reaches it.
- each URL (``content_url``, ``mobile_url``, ``cover_url``) at most 8,000 (``URL_MAX``): RFC 9110 section 4.1
  recommends that senders and recipients support URIs of at least 8,000 octets, so a longer one may be refused
  (414) by a conformant server and cannot be relied on as a launch URL. The other common figure, 2,048 (Internet
  Explorer's and the sitemap protocol's), would refuse long signed launch URLs that current browsers open.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import timedelta
from html.parser import HTMLParser

from domain.errors import InvalidValue

_LOCALE = re.compile(r"([a-z]{2,3})(?:[_-]([a-z]{2}|\d{3}))?", re.IGNORECASE)
_URL = re.compile(r"https?://[^\s]+", re.IGNORECASE)

TITLE_MAX = 255
DESCRIPTION_MAX = 10_000
URL_MAX = 8_000


def locale_code(value: str) -> str:
    """A locale in Workday's form, language lower and region upper: ``en_gb`` and ``en-GB`` are ``en_GB``."""
    match = _LOCALE.fullmatch(value.strip())
    if match is None:
        raise InvalidValue("languages", f"{value!r} is not a locale code such as en_GB")
    language, region = match.group(1).lower(), match.group(2)
    return f"{language}_{region.upper()}" if region else language


def _url(field: str, value: str) -> str:
    url = _within(field, value.strip(), URL_MAX)
    if not _URL.fullmatch(url):
        raise InvalidValue(field, f"{value!r} is not an http(s) URL")
    return url


def _within(field: str, text: str, limit: int) -> str:
    if len(text) > limit:
        raise InvalidValue(field, f"is {len(text):,} characters long; the most it may be is {limit:,}")
    return text


class _TextOnly(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("br", "p", "li", "div"):
            self.parts.append(" ")


def plain_text(html: str) -> str:
    """Markup stripped, entities decoded, white space folded: what Workday shows as a description."""
    parser = _TextOnly()
    parser.feed(html)
    parser.close()
    return " ".join("".join(parser.parts).split())


@dataclass(frozen=True, slots=True)
class Named:
    """A category or a skill: a name, and its ID when the caller knows it. One Workday holds also carries its
    ``workday_id`` (WID), the one ID every Workday reference accepts, by which a course refers to it."""

    name: str
    id: str | None = None
    workday_id: str | None = None

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidValue("name", "is blank")
        object.__setattr__(self, "name", " ".join(self.name.split()))


@dataclass(frozen=True, slots=True)
class Content:
    """One content item to publish. ``duration`` is already parsed (see ``iso_durations``)."""

    title: str
    external_reference: str
    content_url: str
    description: str = ""
    languages: tuple[str, ...] = ()
    mobile_url: str | None = None
    cover_url: str | None = None
    active: bool = True
    duration: timedelta | None = None
    skills: tuple[Named, ...] = ()
    categories: tuple[Named, ...] = ()
    order: int | None = None
    requires_enrollment: bool | None = None
    """None: the account's setting decides."""

    def __post_init__(self) -> None:
        for field in ("title", "external_reference"):
            value = " ".join(getattr(self, field).split())
            if not value:
                raise InvalidValue(field, "is blank")
            object.__setattr__(self, field, value)
        _within("title", self.title, TITLE_MAX)
        object.__setattr__(self, "content_url", _url("content_url", self.content_url))
        for field in ("mobile_url", "cover_url"):
            if getattr(self, field) is not None:
                object.__setattr__(self, field, _url(field, getattr(self, field)))
        object.__setattr__(self, "description", _within("description", plain_text(self.description), DESCRIPTION_MAX))
        codes = tuple(locale_code(code) for code in self.languages)
        object.__setattr__(self, "languages", tuple(dict.fromkeys(codes)))
        if not self.categories:
            raise InvalidValue("categories", "at least one category is needed: Workday requires a topic")
        if self.duration is not None and self.duration < timedelta(0):
            raise InvalidValue("duration", "is negative")
        if self.order is not None and self.order < 1:
            raise InvalidValue("order", f"{self.order} is not a lesson order (1 or more)")
