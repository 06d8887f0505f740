"""Title, publication date, author and main text of an article page (NFC).

trafilatura finds the main text and htmldate reads dates from markup; around them this module
adds what Vietnamese unit sites need, by general structure rather than per-site rules:
- the **title** is the heading nearest before the main text, preferring one the page also
  declares (og:title, <title> minus the site name); many portals print the site name alone in
  <title> and the headline in a styled <div> or <strong>, not an <h1>;
- the **date** is the first date printed after the title (a bar with today's date and related
  links with their own dates surround it), read in Vietnamese forms ("Thứ hai, 03/11/2025 14:20",
  "ngày 3 tháng 11 năm 2025"); declared publication metadata and htmldate come first and last;
- the **author** is declared metadata, else the short name line papers print under the text.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

import htmldate
import trafilatura
from lxml import etree, html  # type: ignore[import-untyped]

from trienkhai.settings import get_settings
from trienkhai.text import clean_spaces, key, nfc

# Separators between headline and site name in <title> and og:title.
_TITLE_SEPARATORS = re.compile(r"\s+(?:[-|–—:»/]|::)\s+")
# Class or id words that mark a headline in Vietnamese and English markup.
_TITLE_CLASS = re.compile(r"title|tieu-?de|tieude|headline|heading|tit\b", re.IGNORECASE)
_LONG_CELL = 300  # characters: longer than any data-table cell reads
_INVISIBLE = frozenset({"script", "style", "head", "title", "noscript", "template"})
_HEADINGS = frozenset({"h1", "h2", "h3", "h4"})
_BOLD = frozenset({"strong", "b"})
# Blocks whose headings are navigation or lists of other articles, never this page's title.
_NOT_TITLE_ANCESTORS = frozenset({"a", "li", "nav", "footer", "aside", "ul", "ol"})
_TIME = (
    r"(?:(?P<hour>[01]?\d|2[0-3])\s*(?::|h|giờ)\s*(?P<minute>[0-5]\d)(?:\s*(?::|phút)\s*[0-5]\d)?)"
)
_DMY = (
    r"(?P<day>[0-3]?\d)\s*[/.-]\s*(?P<month>[01]?\d)\s*[/.-]\s*(?P<year>(?:19|20)\d\d)(?!\d)"
    r"|ngày\s+(?P<day2>[0-3]?\d)\s+tháng\s+(?P<month2>[01]?\d)\s*(?:,\s*)?năm\s+(?P<year2>(?:19|20)\d\d)"
    r"|(?P<year3>(?:19|20)\d\d)-(?P<month3>[01]\d)-(?P<day3>[0-3]\d)"
)
_DATE = re.compile(rf"(?<!\d)(?:{_DMY})(?:[\s,|-]*(?:lúc\s*)?{_TIME})?", re.IGNORECASE)
_TIME_ONLY = re.compile(rf"{_TIME}\s*(?:[,|-]\s*)?(?:[^\W\d_]+\s*){{0,3}},?\s*$", re.IGNORECASE)
# How far after the title (characters of visible text) a printed date still belongs to it.
_DATE_WINDOW = 600
_DATE_WINDOW_BEFORE = 160
# Declared publication metadata, most specific first.
_META_DATES = (
    "article:published_time",
    "datePublished",
    "pubdate",
    "publishdate",
    "dc.date.issued",
    "dcterms.created",
    "date",
)
_BYLINE_PREFIX = re.compile(
    r"^(?:bài(?:\s*(?:và|,|&)\s*ảnh)?|tin(?:\s*(?:và|,|&)\s*ảnh)?"
    r"|ảnh|tác giả|nhóm pv|pv|btv)\s*:\s*",
    re.IGNORECASE,
)
_NAME_WORD = re.compile(r"^[A-ZÀ-Ỹ][\wÀ-ỹ]*\.?$")


@dataclass(frozen=True)
class Extracted:
    """What an article page says about itself; empty strings and None when it does not."""

    title: str
    published_at: datetime | None  # local time as printed; midnight when only a day is printed
    author: str
    text: str

    @property
    def published(self) -> date | None:
        """The publication day."""
        return self.published_at.date() if self.published_at else None


def extract(page: str | bytes, *, url: str = "") -> Extracted:
    """Title, publication date, author and main text of an article page."""
    tree = _parse(page)
    if tree is None:
        return Extracted("", None, "", "")
    declared = declared_titles(tree)
    # trafilatura prunes the tree it is given, so it reads a copy.
    document = trafilatura.bare_extraction(
        unwrap_layout_tables(_copy(tree)),
        url=url or None,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
    )
    text = clean_spaces(nfc(getattr(document, "text", None) or ""))
    title_el = find_title_element(tree, declared, text)
    title = _text_of(title_el) if title_el is not None else _fallback_title(declared, document)
    text = _drop_leading_title(text, title)
    text, byline = split_byline(text)
    author = _author(tree, document) or byline
    when = find_date(tree, title_el, url=url)
    return Extracted(title, when, author, text)


def _parse(page: str | bytes) -> html.HtmlElement | None:
    """The page's element tree (None for an empty or unparsable page)."""
    if isinstance(page, bytes):
        page = page.decode("utf-8", errors="replace")
    if not page.strip():
        return None
    try:
        return html.document_fromstring(page)
    except (etree.ParserError, ValueError):
        return None


