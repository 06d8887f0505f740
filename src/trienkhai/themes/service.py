"""Theme decisions on outputs (stored as a campaign's labelled examples) and suggestions."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import select
from sqlalchemy.orm import Session

from trienkhai.campaigns.models import Theme
from trienkhai.db import utcnow
from trienkhai.errors import InvalidError, NotFoundError
from trienkhai.outputs.models import Output
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


def _article(output: Output) -> Article:
    """What the scorer reads of an output: its title and excerpt."""
    return Article(str(output.id), output.title, f"{output.title}\n{output.excerpt}")


def campaign_scorer(*, session: Session, campaign_id: int) -> LearnedScorer:
    """The campaign's scorer, rebuilt from its themes and every stored decision."""
    themes = _themes(session, campaign_id)
    specs = [ThemeSpec(t.code, t.text or t.title, list(t.keywords or [])) for t in themes]
    scorer = LearnedScorer(specs)
    codes = {t.id: t.code for t in themes}
    decided: dict[int, set[str]] = defaultdict(set)
    for example in session.scalars(
        select(ThemeExample).where(ThemeExample.campaign_id == campaign_id)
    ):
        accepted = decided[example.output_id]  # an output with only rejects is a negative
        if example.accepted:
            accepted.add(codes[example.theme_id])
    for output_id, accepted in sorted(decided.items()):
        scorer.add(_article(get_output(session=session, output_id=output_id)), accepted)
    scorer.fit()
    return scorer


def _above(scorer: LearnedScorer, output: Output, threshold: float) -> list[ThemeScore]:
    """The output's themes at or above the threshold, best first."""
    found = [s for s in scorer.score(_article(output)).values() if s.score >= threshold]
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
    found = {o.id: _above(scorer, o, threshold) for o in bare}
    return {k: v for k, v in found.items() if v}


def suggest(
    *, session: Session, output_id: int, threshold: float = DEFAULT_THRESHOLD
) -> list[ThemeScore]:
    """The themes an output scores at or above the threshold on, best first, with their words."""
    output = get_output(session=session, output_id=output_id)
    return _above(
        campaign_scorer(session=session, campaign_id=output.campaign_id), output, threshold
    )


def accept_above(
    *, session: Session, campaign_id: int, threshold: float, user_id: int | None = None
) -> int:
    """Accept every suggestion at or above the threshold on the campaign's untagged outputs."""
    if not 0.0 < threshold <= 1.0:
        raise InvalidError("ngưỡng: cần một số trong khoảng (0, 1]")
    query = select(Output).where(Output.campaign_id == campaign_id).order_by(Output.id)
    outputs = list(session.scalars(query))
    found = suggest_many(
        session=session, campaign_id=campaign_id, outputs=outputs, threshold=threshold
    )
    for output_id, scores in found.items():
        for score in scores:
            record(
                session=session, output_id=output_id, code=score.code, accepted=True,
                user_id=user_id,
            )  # fmt: skip
    return sum(len(v) for v in found.values())
