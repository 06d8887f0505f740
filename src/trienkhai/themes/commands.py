"""CLI: `trienkhai themes score` (contract in BRIEF.md)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from trienkhai.documents.readers.base import ReadError
from trienkhai.errors import InvalidError

app = typer.Typer(help="Chủ đề tuyên truyền (theme matching)", no_args_is_help=True)
EXIT_INVALID = 2
DEFAULT_THRESHOLD = 0.5  # scorer.DEFAULT_THRESHOLD; numpy and scikit-learn load only when used


@app.command("score")
def score(
    directive: Annotated[Path, typer.Option("--directive", help="Directive file with the themes")],
    articles: Annotated[Path, typer.Option("--articles", help="Articles, .jsonl or .jsonl.gz")],
    train: Annotated[
        Path | None,
        typer.Option("--train", help='Confirmed examples {"id","themes","title","text"}'),
    ] = None,
    threshold: Annotated[
        float, typer.Option("--threshold", min=0.0, max=1.0, help="Score a theme must reach")
    ] = DEFAULT_THRESHOLD,
    drivers: Annotated[
        bool, typer.Option("--drivers", help="Add the words that drove each score")
    ] = False,
) -> None:
    """Score each article against the directive's themes: one JSON line per article."""
    from trienkhai.themes.learn import LearnedScorer  # noqa: PLC0415 - keeps `trienkhai` fast
    from trienkhai.themes.scorer import above  # noqa: PLC0415
    from trienkhai.themes.sources import (  # noqa: PLC0415
        directive_themes,
        read_articles,
        read_examples,
    )

    try:
        themes = directive_themes(directive)
        scorer = LearnedScorer(themes)
        if train is not None:
            for article, labels in read_examples(train, [t.code for t in themes]):
                scorer.add(article, labels)
            scorer.fit()
        items = read_articles(articles)
    except ReadError as exc:
        typer.echo(f"{directive}: {exc.reason}", err=True)
        raise typer.Exit(EXIT_INVALID) from exc
    except (InvalidError, OSError) as exc:
        typer.echo(f"lỗi: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from exc
    for article in items:
        scores = scorer.score(article)
        line: dict[str, object] = {
            "id": article.id,
            "themes": above(scores, threshold),
            "scores": {code: s.score for code, s in scores.items()},
        }
        if drivers:
            line["drivers"] = {code: s.drivers for code, s in scores.items()}
        typer.echo(json.dumps(line, ensure_ascii=False))
