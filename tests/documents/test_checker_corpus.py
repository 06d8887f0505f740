"""Every checker rule over the dev corpora: no error on a correct real document.

The error findings left are faults the documents really print, each listed with its reason; a
new error on a dev document is a false alarm until shown otherwise.
"""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests.corpus import need_corpus
from trienkhai.documents.checker import check_record
from trienkhai.documents.parser import parse_file, parse_text

TODAY = dt.date(2026, 12, 3)
# (document, rule): what the printed text gets wrong.
TRUE_FAULTS = {
    # "Quyết định số 18/2019/QĐ-TTg ngày 19/4/2018": the year group says 2019.
    ("cv-025", "ND30-CITATION-YEAR"),
    # "Nghị quyết số 163/2024/QH15 ngày 27 tháng 11 năm 2025": the resolution is of 2024.
    ("cv-051", "ND30-CITATION-YEAR"),
    # The published copy lost its "Độc lập - Tự do - Hạnh phúc" line.
    ("vbpl-0013", "ND30-TIEU-NGU-MISSING"),
    # "ngày 18 tháng 15 năm 2020": no month 15.
    ("vbpl-0031", "ND30-DATE-IMPOSSIBLE"),
    # "Nghị định số 187/2020/NĐ-CP ngày 01 tháng 7 năm 2025": year group and date disagree.
    ("vbpl-0195", "ND30-CITATION-YEAR"),
    # "Nghị định số 111/2015/NĐ-CP ngày 03 tháng 11 năm 2025", printed so in the amending clause.
    ("vbpl-0287", "ND30-CITATION-YEAR"),
}


@pytest.mark.slow
@pytest.mark.parametrize("corpus", ["congvan", "vbpl"])
def test_no_false_error_on_the_dev_documents(corpus: str) -> None:
    labels = need_corpus(corpus, "labels-dev.jsonl")
    ids = [json.loads(line)["id"] for line in labels.read_text(encoding="utf-8").splitlines()]
    errors = set()
    for doc_id in ids:
        record = parse_file(need_corpus(corpus, f"{doc_id}.txt"))
        findings = check_record(record, today=TODAY)
        errors |= {(doc_id, f.rule) for f in findings if f.severity == "error"}
    expected = {fault for fault in TRUE_FAULTS if fault[0] in ids}
    assert errors - expected == set(), "false alarms"
    assert expected - errors == set(), "true faults no longer found"


def test_a_normative_copy_without_noi_nhan_is_a_warning_a_letter_without_one_an_error() -> None:
    head = "BỘ TÀI CHÍNH\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
    tail = "\nHà Nội, ngày 05 tháng 3 năm 2025\n{kind}\nVề việc thử\nCăn cứ Luật.\nBỘ TRƯỞNG\n"
    normative = parse_text(head + "Số: 12/2025/TT-BTC" + tail.format(kind="THÔNG TƯ"))
    letter = parse_text(head + "Số: 12/BTC-VP" + tail.format(kind="V/v thử"))
    severity = {
        name: {f.rule: f.severity for f in check_record(rec, today=TODAY)}
        for name, rec in (("normative", normative), ("letter", letter))
    }
    assert severity["normative"]["ND30-NOI-NHAN-MISSING"] == "warning"
    assert severity["letter"]["ND30-NOI-NHAN-MISSING"] == "error"
