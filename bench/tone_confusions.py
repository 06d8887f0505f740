"""Simulated tesseract tone confusions on held-out sentences: what the pair corrector fixes, breaks.

Run: `python -m bench.tone_confusions ../shared/corpus [--sentences 4000]`. The model is rebuilt
from vntc-train, recent and the legal text other than vbpl (congvan dev, the Decree 30 files) into
a temporary file, so the sentences drawn from vntc-test and the vbpl subjects are text that model
never saw; the channel is the shipped one (measured on other pages by bench/ocr_confusions.py).
Confusions follow what the scan gate showed, at rates above
tesseract's so the counts are large: in ordinary case a hook read as an acute, a bare vowel given
an acute or a hook by a speck; a quarter of the sentences are set in capitals, where marks are also
lost (ă → a), changed (ngã → nặng) or made up (a dot below). The clean sentences, and the vbpl dev
subjects that the scan gate does not use, are also run as they are, to count changes to correct
text (false corrections), for each extra cost of a change (the ratio).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import tempfile
import unicodedata
from collections import Counter
from pathlib import Path

from tests.documents.test_scans_gate import gate_ids

from trienkhai.documents.build_syllables import LEGAL_WEIGHT, build, texts
from trienkhai.documents.syllables import Channel, Model, case_of, channel, fix_tones, model
from trienkhai.text import nfc

_ACUTE, _HOOK, _TILDE, _DOT = "\u0301", "\u0309", "\u0303", "\u0323"
_TONES = (_ACUTE, _HOOK, _TILDE, _DOT, "\u0300")
_VOWELS = set("aeiouyăâêôơư")
# Legal text for the bench model: not vbpl, whose dev subjects measure the false corrections.
BENCH_LEGAL = ("congvan", "docx-originals")
RATIOS = (1.0, 3.0, 10.0, 30.0, 100.0, 300.0)


def _confuse(word: str, capitals: bool, rng: random.Random) -> str:
    """The word as tesseract might read it (often unchanged)."""
    parts = unicodedata.normalize("NFD", word)
    tone = next((ch for ch in parts if ch in _TONES), "")
    vowel = next((i for i, ch in enumerate(parts) if ch.lower() in "aeiouy"), None)
    bare = vowel is not None and not tone
    roll = rng.random()
    out = parts
    if tone == _HOOK and roll < 0.15:
        out = parts.replace(_HOOK, _ACUTE)
    elif bare and roll < 0.03 and vowel is not None:
        out = parts[: vowel + 1] + (_ACUTE if roll < 0.015 else _HOOK) + parts[vowel + 1 :]
    elif capitals and "\u0306" in parts and roll < 0.25:  # ă → a
        out = parts.replace("\u0306", "")
    elif capitals and tone == _TILDE and roll < 0.15:
        out = parts.replace(_TILDE, _DOT)
    elif capitals and bare and roll > 0.97 and vowel is not None:
        out = parts[: vowel + 1] + _DOT + parts[vowel + 1 :]
    return nfc(out)


def _sampled(word: str, capitals: bool, rng: random.Random, ch: Channel) -> str:
    """The word as tesseract reads it by the measured channel: each letter drawn from its counts."""
    table = ch.counts["capitals" if capitals else "ordinary"]
    out = []
    for letter in word.lower():
        row = table.get(letter)
        forms = sorted(row) if row else [letter]
        out.append(rng.choices(forms, weights=[row[f] for f in forms])[0] if row else letter)
    read = "".join(out)
    return (
        read.upper()
        if capitals
        else "".join(r.upper() if w.isupper() else r for w, r in zip(word, read, strict=True))
    )


def _changes(text: str, ratio: float, m: Model) -> list[tuple[str, str]]:
    """The words of a correct text the corrector changes (word, changed to)."""
    fixed = fix_tones(text, ratio, m).split(" ")
    return [(a, b) for a, b in zip(text.split(" "), fixed, strict=True) if a != b]


def _score(
    clean: list[str], damaged: list[str], ratio: float, m: Model
) -> dict[str, dict[str, int]]:
    """Per case: confusions made, fixed, and correct words broken by the corrector."""
    made, fixed, broken = Counter[str](), Counter[str](), Counter[str]()
    for truth, seen in zip(clean, damaged, strict=True):
        got = fix_tones(seen, ratio, m).split(" ")
        case = "capitals" if truth.isupper() else "ordinary"
        for t, s, g in zip(truth.split(" "), seen.split(" "), got, strict=True):
            made[case] += t != s
            fixed[case] += t != s and g == t
            broken[case] += t == s and g != t
    return {"confusions": dict(made), "fixed": dict(fixed), "correct_words_broken": dict(broken)}


def sentences(corpus: Path, count: int) -> list[str]:
    """Sentences of vntc-test articles, in file order."""
    out: list[str] = []
    for text in texts(corpus, ["vntc-test.jsonl.gz"]):
        for sentence in re.split(r"(?<=[.!?])\s+|\n", text):
            if 6 <= len(sentence.split()) <= 40:
                out.append(sentence)
        if len(out) >= count:
            break
    return out[:count]


def run(
    corpus: Path, count: int, train: Path | None = None, legal_weight: int = LEGAL_WEIGHT
) -> dict[str, object]:
    """Counts per ratio: errors made, fixed, words broken; changes to clean sentences."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = train or Path(tmp) / "train.npz"
        if train is None or not train.exists():
            news = ["vntc-train.jsonl.gz", "recent.jsonl.gz"]
            build(corpus, path, news, BENCH_LEGAL, legal_weight)
        m = model(path)
    clean = sentences(corpus, count)
    clean = [s.upper() if rng.random() < 0.25 else s for s in clean]
    damaged = [" ".join(_confuse(w, s.isupper(), rng) for w in s.split(" ")) for s in clean]
    subjects = [
        json.loads(line)["subject"]
        for line in (corpus / "vbpl" / "labels-dev.jsonl").read_text("utf-8").splitlines()
        if json.loads(line)["id"] not in set(gate_ids())
    ]
    ch = channel()
    sampled = [
        " ".join(_sampled(w, case_of(w) == "capitals", rng, ch) for w in s.split(" "))
        for s in clean
    ]
    # The legal subjects read five times over through the channel (each with other misreadings).
    legal_clean = subjects * 5
    legal_read = [
        " ".join(_sampled(w, s.isupper(), rng, ch) for w in s.split(" ")) for s in legal_clean
    ]
    rows = {}
    for ratio in RATIOS:
        changed = Counter(pair for truth in clean for pair in _changes(truth, ratio, m))
        legal = Counter(pair for subject in subjects for pair in _changes(subject, ratio, m))
        rows[str(ratio)] = {
            "rates_above_tesseract": _score(clean, damaged, ratio, m),
            "measured_channel": _score(clean, sampled, ratio, m),
            "legal_subjects_measured_channel": _score(legal_clean, legal_read, ratio, m),
            "clean_news_words_changed": sum(changed.values()),
            "clean_legal_subject_words_changed": sum(legal.values()),
            "clean_changes_commonest": [f"{a}→{b} {n}" for (a, b), n in changed.most_common(8)],
            "clean_legal_changes": [f"{a}→{b}" for a, b in legal],
        }
    words = sum(len(s.split(" ")) for s in clean)
    legal_words = sum(len(s.split(" ")) for s in subjects)
    return {"sentences": len(clean), "words": words, "legal_words": legal_words, "by_ratio": rows}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sentences", type=int, default=4000)
    parser.add_argument("--train", type=Path, help="keep the train-only model in this file")
    parser.add_argument("--legal-weight", type=int, default=LEGAL_WEIGHT)
    args = parser.parse_args()
    result = run(args.corpus, args.sentences, args.train, args.legal_weight)
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