def _copy(tree: html.HtmlElement) -> html.HtmlElement:
    """A deep copy of a tree."""
    return html.document_fromstring(etree.tostring(tree, encoding="unicode"))


def unwrap_layout_tables(tree: html.HtmlElement) -> html.HtmlElement:
    """Turn tables used for page layout into plain blocks, keeping data tables.

    Why: older portals lay whole pages out in tables; text extractors read those as data and
    return the menus and the article as one table of cells. A table is layout when it holds
    another table or a cell with a long text or block content; data tables have short cells.
    """
    for table in reversed(tree.xpath("//table")):
        cells = table.xpath("./tr/td | ./*/tr/td | ./tr/th | ./*/tr/th")
        if table.xpath(".//table") or any(_is_layout_cell(c) for c in cells):
            for element in [
                table,
                *table.xpath(".//tbody | .//thead | .//tfoot | .//tr | .//td | .//th"),
            ]:
                element.tag = "div"
                element.attrib.pop("width", None)
    return tree


def _is_layout_cell(cell: html.HtmlElement) -> bool:
    """A cell holding a page block: long text, paragraphs, line breaks or images."""
    if len(cell.text_content()) > _LONG_CELL:
        return True
    return bool(cell.xpath("./div | ./p | ./br | ./img | ./ul | ./form"))


def _text_of(element: html.HtmlElement) -> str:
    """Visible text of an element, spaces collapsed, NFC."""
    return " ".join(nfc(element.text_content()).split())


# --- title ------------------------------------------------------------------------------------


def declared_titles(tree: html.HtmlElement) -> list[str]:
    """Headlines the page declares (og/twitter title, JSON-LD headline, <title>) and their parts."""
    found: list[str] = []
    for xpath in (
        "//meta[@property='og:title']/@content",
        "//meta[@name='twitter:title']/@content",
        "//*[@itemprop='headline']//text()",
        "//title//text()",
    ):
        found += [" ".join(nfc(str(v)).split()) for v in tree.xpath(xpath)]
    found += _json_ld(tree, "headline")
    parts = [p for t in found for p in _TITLE_SEPARATORS.split(t) if len(p) > 3]
    return [t for t in dict.fromkeys([*found, *parts]) if t]


def _json_ld(tree: html.HtmlElement, field: str) -> list[str]:
    """String values of a field in the page's JSON-LD blocks."""
    values: list[str] = []
    for block in tree.xpath("//script[@type='application/ld+json']/text()"):
        try:
            data = json.loads(str(block))
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop()
            if isinstance(item, dict):
                if isinstance(item.get(field), str):
                    values.append(nfc(item[field]).strip())
                stack += [v for v in item.values() if isinstance(v, (dict, list))]
            elif isinstance(item, list):
                stack += item
    return values


