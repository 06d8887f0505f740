# ruff: noqa: E501 - page markup reads better on one line per block
"""Article pages in the markup of real Vietnamese unit sites, built from the news corpus.

Five families of markup, as units publish them: a provincial paper (báo tỉnh), a radio-TV
station (Đài Phát thanh - Truyền hình), a provincial e-portal (Cổng thông tin điện tử), a
district portal (Trang thông tin điện tử huyện) and a commune page on a modern CMS (xã). Each page wraps one corpus article in the
menus, breadcrumbs, today's date bar, share buttons, related links (with their own dates),
comment forms and footers those sites carry, and prints the publication date in one of the
Vietnamese forms they use. The layouts and date forms rotate with a seeded generator, so no
page family always uses the same form. The truth of each page (title, day, author, body) is
kept beside it for the extraction gate.
"""

from __future__ import annotations

import gzip
import html
import json
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

WEEKDAYS = ["Thứ hai", "Thứ ba", "Thứ tư", "Thứ năm", "Thứ sáu", "Thứ bảy", "Chủ nhật"]
AUTHORS = ["Minh Anh", "Hoàng Yến", "Trần Văn Hùng", "Phạm Thu Trang", "Y Blông", "Lê Quốc Việt"]
MENU = [
    "Trang chủ", "Thời sự", "Chính trị", "Kinh tế", "Xã hội", "Văn hóa - Thể thao",
    "Pháp luật", "Quốc phòng - An ninh", "Dân tộc - Tôn giáo", "Video", "Tra cứu văn bản",
]  # fmt: skip
TEMPLATES = ("bao_tinh", "dai_ptth", "cong_ttdt", "huyen", "xa")


@dataclass(frozen=True)
class Story:
    """One corpus article: id, headline, lead (may be empty) and body paragraphs."""

    id: str
    title: str
    lead: str
    paragraphs: list[str]

    @property
    def body(self) -> str:
        """The article's text without its headline: what extraction must return."""
        return "\n".join([self.lead, *self.paragraphs] if self.lead else self.paragraphs)


@dataclass(frozen=True)
class PortalPage:
    """A built page and its truth."""

    template: str
    url: str
    html: str
    story: Story
    published: date
    published_at: datetime
    author: str


def story_from(record: dict[str, str]) -> Story:
    """Split a corpus record into headline, lead (recent file: the block after the headline)."""
    blocks = [b for b in record["text"].split("\n\n") if b.strip()]
    if len(blocks) >= 3:  # recent articles: headline, blank, lead, blank, body
        lead, rest = blocks[1].strip(), "\n".join(blocks[2:])
    else:
        lead, rest = "", "\n".join(record["text"].split("\n")[1:])
    paragraphs = [p.strip() for p in rest.split("\n") if p.strip()]
    return Story(record["id"], record["title"].strip(), lead, paragraphs)


