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


def match_items(
    *,
    session: Session,
    items: Sequence[Item],
    campaign_ids: Sequence[int] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    scorers: dict[int, LearnedScorer] | None = None,
) -> MatchResult:
    """Merge or discover each item in every open campaign (or the given ones) it belongs to.

    `scorers` keeps each campaign's theme scorer between calls (one crawl run feeds several
    batches); leave it out to rebuild them from the stored decisions.
    """
    result = MatchResult()
    scorers = {} if scorers is None else scorers
    if campaign_ids is None:
        campaigns = open_campaigns(session=session)
    else:
        campaigns = [c for i in campaign_ids if (c := session.get(Campaign, i)) is not None]
    for campaign in campaigns:
        _match_campaign(session=session, campaign=campaign, items=items, threshold=threshold,
                        result=result, scorers=scorers)  # fmt: skip
    return result


def _match_campaign(
    *,
    session: Session,
    campaign: Campaign,
    items: Sequence[Item],
    threshold: float,
    result: MatchResult,
    scorers: dict[int, LearnedScorer],
) -> None:
    """Match the items against one campaign."""
    assigned = set(
        session.scalars(select(Assignment.unit_id).where(Assignment.campaign_id == campaign.id))
    )
    by_url = stored_by_url(session=session, campaign_id=campaign.id)
    rows = session.execute(select(Unit.id, Unit.kind).where(Unit.id.in_(assigned)))
    kinds = {int(row[0]): str(row[1]) for row in rows}
    known = outputs.campaign_themes(session=session, campaign_id=campaign.id)
    scorer = scorers.get(campaign.id)
    for item in items:
        if item.unit_id not in assigned or outputs.outside_period(
            session=session, campaign=campaign, published=item.published_at
        ):
            result.skipped += 1
            continue
        url = canonical(item.url)
        existing = by_url.get(url)
        if existing is not None:
            merge_into(existing, item)
            result.merged.append(existing.id)
            continue
        if scorer is None:
            scorer = themes.campaign_scorer(session=session, campaign_id=campaign.id)
            scorers[campaign.id] = scorer
        scores = scorer.score(Article(url, item.title, f"{item.title}\n{item.text}"))
        codes = above(scores, threshold)
        if not codes:
            result.skipped += 1
            continue
        channel = channel_for(kinds.get(item.unit_id))
        output = discover(session=session, campaign_id=campaign.id, item=item, codes=codes,
                          channel=channel, known=known)  # fmt: skip
        by_url[url] = output
        result.created.append(output.id)
    session.flush()


def stored_by_url(*, session: Session, campaign_id: int) -> dict[str, Output]:
    """The campaign's linked outputs by canonical URL (removed ones too: never stored twice)."""
    query = (
        select(Output)
        .where(Output.campaign_id == campaign_id, Output.url != "")
        .execution_options(**{INCLUDE_REMOVED: True})
    )
    found: dict[str, Output] = {}
    for output in session.scalars(query.order_by(Output.id)):
        found.setdefault(canonical(output.url), output)
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
) -> Output:
    """Store an item as a discovered output of its unit with the themes it scored on."""
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
    output, _ = outputs.insert_prepared(session=session, actor=None, item=prepared)
    output.content_hash = content_hash(item.text)
    output.republished_from = item.republished_from
    return output


def decide(*, session: Session, actor: User | None, output_id: int, accepted: bool) -> Output:
    """A unit editor or coordinator confirms or rejects a discovered output; the scorer learns.

    A confirmation stores each of its themes as an accepted example; a rejection stores them
    as rejected and marks the output rejected, so it leaves the counts.
    """
    output = outputs.get_output(session=session, output_id=output_id)
    outputs.check_write(actor, output.unit_id)
    if output.source != OutputSource.discovered.value:
        raise outputs.OutputError("Chỉ xác nhận được sản phẩm do hệ thống tìm thấy")
    user_id = actor.id if actor else None
    for code in [t.code for t in output.themes]:
        themes.record(
            session=session, output_id=output.id, code=code, accepted=accepted, user_id=user_id
        )
    outputs.record_unit_answer(session=session, actor=actor, output=output, confirmed=accepted)
    if not accepted:
        output.verification = Verification.rejected.value
    session.flush()
    return output