def _is_title_like(element: html.HtmlElement) -> bool:
    """A heading, an element whose class or id names a title, or a lone bold line."""
    if not isinstance(element.tag, str):
        return False
    tag = element.tag.lower()
    marked = tag not in _HEADINGS and bool(
        _TITLE_CLASS.search(f"{element.get('class', '')} {element.get('id', '')}")
    )
    if tag not in _HEADINGS and tag not in _BOLD and not (marked and not len(element)):
        return False  # cheap tests first: most elements are none of these
    text = _text_of(element)
    if not 8 <= len(text) <= 300 or len(text.split()) > 40:
        return False
    if _in_page_furniture(element):
        return False
    if tag in _HEADINGS or marked:
        return True
    parent = element.getparent()
    lone = parent is not None and _text_of(parent) == text
    return lone and not text.endswith((".", ":", ";"))


def _in_page_furniture(element: html.HtmlElement) -> bool:
    """Inside a link, a list, nav, aside, footer, or the page's (not an article's) header."""
    tags = [a.tag for a in element.iterancestors() if isinstance(a.tag, str)]
    if any(t in _NOT_TITLE_ANCESTORS for t in tags):
        return True
    # <article><header><h1> is the article's own header (HTML5 themes); a page header is not.
    return "header" in tags and not {"article", "main"} & set(tags)


def find_title_element(
    tree: html.HtmlElement, declared: list[str], text: str
) -> html.HtmlElement | None:
    """The headline: a declared one printed on the page, else the nearest before the text."""
    order = {e: n for n, e in enumerate(tree.iter())}
    candidates = [e for e in order if _is_title_like(e)]
    declared_keys = {key(t) for t in declared}
    anchor = _text_anchor(tree, text)
    around = set(anchor.iterancestors()) if anchor is not None else set()
    before = [
        e for e in candidates if anchor is None or (order[e] < order[anchor] and e not in around)
    ]
    for pool in (before, candidates):
        matching = [e for e in pool if key(_text_of(e)) in declared_keys]
        if matching:
            return max(matching, key=lambda e: len(_text_of(e)))
    if anchor is not None and before:
        # The nearest heading above the text; one inside the text (a subheading) would follow it.
        return before[-1]
    headings = [e for e in candidates if e.tag == "h1"]
    return headings[0] if len(headings) == 1 else None


def _text_anchor(tree: html.HtmlElement, text: str) -> html.HtmlElement | None:
    """The element holding the start of the main text."""
    first = next((line for line in text.splitlines() if len(line) >= 20), "")
    probe = _squash(first[:60])
    if not probe:
        return None
    for element in tree.iter():
        if not isinstance(element.tag, str) or element.tag in ("html", "body", "head"):
            continue
        own = " ".join([element.text or "", *(c.tail or "" for c in element)])
        if probe in _squash(nfc(own)):
            return element
    return None


def _squash(text: str) -> str:
    """Case-folded text with single spaces (both sides are NFC already)."""
    return " ".join(text.casefold().split())


def _fallback_title(declared: list[str], document: object) -> str:
    """trafilatura's title, else the longest declared part."""
    title = getattr(document, "title", None) or ""
    if title:
        return " ".join(nfc(title).split())
    return max(declared, key=len, default="")


def _drop_leading_title(text: str, title: str) -> str:
    """The text without a first line repeating the headline."""
    lines = text.splitlines()
    if lines and title and key(lines[0]) == key(title):
        return "\n".join(lines[1:]).strip()
    return text


# --- date -------------------------------------------------------------------------------------


def find_date(
    tree: html.HtmlElement, title: html.HtmlElement | None, *, url: str = ""
) -> datetime | None:
    """Declared publication metadata, else the date printed by the title, else htmldate's."""
    declared = _declared_date(tree)
    if declared is not None:
        return declared
    if title is not None:
        printed = _date_near(tree, title)
        if printed is not None:
            return printed
    found = htmldate.find_date(tree, extensive_search=True, original_date=True, url=url or None)
    return datetime.fromisoformat(found) if found else None


