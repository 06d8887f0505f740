"""The link check: is each reported output's page there, moved, or gone; archive what is there.

A page that answers with the output's title (fuzzy: NFC, case and diacritics ignored) is
verified and archived as evidence: a WARC record of the response (warcio) and the extracted
text. A redirect to another page of the same site that still carries the title is "moved". A
404 or 410, a redirect to the home page or elsewhere, or a page with another title is gone:
"not_found", or "removed" when an earlier check had verified it (its archive stays). Network
errors and server errors leave the state as it was, to be tried again.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from difflib import SequenceMatcher

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session, sessionmaker
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from trienkhai.campaigns.models import Campaign
from trienkhai.db import utcnow
from trienkhai.errors import NotFoundError
from trienkhai.ingest.dedup import canonical
from trienkhai.ingest.extract import Extracted, extract
from trienkhai.ingest.pages import PageResponse, PoliteFetch, fetch_page
from trienkhai.outputs.keys import url_host
from trienkhai.outputs.models import Evidence, Output, OutputSource, Verification
from trienkhai.text import fold
from trienkhai.users.service import audit

TITLE_RATIO = 0.8  # SequenceMatcher ratio of the folded titles
TITLE_COVERED = 0.9  # or this share of the reported title's words in the page's title
_GONE = frozenset({404, 410})
# The decoded body is archived, so the headers that described the wire encoding go.
_WIRE_HEADERS = frozenset({"content-encoding", "transfer-encoding", "content-length"})

Fetch = Callable[[str], PageResponse]


@dataclass(frozen=True)
class Check:
    """One output's check: its state before and after, and why."""

    output_id: int
    url: str
    before: str
    after: str
    detail: str
    archived: bool = False


def title_words(title: str) -> list[str]:
    """Folded words of a title (no case, diacritics or punctuation)."""
    return "".join(ch if ch.isalnum() else " " for ch in fold(title)).split()


def titles_match(reported: str, page: str) -> bool:
    """Whether a page's title is the reported one, allowing small differences."""
    a, b = title_words(reported), title_words(page)
    if not a or not b:
        return False
    if SequenceMatcher(None, " ".join(a), " ".join(b)).ratio() >= TITLE_RATIO:
        return True
    return sum(w in set(b) for w in a) / len(a) >= TITLE_COVERED


def judge(
    output_title: str, response: PageResponse, *, was_verified: bool
) -> tuple[Verification | None, str, Extracted | None]:
    """The new state of an output from its page (None: keep the state), the reason, the page."""
    gone = Verification.removed if was_verified else Verification.not_found
    if response.status == 0:
        return None, f"không truy cập được: {response.error}", None
    if response.status in _GONE:
        return gone, f"trang trả về {response.status}", None
    if response.status != 200:
        return None, f"trang trả về {response.status}; sẽ kiểm tra lại", None
    return _judge_page(output_title, response, gone)


def _judge_page(
    output_title: str, response: PageResponse, gone: Verification
) -> tuple[Verification, str, Extracted | None]:
    """The state of an output whose link answered with a page."""
    page = extract(response.body, url=response.final_url)
    if not titles_match(output_title, page.title):
        return gone, f"trang không còn bài này (tiêu đề trang: «{page.title[:120]}»)", None
    if canonical(response.final_url) == canonical(response.url):
        return Verification.verified, "trang còn, đúng tiêu đề", page
    if url_host(response.final_url) == url_host(response.url):
        return Verification.moved, f"bài đã chuyển sang {response.final_url}", page
    return gone, f"chuyển hướng sang trang khác: {response.final_url}", None


