"""Crawled items become a campaign's discovered outputs, or merge into the outputs units reported.

An item counts for a campaign when the campaign assigns its unit, it was published within the
campaign's period and it scores at or above the threshold on one of the campaign's themes (the
campaign's own theme scorer, which learns from every confirmation). An item at the URL of an
output already stored (reported by the unit, or discovered before) is merged into it, never
stored twice. The unit's editor or a coordinator then confirms or rejects what was discovered.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Assignment, Campaign, CampaignStatus, Theme
from trienkhai.db import utcnow
from trienkhai.ingest.dedup import canonical, content_hash
from trienkhai.ingest.items import Item
from trienkhai.outputs import service as outputs
from trienkhai.outputs.models import INCLUDE_REMOVED, Output, OutputSource, Verification
from trienkhai.outputs.schemas import OutputCreate
from trienkhai.text import nfc
from trienkhai.themes import service as themes
from trienkhai.themes.features import Article
from trienkhai.themes.learn import LearnedScorer
from trienkhai.themes.scorer import DEFAULT_THRESHOLD, above
from trienkhai.units.models import Unit, UnitKind
from trienkhai.users.models import User

EXCERPT_CHARS = 1500  # what the theme scorer reads of a stored output, with its title
# A press or broadcaster site is an online paper; every other unit's site is a portal.
_NEWS_KINDS = frozenset({UnitKind.press.value, UnitKind.broadcaster.value})


@dataclass
class MatchResult:
    """What matching did: outputs discovered, outputs an item merged into, items passed over."""

    created: list[int] = field(default_factory=list)
    merged: list[int] = field(default_factory=list)
    skipped: int = 0


def open_campaigns(*, session: Session) -> list[Campaign]:
    """Campaigns that collect outputs (active ones)."""
    query = select(Campaign).where(Campaign.status == CampaignStatus.active.value)
    return list(session.scalars(query.order_by(Campaign.id)))


@dataclass
class MatchState:
    """What one crawl run keeps between batches: each campaign's scorer and its stored links."""

    scorers: dict[int, LearnedScorer] = field(default_factory=dict)
    links: dict[int, dict[str, int]] = field(default_factory=dict)  # canonical URL → output id


def match_items(
    *,
    session: Session,
    items: Sequence[Item],
    campaign_ids: Sequence[int] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    state: MatchState | None = None,
) -> MatchResult:
    """Merge or discover each item in every open campaign (or the given ones) it belongs to.

    `state` carries each campaign's scorer and stored links from one batch of a crawl run to the
    next; leave it out to read them afresh.
    """
    result = MatchResult()
    state = state or MatchState()
    if campaign_ids is None:
        campaigns = open_campaigns(session=session)
    else:
        campaigns = [c for i in campaign_ids if (c := session.get(Campaign, i)) is not None]
    for campaign in campaigns:
        _match_campaign(session=session, campaign=campaign, items=items, threshold=threshold,
                        result=result, state=state)  # fmt: skip
    return result


def _match_campaign(
    *,
    session: Session,
    campaign: Campaign,
    items: Sequence[Item],
    threshold: float,
    result: MatchResult,
    state: MatchState,
) -> None:
    """Match the items against one campaign."""
    assigned = set(
        session.scalars(select(Assignment.unit_id).where(Assignment.campaign_id == campaign.id))
    )
    if campaign.id not in state.links:
        state.links[campaign.id] = stored_links(session=session, campaign_id=campaign.id)
    links = state.links[campaign.id]
    rows = session.execute(select(Unit.id, Unit.kind).where(Unit.id.in_(assigned)))
    kinds = {int(row[0]): str(row[1]) for row in rows}
    known = outputs.campaign_themes(session=session, campaign_id=campaign.id)
    start, end = outputs.period_bounds(session=session, campaign=campaign)
    zone = outputs.local_zone()
    for item in items:
        day = outputs.to_utc(item.published_at).astimezone(zone).date()
        if item.unit_id not in assigned or (start and day < start) or (end and day > end):
            result.skipped += 1
            continue
        url = canonical(item.url)
        if url in links:
            result.merged.append(_merge(session, links[url], item))
            continue
        if campaign.id not in state.scorers:
            state.scorers[campaign.id] = themes.campaign_scorer(
                session=session, campaign_id=campaign.id
            )
        # The title and the excerpt: what a stored output shows the learner (themes.service).
        excerpt = nfc(item.text)[:EXCERPT_CHARS]
        scores = state.scorers[campaign.id].score(
            Article(url, item.title, f"{item.title}\n{excerpt}")
        )
        codes = above(scores, threshold)
        if not codes:
            result.skipped += 1
            continue
        channel = channel_for(kinds.get(item.unit_id))
        output, created = discover(session=session, campaign_id=campaign.id, item=item,
                                   codes=codes, channel=channel, known=known)  # fmt: skip
        links[url] = output.id
        (result.created if created else result.merged).append(output.id)
    session.flush()