def _declared_date(tree: html.HtmlElement) -> datetime | None:
    """A publication time the page declares in meta tags, <time itemprop> or JSON-LD."""
    values: list[str] = []
    for name in _META_DATES:
        values += tree.xpath("//meta[@property=$n or @name=$n or @itemprop=$n]/@content", n=name)
    values += tree.xpath("//*[@itemprop='datePublished']/@datetime")
    values += _json_ld(tree, "datePublished")
    for value in values:
        parsed = _iso(str(value))
        if parsed is not None:
            return parsed
    return None


def _iso(value: str) -> datetime | None:
    """An ISO 8601 date or time as the deployment's wall-clock time, or None."""
    try:
        parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if parsed.tzinfo is not None:  # 20:00Z is the next morning in Hanoi
        parsed = parsed.astimezone(ZoneInfo(get_settings().timezone))
    return parsed.replace(tzinfo=None)


def _date_near(tree: html.HtmlElement, title: html.HtmlElement) -> datetime | None:
    """The first date printed after the title, else the last one just above it."""
    before, after = _texts_around(tree, title)
    match = parse_vietnamese_date(after[:_DATE_WINDOW])
    if match is not None:
        return match
    tail = before[-_DATE_WINDOW_BEFORE:]
    found = list(_DATE.finditer(tail))
    return _to_datetime(found[-1], tail) if found else None


def _texts_around(tree: html.HtmlElement, title: html.HtmlElement) -> tuple[str, str]:
    """Visible text before and after the title element, in document order."""
    parts: tuple[list[str], list[str], list[str]] = ([], [], [])
    phase = 0  # before, inside, after the title
    for event, element in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            if element is title:
                phase = 1
            stamp = _iso(element.get("datetime", "")) if element.tag == "time" else None
            if stamp is not None:  # <time datetime="2025-11-03T14:20+07:00">: the machine form
                parts[phase].append(f" {stamp:%d/%m/%Y %H:%M} ")
            if isinstance(element.tag, str) and element.tag not in _INVISIBLE and element.text:
                parts[phase].append(element.text)
            continue
        if element is title:
            phase = 2
        if element.tail:
            parts[phase].append(element.tail)
    return " ".join(" ".join(parts[0]).split()), " ".join(" ".join(parts[2]).split())


def parse_vietnamese_date(text: str) -> datetime | None:
    """The first date in a text in a Vietnamese form, with its time when printed beside it."""
    text = nfc(text)
    for match in _DATE.finditer(text):
        found = _to_datetime(match, text)
        if found is not None:
            return found
    return None


def _to_datetime(match: re.Match[str], text: str) -> datetime | None:
    """The datetime of a date match; a time printed just before the date counts too."""
    groups = match.groupdict()
    day = groups["day"] or groups["day2"] or groups["day3"]
    month = groups["month"] or groups["month2"] or groups["month3"]
    year = groups["year"] or groups["year2"] or groups["year3"]
    hour, minute = groups["hour"], groups["minute"]
    if hour is None:
        earlier = _TIME_ONLY.search(text[max(0, match.start() - 40) : match.start()])
        if earlier:
            hour, minute = earlier.group("hour"), earlier.group("minute")
    try:
        return datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0))
    except ValueError:
        return None


# --- author -----------------------------------------------------------------------------------


def _author(tree: html.HtmlElement, document: object) -> str:
    """A declared author (meta, JSON-LD, byline markup through trafilatura)."""
    for value in tree.xpath("//meta[@name='author' or @property='article:author']/@content"):
        if str(value).strip() and "://" not in str(value):
            return " ".join(nfc(str(value)).split())
    author = getattr(document, "author", None) or ""
    return " ".join(nfc(author).split())


def split_byline(text: str) -> tuple[str, str]:
    """The text without a closing byline line ('Minh Anh', 'Bài, ảnh: Minh Anh'), and the name."""
    lines = text.rstrip().splitlines()
    if not lines:
        return text, ""
    last = lines[-1].strip()
    name = _BYLINE_PREFIX.sub("", last).strip()
    words = name.split()
    if 1 <= len(words) <= 5 and all(_NAME_WORD.match(w) for w in words) and len(name) <= 40:
        return "\n".join(lines[:-1]).rstrip(), name
    return text, ""
