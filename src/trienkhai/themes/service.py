"""Theme decisions on outputs (stored as a campaign's labelled examples) and suggestions."""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict, defaultdict
from dataclasses import dataclass
from typing import Any, NamedTuple

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Theme
from trienkhai.db import utcnow
from trienkhai.errors import InvalidError, NotFoundError
from trienkhai.outputs.models import Output, output_themes
from trienkhai.themes.features import Article
from trienkhai.themes.learn import LearnedScorer
from trienkhai.themes.models import ThemeExample
from trienkhai.themes.scorer import DEFAULT_THRESHOLD, ThemeScore, ThemeSpec


def get_output(*, session: Session, output_id: int) -> Output:
    """The output or a 404."""
    output = session.get(Output, output_id)
    if output is None:
        raise NotFoundError(f"không có sản phẩm số {output_id} (output not found)")
    return output


def _themes(session: Session, campaign_id: int) -> list[Theme]:
    """The campaign's themes in their order."""
    query = select(Theme).where(Theme.campaign_id == campaign_id).order_by(Theme.position)
    return list(session.scalars(query))


def record(
    *, session: Session, output_id: int, code: str, accepted: bool, user_id: int | None = None
) -> ThemeExample:
    """Store a confirm or reject of a theme on an output and apply it to the output's themes."""
    output = get_output(session=session, output_id=output_id)
    theme = next((t for t in _themes(session, output.campaign_id) if t.code == code), None)
    if theme is None:
        raise InvalidError(f"chủ đề: chiến dịch không có mã '{code}'")
    example = session.scalar(
        select(ThemeExample).where(
            ThemeExample.output_id == output.id, ThemeExample.theme_id == theme.id
        )
    )
    if example is None:
        example = ThemeExample(
            campaign_id=output.campaign_id, output_id=output.id, theme_id=theme.id
        )
        session.add(example)
    example.accepted, example.decided_by, example.decided_at = accepted, user_id, utcnow()
    if accepted and theme not in output.themes:
        output.themes.append(theme)
    elif not accepted and theme in output.themes:
        output.themes.remove(theme)
    session.flush()
    return example


def article_of(output: Output) -> Article:
    """What the scorer reads of an output: its title and excerpt."""
    return _text_article(output.id, output.title, output.excerpt)


def _text_article(output_id: int, title: str, excerpt: str | None) -> Article:
    """An output's title and excerpt as the scorer reads them."""
    return Article(str(output_id), title, f"{title}\n{excerpt or ''}")


# Fitted scorers of the campaigns last used, kept in the process so a page of suggestions does
# not refit; each is keyed by a version of its stored examples and themes, so a decision (or an
# edited theme) rebuilds it on the next use, and a restart rebuilds it from the stored rows.
CACHE_SIZE = 16
_cache: OrderedDict[tuple[str, int], tuple[Any, LearnedScorer]] = OrderedDict()
_cache_lock = threading.Lock()


def _specs(themes: list[Theme]) -> list[ThemeSpec]:
    """The scorer's view of the campaign's themes."""
    return [ThemeSpec(t.code, t.text or t.title, list(t.keywords or [])) for t in themes]


def examples_version(*, session: Session, campaign_id: int) -> tuple[Any, ...]:
    """What changes whenever a decision is stored or flipped: count, ids, latest decision time."""
    row = session.execute(
        select(
            func.count(ThemeExample.id),
            func.max(ThemeExample.id),
            func.max(ThemeExample.decided_at),
            func.sum(case((ThemeExample.accepted, ThemeExample.id), else_=0)),
        ).where(ThemeExample.campaign_id == campaign_id)
    ).one()
    return tuple(str(v) for v in row)  # SQLite and PostgreSQL give times in different types


def clear_cache() -> None:
    """Forget every fitted scorer (what a restart does)."""
    with _cache_lock:
        _cache.clear()