def _merge(session: Session, output_id: int, item: Item) -> int:
    """Merge an item into the stored output with its link; the output's id."""
    output = session.get(Output, output_id, execution_options={INCLUDE_REMOVED: True})
    if output is not None:
        merge_into(output, item)
    return output_id


def stored_links(*, session: Session, campaign_id: int) -> dict[str, int]:
    """The campaign's linked outputs by canonical URL (removed ones too: never stored twice)."""
    query = (
        select(Output.id, Output.url)
        .where(Output.campaign_id == campaign_id, Output.url != "")
        .execution_options(**{INCLUDE_REMOVED: True})
        .order_by(Output.id)
    )
    found: dict[str, int] = {}
    for output_id, url in session.execute(query):
        found.setdefault(canonical(url), int(output_id))
    return found


def merge_into(output: Output, item: Item) -> None:
    """What the crawl learnt about a stored output: its text, hash and republication."""
    if not output.excerpt:
        output.excerpt = nfc(item.text)[:EXCERPT_CHARS]
    output.content_hash = output.content_hash or content_hash(item.text)
    if item.republished_from and not output.republished_from:
        output.republished_from = item.republished_from


def channel_for(kind: str | None) -> str:
    """The channel a unit's own site is: an online paper for the press, else a portal."""
    return "bao_dien_tu" if kind in _NEWS_KINDS else "cong_ttdt"


def discover(
    *,
    session: Session,
    campaign_id: int,
    item: Item,
    codes: list[str],
    channel: str,
    known: dict[str, Theme],
) -> tuple[Output, bool]:
    """Store an item as a discovered output of its unit with the themes it scored on.

    When the unit stored the same link meanwhile (its key is taken), that output is returned,
    with created False, and the item is merged into it instead.
    """
    data = OutputCreate(
        campaign_id=campaign_id,
        unit_id=item.unit_id,
        title=(nfc(item.title).strip() or item.url)[:1000],
        url=item.url,
        channel=channel,
        form="tin",
        published_at=item.published_at,
        themes=codes,
        source=OutputSource.discovered,
        excerpt=nfc(item.text)[:EXCERPT_CHARS],
    )
    prepared = outputs.prepare(data, known_themes=known)
    # Set before the insert: changed after it, they would cost an UPDATE per output.
    prepared.values["content_hash"] = content_hash(item.text)
    prepared.values["republished_from"] = item.republished_from
    output, created = outputs.insert_prepared(session=session, actor=None, item=prepared)
    if not created:
        merge_into(output, item)
    return output, created


def decide(*, session: Session, actor: User | None, output_id: int, accepted: bool) -> Output:
    """A unit editor or coordinator confirms or rejects a discovered output.

    A confirmation stores each of its themes as an accepted example, so the campaign's scorer
    learns from it. A rejection says the item is not the unit's output, not that its themes are
    wrong, so it teaches nothing; a coordinator's rejection also marks it rejected (it leaves
    the counts), while a unit's stays an answer for the coordinator, who verifies.
    """
    output = outputs.get_output(session=session, output_id=output_id)
    outputs.check_write(actor, output.unit_id)
    if output.source != OutputSource.discovered.value:
        raise outputs.OutputError("Chỉ xác nhận được sản phẩm do hệ thống tìm thấy")
    if accepted:
        user_id = actor.id if actor else None
        for code in [t.code for t in output.themes]:
            themes.record(
                session=session, output_id=output.id, code=code, accepted=True, user_id=user_id
            )
    outputs.record_unit_answer(session=session, actor=actor, output=output, confirmed=accepted)
    # The ledger counts it as published-and-confirmed from now on (outputs/ledger.py).
    output.confirmed_at = utcnow() if accepted else None
    if not accepted and actor is not None and actor.role in outputs.VERIFIERS:
        output.verification = Verification.rejected.value
    session.flush()
    return output
