"""Simulated tesseract tone confusions on held-out sentences: what the pair corrector fixes, breaks.

Run: `python -m bench.tone_confusions ../shared/corpus [--sentences 4000]`. The model is rebuilt
from vntc-train and recent only (into a temporary file), and sentences are drawn from vntc-test,
which that model never saw. Confusions follow what the scan gate showed, at rates above
tesseract's so the counts are large: in ordinary case a hook read as an acute, a bare vowel given
an acute or a hook by a speck; a quarter of the sentences are set in capitals, where marks are also
lost (ă → a), changed (ngã → nặng) or made up (a dot below). The clean sentences, and the vbpl dev
subjects that the scan gate does not use, are also run as they are, to count changes to correct
text.
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

from trienkhai.documents.build_syllables import build, texts
from trienkhai.documents.syllables import Model, fix_tones, model
from trienkhai.text import nfc

_ACUTE, _HOOK, _TILDE, _DOT = "\u0301", "\u0309", "\u0303", "\u0323"
_TONES = (_ACUTE, _HOOK, _TILDE, _DOT, "\u0300")
_VOWELS = set("aeiouyăâêôơư")
RATIOS = (10.0, 100.0, 300.0, 1000.0, 3000.0, 10000.0)


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


def _changed(text: str, ratio: float, m: Model) -> int:
    """How many words of a correct text the corrector changes."""
    fixed = fix_tones(text, ratio, m).split(" ")
    return sum(a != b for a, b in zip(text.split(" "), fixed, strict=True))


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


def run(corpus: Path, count: int, train: Path | None = None) -> dict[str, object]:
    """Counts per ratio: errors made, fixed, words broken; changes to clean sentences."""
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        path = train or Path(tmp) / "train.npz"
        if train is None or not train.exists():
            build(corpus, path, ["vntc-train.jsonl.gz", "recent.jsonl.gz"])
        m = model(path)
    clean = sentences(corpus, count)
    clean = [s.upper() if rng.random() < 0.25 else s for s in clean]
    damaged = [" ".join(_confuse(w, s.isupper(), rng) for w in s.split(" ")) for s in clean]
    subjects = [
        json.loads(line)["subject"]
        for line in (corpus / "vbpl" / "labels-dev.jsonl").read_text("utf-8").splitlines()
        if json.loads(line)["id"] not in set(gate_ids())
    ]
    rows = {}
    for ratio in RATIOS:
        made, fixed, broken = Counter[str](), Counter[str](), Counter[str]()
        clean_changed = words = 0
        for truth, seen in zip(clean, damaged, strict=True):
            got = fix_tones(seen, ratio, m).split(" ")
            case = "capitals" if truth.isupper() else "ordinary"
            for t, s, g in zip(truth.split(" "), seen.split(" "), got, strict=True):
                words += 1
                made[case] += t != s
                fixed[case] += t != s and g == t
                broken[case] += t == s and g != t
            clean_changed += _changed(truth, ratio, m)
        legal_changed = sum(_changed(subject, ratio, m) for subject in subjects)
        rows[str(ratio)] = {
            "confusions": dict(made),
            "fixed": dict(fixed),
            "correct_words_broken": dict(broken),
            "clean_news_words_changed": clean_changed,
            "clean_legal_subject_words_changed": legal_changed,
        }
    return {"sentences": len(clean), "words": words, "by_ratio": rows}


def main() -> None:
    """Command line."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("corpus", type=Path)
    parser.add_argument("--sentences", type=int, default=4000)
    parser.add_argument("--train", type=Path, help="keep the train-only model in this file")
    args = parser.parse_args()
    print(json.dumps(run(args.corpus, args.sentences, args.train), indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