def campaign_scorer(*, session: Session, campaign_id: int) -> LearnedScorer:
    """The campaign's fitted scorer: cached while its themes and stored decisions are unchanged."""
    themes = _themes(session, campaign_id)
    specs = _specs(themes)
    version = (examples_version(session=session, campaign_id=campaign_id), repr(specs))
    bind = session.get_bind()
    key = (str(bind.engine.url), campaign_id)  # campaign ids repeat across databases
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None and cached[0] == version:
            _cache.move_to_end(key)
            return cached[1]
    scorer = build_scorer(session=session, campaign_id=campaign_id, themes=themes)
    with _cache_lock:
        _cache[key] = (version, scorer)
        _cache.move_to_end(key)
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return scorer


def build_scorer(*, session: Session, campaign_id: int, themes: list[Theme]) -> LearnedScorer:
    """The campaign's scorer, rebuilt from its themes and every stored decision."""
    scorer = LearnedScorer(_specs(themes))
    codes = {t.id: t.code for t in themes}
    decided: dict[int, set[str]] = defaultdict(set)
    for example in session.scalars(
        select(ThemeExample).where(ThemeExample.campaign_id == campaign_id)
    ):
        accepted = decided[example.output_id]  # an output with only rejects is a negative
        if example.accepted:
            accepted.add(codes[example.theme_id])
    for output_id, accepted in sorted(decided.items()):
        scorer.add(article_of(get_output(session=session, output_id=output_id)), accepted)
    scorer.fit()
    return scorer


def score_output(*, session: Session, output_id: int) -> dict[str, ThemeScore]:
    """Every theme's score on an output, with its driving words, in theme order."""
    output = get_output(session=session, output_id=output_id)
    scorer = campaign_scorer(session=session, campaign_id=output.campaign_id)
    return scorer.score(article_of(output))


def _above(scorer: LearnedScorer, output: Output, threshold: float) -> list[ThemeScore]:
    """The output's themes at or above the threshold, best first."""
    found = [s for s in scorer.score(article_of(output)).values() if s.score >= threshold]
    return sorted(found, key=lambda s: -s.score)


def suggest_many(
    *,
    session: Session,
    campaign_id: int,
    outputs: list[Output],
    threshold: float = DEFAULT_THRESHOLD,
) -> dict[int, list[ThemeScore]]:
    """Suggestions for the outputs that have no theme yet (one scorer for all of them)."""
    bare = [o for o in outputs if not o.themes]
    if not bare:
        return {}
    scorer = campaign_scorer(session=session, campaign_id=campaign_id)
    refused = rejected_pairs(session=session, campaign_id=campaign_id)
    found = {
        o.id: [s for s in _above(scorer, o, threshold) if (o.id, s.code) not in refused]
        for o in bare
    }
    return {k: v for k, v in found.items() if v}


def rejected_pairs(*, session: Session, campaign_id: int) -> set[tuple[int, str]]:
    """(output id, theme code) a person said no to: never suggested or bulk-accepted again."""
    rows = session.execute(
        select(ThemeExample.output_id, Theme.code)
        .join(Theme, Theme.id == ThemeExample.theme_id)
        .where(ThemeExample.campaign_id == campaign_id, ThemeExample.accepted.is_(False))
    )
    return {(r[0], r[1]) for r in rows}