def warc_record(response: PageResponse, fetched_at: datetime) -> bytes:
    """A gzipped WARC response record of the page as fetched."""
    buffer = io.BytesIO()
    writer = WARCWriter(buffer, gzip=True)
    headers = [(k, v) for k, v in response.headers.items() if k not in _WIRE_HEADERS]
    headers.append(("content-length", str(len(response.body))))
    status = f"{response.status} {response.reason or 'OK'}"
    record = writer.create_warc_record(
        response.final_url,
        "response",
        payload=io.BytesIO(response.body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": fetched_at.strftime("%Y-%m-%dT%H:%M:%SZ")},
    )
    writer.write_record(record)
    return buffer.getvalue()


def _evidence(output: Output, name: str, media_type: str, content: bytes) -> Evidence | None:
    """An evidence row for the content, unless the output already holds the same bytes."""
    digest = hashlib.sha256(content).hexdigest()
    if any(e.sha256 == digest for e in output.evidence):
        return None
    return Evidence(
        output_id=output.id, filename=name, media_type=media_type, sha256=digest,
        size=len(content), content=content,
    )  # fmt: skip


def archive(*, output: Output, response: PageResponse, page: Extracted, at: datetime) -> bool:
    """Keep the page as evidence: its WARC record and its extracted text; whether it was new."""
    stamp = f"{at:%Y%m%d-%H%M%S}"
    text = f"{page.title}\n{response.final_url}\n\n{page.text}\n".encode()
    # The WARC record differs on every fetch (its id and date), the extracted text does not:
    # an unchanged page is archived once.
    kept = _evidence(output, f"luu-tru-{output.id}-{stamp}.txt", "text/plain; charset=utf-8", text)
    if kept is None:
        return False
    warc = warc_record(response, at)
    name = f"luu-tru-{output.id}-{stamp}.warc.gz"
    record = _evidence(output, name, "application/warc", warc)
    output.evidence.extend([kept, *([record] if record else [])])
    return True


def check_output(*, session: Session, output: Output, fetch: Fetch = fetch_page) -> Check:
    """Fetch one output's link and record what was found."""
    before = output.verification
    response = fetch(output.url)
    state, detail, page = judge(output.title, response, was_verified=output.verified_at is not None)
    now = utcnow()
    output.checked_at = now
    archived = False
    if state in (Verification.verified, Verification.moved) and page is not None:
        output.verified_at = now
        archived = archive(output=output, response=response, page=page, at=now)
    if state is not None and state.value != before:
        output.verification = state.value
        audit(
            session=session, actor=None, action="link_check", entity="output",
            entity_id=output.id, detail={"from": before, "to": state.value, "detail": detail},
        )  # fmt: skip
    session.flush()
    return Check(output.id, output.url, before, output.verification, detail, archived)


def _to_check(campaign_id: int) -> list[ColumnElement[bool]]:
    """The campaign's reported outputs with a link, except those a coordinator rejected."""
    return [
        Output.campaign_id == campaign_id,
        Output.source == OutputSource.reported.value,
        Output.url != "",
        Output.verification != Verification.rejected.value,
    ]


def outputs_to_check(*, session: Session, campaign_id: int) -> list[Output]:
    """The campaign's reported outputs with a link, except those a coordinator rejected."""
    query = select(Output).where(*_to_check(campaign_id))
    return list(session.scalars(query.order_by(Output.id)))


def verify_outputs(
    *,
    sessions: sessionmaker[Session],
    campaign_ids: Sequence[int],
    fetch: Fetch | None = None,
    progress: Callable[[float, str], None] | None = None,
) -> dict[str, int]:
    """Check the campaigns' links one transaction each (a job's way); counts by state after."""
    with contextlib.ExitStack() as stack:
        fetch = fetch or stack.enter_context(PoliteFetch())
        return _verify_each(sessions, campaign_ids, fetch, progress)


def _verify_each(
    sessions: sessionmaker[Session],
    campaign_ids: Sequence[int],
    fetch: Fetch,
    progress: Callable[[float, str], None] | None,
) -> dict[str, int]:
    """verify_outputs with its fetch open."""
    with sessions() as session:
        ids = [
            int(i)
            for campaign_id in campaign_ids
            for i in session.scalars(
                select(Output.id).where(*_to_check(campaign_id)).order_by(Output.id)
            )
        ]
    counts: dict[str, int] = {"checked": 0}
    for done, output_id in enumerate(ids, start=1):
        with sessions.begin() as session:
            output = session.get(Output, output_id)
            if output is None:  # deleted meanwhile
                continue
            after = check_output(session=session, output=output, fetch=fetch).after
        counts["checked"] += 1
        counts[after] = counts.get(after, 0) + 1
        if progress is not None:
            progress(done / len(ids), f"Đã kiểm tra {done}/{len(ids)} đường dẫn")
    return counts


def verify_campaign(
    *, session: Session, campaign_id: int, fetch: Fetch | None = None
) -> list[Check]:
    """Check every reported output with a link in the campaign (politely, one at a time)."""
    if session.get(Campaign, campaign_id) is None:
        raise NotFoundError(f"Không có chiến dịch số {campaign_id} (campaign not found)")
    with contextlib.ExitStack() as stack:
        fetch = fetch or stack.enter_context(PoliteFetch())
        return [
            check_output(session=session, output=o, fetch=fetch)
            for o in outputs_to_check(session=session, campaign_id=campaign_id)
        ]