def load_stories(news_dir: Path, count: int) -> list[Story]:
    """`count` full articles: half from the recent file, half from the VNTC test split."""
    stories: list[Story] = []
    with gzip.open(news_dir / "recent.jsonl.gz", "rt", encoding="utf-8") as handle:
        recent = [json.loads(line) for line in handle]
    full = [r for r in recent if len(r["text"]) > 1200]
    stories += [story_from(r) for r in full[: count // 2]]
    with gzip.open(news_dir / "vntc-test.jsonl.gz", "rt", encoding="utf-8") as handle:
        for line in handle:
            if len(stories) >= count:
                break
            record = json.loads(line)
            if 1000 < len(record["text"]) < 9000 and len(record["title"]) < 120:
                stories.append(story_from(record))
    return stories


def _e(text: str) -> str:
    """HTML-escaped text."""
    return html.escape(text, quote=True)


# --- date forms the sites print ---------------------------------------------------------------


def _weekday(day: datetime) -> str:
    """'Thứ hai' .. 'Chủ nhật'."""
    return WEEKDAYS[day.weekday()]


DATE_FORMS: list[Callable[[datetime], str]] = [
    lambda d: f"{_weekday(d)}, {d:%d/%m/%Y %H:%M}",
    lambda d: f"{_weekday(d)}, ngày {d.day} tháng {d.month} năm {d.year}",
    lambda d: f"Cập nhật lúc {d:%H:%M}, {_weekday(d).lower()}, {d:%d/%m/%Y}",
    lambda d: f"{d:%d/%m/%Y} - {d:%H:%M}",
    lambda d: f"Ngày đăng: {d:%d-%m-%Y}",
    lambda d: f"{d:%H:%M} | {d:%d/%m/%Y}",
    lambda d: f"ngày {d.day} tháng {d.month} năm {d.year}",
    lambda d: f"({d:%d/%m/%Y})",
    lambda d: f"Đăng ngày: {d:%d.%m.%Y} {d:%H:%M}",
]  # fmt: skip


# --- pieces every family has ------------------------------------------------------------------


def _menu(rng: random.Random) -> str:
    """The main menu as a list of links."""
    items = "".join(f'<li><a href="/chuyen-muc/{i}">{_e(m)}</a></li>' for i, m in enumerate(MENU))
    return f'<nav class="{rng.choice(["menu", "main-nav", "navbar"])}"><ul>{items}</ul></nav>'


def _related(others: list[Story], days: list[datetime], heading: str, tag: str) -> str:
    """A 'related news' box: other headlines with their own dates."""
    rows = "".join(
        f'<li><{tag} class="title-news"><a href="/tin/{o.id}.html">{_e(o.title)}</a></{tag}>'
        f'<span class="time">({d:%d/%m/%Y})</span></li>'
        for o, d in zip(others, days, strict=False)
    )
    return f'<div class="related-news"><h3>{_e(heading)}</h3><ul>{rows}</ul></div>'


def _share() -> str:
    """Share, print and font-size buttons."""
    return (
        '<div class="share-tools"><a href="#" class="fb">Chia sẻ Facebook</a>'
        '<a href="#" class="zalo">Zalo</a><a href="#" onclick="print()">In bài viết</a>'
        '<a href="#">Gửi email</a><span>Cỡ chữ: A- A A+</span></div>'
    )


def _comments() -> str:
    """The reader-comment form."""
    return (
        '<div class="comments"><h3>Ý kiến bạn đọc</h3><form><textarea name="noidung" '
        'placeholder="Nội dung bình luận"></textarea><input name="hoten" placeholder="Họ tên">'
        '<input name="email" placeholder="Email"><button>Gửi bình luận</button></form>'
        "<p>Bình luận của bạn sẽ được biên tập trước khi đăng.</p></div>"
    )


def _footer(owner: str) -> str:
    """Licence, address and contact lines."""
    return (
        f"<footer><p>{_e(owner)}</p><p>Giấy phép số 123/GP-BTTTT do Bộ Thông tin và "
        "Truyền thông cấp ngày 05/01/2021.</p><p>Địa chỉ: 125 đường Lê Hồng Phong, thành phố "
        "Kon Tum. Điện thoại: 0260 3862 123. Email: toasoan@example.vn</p>"
        "<p>Ghi rõ nguồn khi phát hành lại thông tin từ website này.</p></footer>"
    )


def _paragraphs(story: Story, rng: random.Random, *, divs: bool = False) -> str:
    """Body paragraphs, with a photo and its caption after the first one."""
    tag = "div" if divs else "p"
    out = []
    for n, para in enumerate(story.paragraphs):
        align = ' style="text-align: justify;"' if rng.random() < 0.5 else ""
        out.append(f"<{tag}{align}>{_e(para)}</{tag}>")
        if n == 0:
            out.append(
                '<figure class="image"><img src="/anh/minh-hoa.jpg" alt="">'
                "<figcaption>Ảnh minh họa</figcaption></figure>"
            )
    return "\n".join(out)


def _page(head: str, body: str) -> str:
    """A whole document."""
    return f'<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">{head}</head><body>{body}</body></html>'


# --- the four families ------------------------------------------------------------------------


def bao_tinh(story: Story, when: datetime, author: str, ctx: Context) -> str:
    """A provincial paper: date bar, menu, breadcrumb, h1, sapo, body, byline, related, comments."""
    rng = ctx.rng
    meta = (
        f'<meta property="og:title" content="{_e(story.title)}">'
        f'<meta property="article:published_time" content="{when:%Y-%m-%dT%H:%M:%S}+07:00">'
        if rng.random() < 0.5
        else ""
    )
    head = f"<title>{_e(story.title)} - Báo Kon Tum điện tử</title>{meta}"
    lead = f'<div class="sapo"><strong>{_e(story.lead)}</strong></div>' if story.lead else ""
    body = f"""
<div class="top-bar"><span class="today">{_e(ctx.today_text)}</span><a href="/rss">RSS</a></div>
<header><a href="/" class="logo"><h1 class="logo-text">BÁO KON TUM</h1></a>{_menu(rng)}</header>
<div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/chinh-tri">Chính trị</a></div>
<main><article class="detail">
<h1 class="article-title">{_e(story.title)}</h1>
<div class="article-meta"><span class="date">{_e(ctx.date_text)}</span></div>
{_share()}
{lead}
<div class="article-content">{_paragraphs(story, rng)}
<p style="text-align: right;"><strong>{_e(author)}</strong></p></div>
<div class="tags">Từ khóa: <a href="/tag/1">tuyên truyền</a> <a href="/tag/2">chính sách</a></div>
{_share()}
</article>
{_related(ctx.others, ctx.other_days, "Tin liên quan", "h4")}
{_comments()}
</main>
<aside><h3>Đọc nhiều</h3><ul>{"".join(f"<li><a href='/x/{i}'>{_e(o.title)}</a></li>" for i, o in enumerate(ctx.others[3:]))}</ul></aside>
{_footer("Báo Kon Tum - Cơ quan của Đảng bộ tỉnh Kon Tum. Tổng Biên tập: Nguyễn Văn A")}"""
    return _page(head, body)


def dai_ptth(story: Story, when: datetime, author: str, ctx: Context) -> str:
    """A radio-TV station: video block, h2 title, date, body, author, same-section list."""
    rng = ctx.rng
    head = (
        f"<title>{_e(story.title)} | Đài Phát thanh - Truyền hình Kon Tum</title>"
        f'<meta name="author" content="{_e(author)}">'
    )
    lead = f'<p class="lead">{_e(story.lead)}</p>' if story.lead else ""
    body = f"""
<div id="header"><div class="date-now">{_e(ctx.today_text)}</div>
<div class="logo"><img src="/logo.png" alt="KRT"></div>{_menu(rng)}
<div class="live"><a href="/truc-tuyen">Xem trực tuyến KRT</a> <a href="/nghe">Nghe phát thanh</a></div></div>
<div id="main"><div class="col-left">
<ul class="breadcrumbs"><li><a href="/">Trang chủ</a></li><li><a href="/thoi-su">Thời sự</a></li></ul>
<div class="detail-news">
<h2 class="title-detail">{_e(story.title)}</h2>
<div class="info"><span class="author">{_e(author)}</span> <span class="datetime">{_e(ctx.date_text)}</span></div>
<div class="video-player"><video src="/video/ban-tin.mp4" controls></video><p>Bản tin thời sự KRT</p></div>
<div id="content-detail">{lead}{_paragraphs(story, rng, divs=rng.random() < 0.5)}</div>
{_share()}
</div>
{_related(ctx.others[:4], ctx.other_days, "Tin cùng chuyên mục", "h3")}
</div>
<div class="col-right"><div class="box"><h3>Xem nhiều nhất</h3>
<ul>{"".join(f"<li><a href='/v/{i}'>{_e(o.title)}</a></li>" for i, o in enumerate(ctx.others[2:]))}</ul></div>
<div class="box"><h3>Lịch phát sóng</h3><p>06:00 Chào buổi sáng</p><p>19:45 Thời sự KRT</p></div></div></div>
{_footer("Đài Phát thanh - Truyền hình tỉnh Kon Tum. Chịu trách nhiệm: Giám đốc Đài")}"""
    return _page(head, body)


def cong_ttdt(story: Story, when: datetime, author: str, ctx: Context) -> str:
    """A provincial e-portal: portlets, breadcrumb, title div, date, body, source, other news."""
    rng = ctx.rng
    head = f"<title>Cổng thông tin điện tử tỉnh Kon Tum - {_e(story.title)}</title>"
    lead = f'<div class="summary"><b>{_e(story.lead)}</b></div>' if story.lead else ""
    body = f"""
<div class="portlet-header"><div class="banner">CỔNG THÔNG TIN ĐIỆN TỬ TỈNH KON TUM</div>
<div class="search"><input placeholder="Tìm kiếm"></div><span>{_e(ctx.today_text)}</span></div>
<div class="portlet-menu">{_menu(rng)}</div>
<div class="portlet-body"><table width="100%"><tr>
<td class="left-col" width="22%"><div class="box-link"><h3>Liên kết</h3><ul>
<li><a href="/vb">Văn bản chỉ đạo điều hành</a></li><li><a href="/dvc">Dịch vụ công trực tuyến</a></li>
<li><a href="/lich">Lịch công tác</a></li><li><a href="/hoi-dap">Hỏi đáp</a></li></ul></div></td>
<td class="center-col"><div class="journal-content-article">
<div class="breadcrumb">Trang chủ &gt; Tin tức - Sự kiện &gt; Tin trong tỉnh</div>
<div class="title">{_e(story.title)}</div>
<div class="date">{_e(ctx.date_text)}</div>
{lead}
<div class="content">{_paragraphs(story, rng)}</div>
<div class="author" style="text-align:right"><b>{_e(author)}</b></div>
<div class="tools">Lượt xem: 1.234 | <a href="#">In trang</a> | <a href="#">Gửi email</a> | <a href="#">Về đầu trang</a></div>
</div>
{_related(ctx.others, ctx.other_days, "Các tin khác", "span")}
</td></tr></table></div>
{_footer("Cơ quan chủ quản: Ủy ban nhân dân tỉnh Kon Tum. Cơ quan thường trực: Văn phòng UBND tỉnh")}"""
    return _page(head, body)


def huyen(story: Story, when: datetime, author: str, ctx: Context) -> str:
    """A district portal: older table layout, title in a strong cell, date in brackets, br lines."""
    rng = ctx.rng
    head = "<title>Trang thông tin điện tử huyện Đăk Hà</title>"
    paras = "<br><br>\n".join(_e(p) for p in story.paragraphs)
    lead = f"<i>{_e(story.lead)}</i><br><br>" if story.lead else ""
    body = f"""
<table class="khung" width="980" align="center"><tr><td>
<img src="/banner-huyen.jpg" alt="Huyện Đăk Hà"><div class="ngay">{_e(ctx.today_text)}</div>
{_menu(rng)}
</td></tr><tr><td valign="top">
<table width="100%"><tr><td width="200" valign="top" class="trai">
<div class="khoi"><b>GIỚI THIỆU</b><br><a href="/gt">Tổng quan huyện</a><br><a href="/bm">Bộ máy tổ chức</a></div>
<div class="khoi"><b>THỦ TỤC HÀNH CHÍNH</b><br><a href="/tthc">Danh mục thủ tục</a></div>
</td><td valign="top" class="giua">
<div class="duongdan"><a href="/">Trang chủ</a> / <a href="/tin-tuc">Tin tức - Sự kiện</a></div>
<table class="tinchitiet"><tr><td><strong class="tieude">{_e(story.title)}</strong></td></tr>
<tr><td class="ngaydang">{_e(ctx.date_text)}</td></tr>
<tr><td class="noidung">{lead}{paras}<br><br><div align="right"><b>{_e(author)}</b></div></td></tr></table>
{_related(ctx.others[:5], ctx.other_days, "Các tin đã đưa", "a")}
</td></tr></table></td></tr>
<tr><td>{_footer("Trang thông tin điện tử huyện Đăk Hà. Cơ quan chủ quản: UBND huyện Đăk Hà")}</td></tr></table>"""
    return _page(head, body)


def xa(story: Story, when: datetime, author: str, ctx: Context) -> str:
    """A commune page on a modern CMS: HTML5 article, category and date above the headline."""
    rng = ctx.rng
    head = f"<title>{_e(story.title)} – UBND xã Ia Chim</title>"
    stamp = f'<time datetime="{when:%Y-%m-%dT%H:%M:%S}+07:00">{_e(ctx.date_text)}</time>'
    if rng.random() < 0.5:
        stamp = f'<span class="posted-on">{_e(ctx.date_text)}</span>'
    lead = f"<p><em>{_e(story.lead)}</em></p>" if story.lead else ""
    body = f"""
<header class="site-header"><div class="site-title"><a href="/">UBND XÃ IA CHIM</a></div>
<p class="site-description">Trang thông tin điện tử xã Ia Chim - {_e(ctx.today_text)}</p>{_menu(rng)}</header>
<div id="primary"><main id="main"><article class="post type-post">
<header class="entry-header"><div class="entry-meta"><a href="/chuyen-muc/tin-tuc" rel="category">Tin tức - Sự kiện</a> | {stamp}</div>
<h1 class="entry-title">{_e(story.title)}</h1></header>
<div class="entry-content">{lead}{_paragraphs(story, rng)}<p><strong>{_e(author)}</strong></p>
<div class="sharedaddy"><h3 class="sd-title">Chia sẻ:</h3><ul><li><a href="#">Facebook</a></li><li><a href="#">Zalo</a></li></ul></div></div>
<footer class="entry-footer"><span class="tags-links">Thẻ: <a href="/tag/xa">xã Ia Chim</a></span></footer>
</article>
<nav class="post-navigation"><a href="/tin/truoc" rel="prev">{_e(ctx.others[0].title)}</a> <a href="/tin/sau" rel="next">{_e(ctx.others[1].title)}</a></nav>
<div id="comments"><h2>Trả lời</h2>{_comments()}</div></main></div>
<aside id="secondary"><section class="widget"><h2 class="widget-title">Bài viết mới</h2>
{_related(ctx.others[2:], ctx.other_days, "Tin mới", "span")}</section>
<section class="widget"><h2 class="widget-title">Lịch công tác tuần</h2><p>Thứ hai, {ctx.other_days[0]:%d/%m/%Y}: họp giao ban.</p></section></aside>
{_footer("Trang thông tin điện tử xã Ia Chim. Chịu trách nhiệm: Chủ tịch UBND xã")}"""
    return _page(head, body)


@dataclass
class Context:
    """What a family needs besides the story: randomness, the date texts and other headlines."""

    rng: random.Random
    date_text: str
    today_text: str
    others: list[Story]
    other_days: list[datetime]


FAMILIES: dict[str, Callable[[Story, datetime, str, Context], str]] = {
    "bao_tinh": bao_tinh,
    "dai_ptth": dai_ptth,
    "cong_ttdt": cong_ttdt,
    "huyen": huyen,
    "xa": xa,
}
HOSTS = {
    "bao_tinh": "baokontum.example",
    "dai_ptth": "kontumtv.example",
    "cong_ttdt": "kontum.example",
    "huyen": "dakha.kontum.example",
    "xa": "iachim.example",
}


def build_page(
    story: Story, template: str, others: list[Story], *, seed: int, base: datetime
) -> PortalPage:
    """One page of a family for a story, with a seeded date, author and related links."""
    rng = random.Random(seed)
    when = base + timedelta(
        days=rng.randint(0, 300), hours=rng.randint(6, 21), minutes=rng.choice([0, 5, 20, 45])
    )
    today = base + timedelta(days=400)
    form = DATE_FORMS[rng.randrange(len(DATE_FORMS))]
    other_days = [when - timedelta(days=rng.randint(1, 40)) for _ in others]
    ctx = Context(rng, form(when), f"{_weekday(today)}, {today:%d/%m/%Y}", others, other_days)
    author = AUTHORS[rng.randrange(len(AUTHORS))]
    page = FAMILIES[template](story, when, author, ctx)
    url = f"http://{HOSTS[template]}/tin-tuc/{story.id}.html"
    return PortalPage(template, url, page, story, when.date(), when, author)


def build_pages(news_dir: Path, count: int = 50) -> list[PortalPage]:
    """`count` pages: the stories dealt round the four families, each with its own others."""
    stories = load_stories(news_dir, count + 6)
    base = datetime(2025, 1, 6, 0, 0)
    pages = []
    for n, story in enumerate(stories[:count]):
        template = TEMPLATES[n % len(TEMPLATES)]
        others = [stories[(n + k) % len(stories)] for k in range(1, 7)]
        pages.append(build_page(story, template, others, seed=n, base=base))
    return pages