def suggest(
    *, session: Session, output_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[ThemeScore]:
    """The themes an output scores at or above the threshold on, best first, with their words."""
    output = get_output(session=session, output_id=output_id)
    scorer = campaign_scorer(session=session, campaign_id=output.campaign_id)
    refused = rejected_pairs(session=session, campaign_id=output.campaign_id)
    return [s for s in _above(scorer, output, threshold) if (output.id, s.code) not in refused]


def above_threshold(
    *, session: Session, campaign_id: int, threshold: float
) -> dict[int, list[ThemeScore]]:
    """The campaign's untagged outputs with the themes they reach the threshold on."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidError("ngưỡng: cần một số trong khoảng (0, 1]")
    query = select(Output).where(Output.campaign_id == campaign_id).order_by(Output.id)
    outputs = list(session.scalars(query))
    return suggest_many(
        session=session, campaign_id=campaign_id, outputs=outputs, threshold=threshold
    )


def accept_above(
    *, session: Session, campaign_id: int, threshold: float, user_id: int | None = None
) -> int:
    """Accept every suggestion at or above the threshold on the campaign's untagged outputs."""
    found = above_threshold(session=session, campaign_id=campaign_id, threshold=threshold)
    for output_id, scores in found.items():
        for score in scores:
            record(
                session=session, output_id=output_id, code=score.code, accepted=True,
                user_id=user_id,
            )  # fmt: skip
    return sum(len(v) for v in found.values())


@dataclass(frozen=True)
class ThemeLine:
    """One theme as the output page shows it: score, driving words and where it stands."""

    code: str
    title: str
    score: float
    drivers: list[str]
    status: str  # "assigned", "suggested" (at or above the threshold), "rejected" or "below"


def theme_lines(
    *, session: Session, output_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[ThemeLine]:
    """Every theme of the output's campaign with its score, drivers and status, in order."""
    output = get_output(session=session, output_id=output_id)
    scores = score_output(session=session, output_id=output_id)
    assigned = {t.id for t in output.themes}
    rejected = set(
        session.scalars(
            select(ThemeExample.theme_id).where(
                ThemeExample.output_id == output.id, ThemeExample.accepted.is_(False)
            )
        )
    )
    lines = []
    for theme in _themes(session, output.campaign_id):
        score = scores[theme.code]
        if theme.id in assigned:
            status = "assigned"
        elif theme.id in rejected:
            status = "rejected"
        else:
            status = "suggested" if score.score >= threshold else "below"
        lines.append(ThemeLine(theme.code, theme.title, score.score, score.drivers, status))
    return lines


class MachineTag(NamedTuple):
    """An output with no confirmed theme and the themes the matcher alone gives it."""

    output_id: int
    unit_id: int
    channel: str
    codes: tuple[str, ...]


# Above-threshold themes per scored text, for each fitted scorer (dropped with it): a report
# re-read while nothing was decided scores no output twice.
_machine_memo: weakref.WeakKeyDictionary[LearnedScorer, dict[tuple[str, str], tuple[str, ...]]]
_machine_memo = weakref.WeakKeyDictionary()


def machine_themes(
    *, session: Session, campaign_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[MachineTag]:
    """The campaign's untagged outputs that reach the threshold on a theme nobody rejected."""
    # A correlated NOT EXISTS, not NOT IN (all tagged ids): PostgreSQL plans it as an anti-join
    # on output_themes' key instead of hashing every tag of the nation (3,000,000 rows).
    tagged = select(output_themes.c.output_id).where(output_themes.c.output_id == Output.id)
    rows = session.execute(
        select(Output.id, Output.unit_id, Output.channel, Output.title, Output.excerpt)
        .where(Output.campaign_id == campaign_id, ~tagged.exists())
        .order_by(Output.id)
    ).all()
    if not rows:
        return []
    scorer = campaign_scorer(session=session, campaign_id=campaign_id)
    with _cache_lock:
        memo = _machine_memo.setdefault(scorer, {})
    refused = rejected_pairs(session=session, campaign_id=campaign_id)
    found = []
    for output_id, unit_id, channel, title, excerpt in rows:
        key = (title, excerpt or "")
        codes = memo.get(key)
        if codes is None:
            scores = scorer.score(_text_article(output_id, title, excerpt))
            codes = memo[key] = tuple(c for c, s in scores.items() if s.score >= threshold)
        kept = tuple(c for c in codes if (output_id, c) not in refused)
        if kept:
            found.append(MachineTag(output_id, unit_id, channel, kept))
    return found
