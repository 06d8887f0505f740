"""A task's full text as printed, and who leads ("chủ trì") and who supports ("phối hợp") it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Protocol

from trienkhai.documents.agencies import split_units
from trienkhai.documents.grammar import item_rank

# "Căn cứ chức năng, nhiệm vụ (được giao), phối hợp …": the unit's task is to support.
_SUPPORTS_FIRST = re.compile(
    r"^(?:Căn cứ (?:chức năng|nhiệm vụ)[^,]{0,60},\s*(?:nhiệm vụ[^,]{0,40},\s*)?)?"
    r"(?:chủ động\s+)?phối hợp\b",
    re.IGNORECASE,
)
_LEADS = re.compile(r"\bchủ trì\b|\blà cơ quan (?:thường trực|đầu mối|chủ trì)\b", re.IGNORECASE)
# "phối hợp (chặt chẽ) với X (để / trong / …)": X supports. A capitalised or "các" name follows.
_WITH = re.compile(
    r"\bphối hợp(?:\s+chặt chẽ)?\s+với\s+(?P<names>(?:các\s+|[A-ZĐỦ])[^.;:()]{2,220}?)"
    r"(?=\s+(?:để|trong|tổ chức|triển khai|thực hiện|tham mưu|xây dựng|hướng dẫn|kiểm tra|"
    r"theo|tuyên truyền|đẩy mạnh|rà soát|nghiên cứu|xử lý|giải quyết|cung cấp|hoàn thành|"
    r"bảo đảm|đảm bảo|chỉ đạo|thường xuyên|kịp thời|tăng cường|có|nhằm|khi|về|đối với|tại)\b"
    r"|\s*[.;:(]|$)"
)
_NOT_A_UNIT = re.compile(r"^(?:các\s+)?(?:nội dung|hoạt động|chương trình|kế hoạch)\b", re.I)


class Node(Protocol):
    """What a task item offers: its label, kind, text and sub-items."""

    label: str
    kind: str
    text: str


def task_text(own: str, children: Sequence[Node]) -> str:
    """The task's own words, then each sub-item on its line, indented as it nests."""
    lines = [own] if own else []
    stack: list[int] = []
    for child in children:
        rank = item_rank(child.kind)
        while stack and stack[-1] >= rank:
            stack.pop()
        lines.append(f"{'  ' * len(stack)}{child.label} {child.text}".rstrip())
        stack.append(rank)
    return "\n".join(lines)


def supporters(text: str) -> list[str]:
    """Units a task names after "phối hợp với" (each unit of a list)."""
    # Imported here: the item reader in assignments builds on this module.
    from trienkhai.documents.assignments import cut_at_verb  # noqa: PLC0415

    found: list[str] = []
    for match in _WITH.finditer(text):
        for unit in split_units(cut_at_verb(f" {match.group('names')}").strip()):
            if not _NOT_A_UNIT.match(unit) and unit not in found:
                found.append(unit)
    return found


def heading_supports(own: str, children: Sequence[Node]) -> bool:
    """True when the heading units only support: the task opens with "phối hợp", leads nothing."""
    first = own or (children[0].text if children else "")
    whole = " ".join([own, *(c.text for c in children)])
    return bool(_SUPPORTS_FIRST.match(first.strip())) and not _LEADS.search(whole)


def roles(units: list[str], own: str, children: Sequence[Node]) -> tuple[list[str], list[str]]:
    """(lead, support): the heading units lead unless they only support; named partners support."""
    whole = " ".join([own, *(c.text for c in children)])
    named = [u for u in supporters(whole) if u not in units]
    if heading_supports(own, children):
        return [], [*units, *named]
    return list(units), named
