"""Assignments: who is asked to do what, through which channels, by when."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from trienkhai.documents.agencies import split_units
from trienkhai.documents.channels import channels, deadlines, forms
from trienkhai.documents.grammar import ITEM_LABEL, item_kind, item_rank
from trienkhai.documents.schemas import Assignment
from trienkhai.documents.sections import Heading
from trienkhai.documents.tasks import roles, task_text

_LABEL = ITEM_LABEL
# Sections that explain aims, budget or background assign nobody. A conclusion notice answers
# "kiến nghị của tỉnh" with tasks, so only the issuer's own requests are left out.
_NO_TASKS = re.compile(
    r"MỤC ĐÍCH|YÊU CẦU|MỤC TIÊU|KINH PHÍ|ĐÁNH GIÁ|PHẠM VI|ĐỐI TƯỢNG|TÌNH HÌNH|KẾT QUẢ|DỰ BÁO|"
    r"THỦ TỤC|SỐ LƯỢNG|TIÊU CHÍ|TIÊU CHUẨN|KIẾN NGHỊ(?! CỦA)|NỘI DUNG THI ĐUA|HÌNH THỨC KHEN",
    re.IGNORECASE,
)
_TASK_SECTION = re.compile(
    r"TỔ CHỨC THỰC HIỆN|NHIỆM VỤ CỤ THỂ|PHÂN CÔNG|TRÁCH NHIỆM|^NHIỆM VỤ\W*$", re.IGNORECASE
)
_LEAD = re.compile(r"^(?:Đề nghị|Giao cho|Giao|Khuyến khích|Trách nhiệm của)\s+", re.IGNORECASE)
_OWNER = re.compile(r"^Trách nhiệm của\s", re.IGNORECASE)
_UNIT_WORDS = (
    r"(?:Sở|Bộ|Ban|Ủy ban|Uỷ ban|UBND|Chủ tịch|Giám đốc|Thủ trưởng|Bộ trưởng|Các|các|Công an|"
    r"Thanh tra|Báo|Đài|Cổng|Trung tâm|Văn phòng|Cục|Tổng cục|Chi cục|Viện|Tòa án|Toà án|Hội|"
    r"Liên đoàn|Liên minh|Đoàn|Mặt trận|Tỉnh đoàn|Thành đoàn|Thuế|Kho bạc|Ngân hàng|Công ty|"
    r"Tập đoàn|Tổng Công ty|Doanh nghiệp|Người đứng đầu|người đứng đầu|Thường trực|Phó Thủ tướng|"
    r"Thủ tướng|Trưởng ban|Trưởng Ban|Cơ quan|Đơn vị|Bưu điện|Lãnh đạo|Cấp ủy|"
    r"Bộ Chỉ huy|Bộ CHQS|Thông tấn xã|Sở,|Tất cả các cơ quan|Ngành|Học viện|Trường|Đại học|"
    r"Lực lượng|Bảo hiểm|Điện lực|Tổ công tác|Hội đồng|UBMTTQ|MTTQ)\b"
)
_UNIT_START = re.compile(f"^{_UNIT_WORDS}")
# "Căn cứ Kế hoạch này, các sở …" / "Trên cơ sở …, Bộ Tài chính …": the unit follows the
# first comma that a unit word follows.
_PREAMBLE = re.compile(r"^(?:Căn cứ|Trên cơ sở|Để|Sau khi)\b[^:;]{0,160}?,\s+" f"(?={_UNIT_WORDS})")
_NOT_UNITS = re.compile(
    r"^[Cc]ác\s+(?:nội dung|hoạt động|dự án|chỉ tiêu|nhiệm vụ|giải pháp|văn bản|chương trình|"
    r"chính sách|trường hợp|quy định|mục tiêu|biện pháp|công trình|tiêu chí|khu|cụm|bước|"
    r"phong trào|sản phẩm|thông tin|tin|số liệu|kết quả|yêu cầu|hình thức|loại|lĩnh vực|vấn đề|"
    r"tuyến|địa bàn|ngành hàng|cấp,|cấp\s+ủy\s+đảng\s+phải)\b|"
    r"^(?:Trường hợp|Ban hành|Báo cáo|Hội nghị|Hệ thống|Cơ quan (?:chủ trì|thực hiện|phối hợp)\s*:|"
    r"Đơn vị (?:chủ trì|thực hiện|phối hợp)\s*:|Thời gian|Cấp độ|Ngành hàng)"
)
_VERB = re.compile(
    r"(?<!giao)(?<!Cơ quan)\schủ trì|\s(?:có|chịu) trách nhiệm|\stheo chức năng|(?<!Ban)\schỉ đạo|"
    r"\sxây dựng (?:[Kk]ế hoạch|các|chương trình|phương án|dự thảo|quy chế|đề án)|"
    r"(?<!quan)(?<!nghệ)(?<!Cổng)(?<!cổng)(?<!Trang)(?<!trang)\sthông tin|"
    r"(?<!Cơ quan)\sphối hợp|(?<!quan)\stham mưu|(?<!việc)\sthực hiện|"
    r"(?<!công)\slập|\sbằng nhiều|\strực tiếp|\stiên phong|"
    r"\s(?:khẩn trương|tiếp tục|căn cứ|rà soát|hướng dẫn|bố trí|nghiên cứu|"
    r"triển khai|đẩy mạnh|đẩy nhanh|tăng cường|kiểm tra|theo dõi|chủ động|kịp thời|cung cấp|"
    r"quán triệt|"
    r"thường xuyên|là cơ quan|là đầu mối|tập trung|yêu cầu|cần|phải|nghiêm túc|ưu tiên|đôn đốc|"
    r"ban hành|trình|báo cáo|tuyên truyền|phổ biến|vận động|hỗ trợ|bảo đảm|đảm bảo|sớm|"
    r"thống nhất|huy động|giám sát|hoàn thành|tích cực|nâng cao|tiến hành|xem xét|đề xuất|"
    r"khảo sát|duy trì|tổng hợp|làm việc|khắc phục|chuẩn bị|quyết liệt|dành|tạo điều kiện|cử|"
    r"đăng tải|đăng phát|phát(?! thanh| triển)|mở|ký kết|sẵn sàng|bám sát|chấp hành|nắm|"
    r"điều hành|gửi|trả lời|"
    r"tham gia|đánh giá|quan tâm|vào cuộc|tập huấn|đồng thời|trong phạm vi|"
    r"tổ chức(?! chính trị|,| cá nhân| xã hội| đoàn thể| và| hội| liên quan| tín dụng| kinh tế|"
    r" có liên quan))\b"
    # A capitalised verb opens the paragraph after a unit heading line.
    r"|(?<!Ban)\sChỉ đạo"
    r"|\s(?:Căn cứ|Phối hợp|Chủ trì|Tăng cường|Thực hiện|Tham mưu|Triển khai|Hướng dẫn|"
    r"Tiếp tục|Chủ động|Ban hành|Đẩy mạnh|Rà soát|Nghiên cứu|Kiểm tra|Theo dõi|Bố trí|Tổng hợp|"
    r"Cung cấp|Quán triệt|Hỗ trợ|Định kỳ|Là cơ quan|Là đầu mối|Tuyên truyền|Phổ biến|Vận động|"
    r"Giám sát|Đôn đốc|Khẩn trương|Tập trung|Nâng cao|Duy trì|Tích cực|Xây dựng kế hoạch|"
    r"Đảm bảo|Bảo đảm|Thường xuyên|Yêu cầu|Tổ chức (?:thực hiện|triển khai|tuyên truyền|tập huấn|"
    r"kiểm tra|các)|Lập|Theo|Đối với|Trên cơ sở|Trong|Trường hợp|Có trách nhiệm|"
    r"Chịu trách nhiệm|Hằng năm|Hàng năm|Ưu tiên|Thực thi|Khai thác|Bằng)\b"
)
# Words that open a unit's task inside a bold heading ("Sở X chủ trì, phối hợp:").
_HEADING_VERB = re.compile(
    r"\s(?:chủ trì|(?:có|chịu) trách nhiệm|phối hợp|thực hiện|tham mưu|triển khai|chỉ đạo)\b"
)
_NOTE_AFTER = re.compile(r"\s*(?P<note>\([^()]{1,200}\))\s*:")
_PLURAL = re.compile(r"(?:Tất cả\s+)?[Cc]ác\s+")
# What a plural unit heading is made of: bodies, their heads, members, places and firms.
_PLURAL_UNIT = re.compile(
    r"(?:sở|ban|ngành|bộ|cơ quan|cơ sở|đơn vị|địa phương|doanh nghiệp|tổ chức|cá nhân|chủ|"
    r"đồng chí|cấp|lực lượng|tập đoàn|tổng công ty|công ty|trung tâm|hội|hiệp hội|đoàn|"
    r"đoàn thể|ủy ban|uỷ ban|UBND|xã|phường|huyện|tỉnh|thành phố|ngân hàng|hợp tác xã|trường|"
    r"nhà|báo|đài|cục|chi cục|tổng cục|vụ|viện|phòng|chi nhánh|thành viên|cán bộ|thủ trưởng|"
    r"giám đốc|chủ tịch|người|hộ|bệnh viện|cảng|tổ|ban quản lý|văn phòng|"
    r"thôn|khu dân cư|học viện|đại học|bưu|nhà mạng|chủ thể|ngành)\b",
    re.IGNORECASE,
)
# Words that close a unit's name ("… liên quan", "… các cấp"): a lower-case word after them
# starts the task, whatever verb it is ("Các sở liên quan kiện toàn …").
_CLOSER = re.compile(
    r"\s(?:(?:có\s+)?liên quan|các cấp)(?=\s+(?!(?:tới|đến|với|trong|và|ủy|uỷ|thuộc|của|học)\b)"
    r"[a-zđàáảãạăâèéẻẽẹêìíỉĩịòóỏõọôơùúủũụưỳýỷỹỵ])"
)
_DETERMINER = re.compile(r"(?:^|\s)(?:[Cc]ác|những|là)$")
_NAME_LIST = re.compile(
    r"^\s*[A-ZĐÂĂÊÔƠƯỦ][^,;:.]{0,60}(?:(?:,|\svà)\s*[A-ZĐÂĂÊÔƠƯỦ][^,;:.]{0,60})+$"
)
# A topic-headed item of a conclusion notice: "1. Về …: giao Bộ X chủ trì …".
_TOPIC = re.compile(r"^Về\b[^:]*:\s*(?P<rest>.+)$")
_PARENS = re.compile(r"\([^()]*\)")
_TRAILING = re.compile(r"(?:\s*[:;,.]|\s+có trách nhiệm)+$")
_MAX_UNIT = 350
# Lines this long were wrapped by the source, not ended by the writer.
_WRAP_WIDTH = 60
_CLOSED = re.compile(r"[.,;:!?)\"”…]$")


@dataclass
class Item:
    """A numbered, lettered or bulleted item with its wrapped lines joined."""

    label: str
    text: str
    line: int
    kind: str
    children: list[Item] = field(default_factory=list)
    # The printed lines of the item's text, to tell a heading line from the text under it.
    parts: list[str] = field(default_factory=list)
    # The bold opening of the item's text ("**2. Sở Nội vụ**"), line by line, and whether
    # it may still run on to the next line.
    bold: list[str] = field(default_factory=list)
    bold_open: bool = False

    @property
    def heading(self) -> str | None:
        """The bold heading the item opens with (its whole text when it is all bold).

        A plain parenthesis closing the heading's line ("**Sở X** (cơ quan thường trực):")
        still belongs to it.
        """
        heading = " ".join(self.bold)
        if heading and self.text.startswith(heading):
            note = _NOTE_AFTER.match(self.text, len(heading))
            heading = self.text[: note.end("note")] if note else heading
        return heading or None

    def add_bold(self, line: str, opening: str | None, skip: int = 0) -> None:
        """Extend the bold heading with a line's bold opening, past its first `skip` characters."""
        if not self.bold_open:
            return
        whole = opening == line
        piece = (opening or "")[skip:].strip()
        if piece:
            self.bold.append(piece)
        self.bold_open = whole


def _wrapped_dash(prev: str, item: Item, match: re.Match[str]) -> bool:
    """True when a "- …" line is a hard wrap inside a hyphenated name, not a new item.

    "Tập đoàn: …, Công nghiệp" over "- Viễn thông Quân đội theo …": the line above runs to
    the wrap width with no closing mark, and the text after the dash continues the words.
    """
    if match.group("label") not in "-–" or len(prev) < _WRAP_WIDTH or _CLOSED.search(prev):
        return False
    text = match.group("text")
    if text[:1].islower() or text[:1].isdigit():
        return True
    # A capitalised word continues only an unfinished name list ("X: A, B, C"), never a task.
    return ":" in item.text and not _VERB.search(f" {item.text}") and not _is_task(text)


def items(lines: list[str], offset: int = 0, strong: Mapping[str, str] | None = None) -> list[Item]:
    """Items in order, a line that opens no item joined to the item before it."""
    found: list[Item] = []
    strong = strong or {}
    for i, line in enumerate(lines):
        match = _LABEL.match(line)
        if match and found and i and _wrapped_dash(lines[i - 1], found[-1], match):
            match = None
        if match:
            label = match.group("label").replace(" ", "")
            text = match.group("text").strip()
            found.append(
                Item(label, text, i + offset, item_kind(label), parts=[text] if text else [])
            )
            found[-1].bold_open = True
            found[-1].add_bold(line, strong.get(line), match.start("text"))
        elif found:
            found[-1].text = f"{found[-1].text} {line.strip()}".strip()
            found[-1].parts.append(line.strip())
            found[-1].add_bold(line, strong.get(line))
        else:
            found.append(Item("", line.strip(), i + offset, "para", parts=[line.strip()]))
    return found


def _predicate(text: str) -> re.Match[str] | None:
    """The first predicate word; one after a determiner is a noun ("các tổ chức", "là tổ chức")."""
    for match in _VERB.finditer(text):
        if not _DETERMINER.search(text, 0, match.start()):
            return match
    return None


def _plural_thing(text: str) -> bool:
    """True for "Các bệnh …", "Các tuyến …": a plural must name bodies, people or places."""
    match = _PLURAL.match(text)
    return match is not None and not _PLURAL_UNIT.match(text, match.end())


def cut_at_verb(text: str) -> str:
    """The noun phrase before the first predicate word."""
    match = _predicate(text)
    text = text[: match.start()] if match else text
    closed = _CLOSER.search(text)
    return text[: closed.end()] if closed else text


def _colon_unit(text: str) -> str | None:
    """The unit of a run-in heading "Unit: task", keeping a list of names after the colon."""
    head, sep, rest = text.partition(":")
    if not sep or len(head) > _MAX_UNIT or _predicate(_PARENS.sub("", f" {head} ")):
        return None
    names = cut_at_verb(f" {rest.split(':', 1)[0]}").strip()
    if _NAME_LIST.match(names):
        return f"{head}: {names}"
    return head


def _owner_heading(text: str) -> str | None:
    """The whole party of a "Trách nhiệm của …:" heading: it is a name, not a sentence."""
    head, sep, _ = text.partition(":")
    return head if sep and len(head) <= _MAX_UNIT else None


def unit_of(text: str) -> str | None:
    """The unit heading a task item ("Đề nghị Sở Y tế chủ trì …" → "Sở Y tế"), or None."""
    # "Trách nhiệm của X:" names X as the one responsible, whatever word X starts with.
    owner = bool(_OWNER.match(text.strip()))
    text = _PREAMBLE.sub("", _LEAD.sub("", text.strip(), count=1), count=1)
    text = _LEAD.sub("", text, count=1)
    if not (owner or _UNIT_START.match(text)) or _NOT_UNITS.match(text) or _plural_thing(text):
        return None
    unit = _owner_heading(text) if owner else None
    if unit is None:
        unit = _colon_unit(text)
    if unit is None:
        unit = cut_at_verb(text)
    unit = _TRAILING.sub("", unit.strip())
    if not unit or len(unit) > _MAX_UNIT or unit.count(" ") > 60:
        return None
    return unit


def _heading_line_unit(item: Item) -> str | None:
    """A bare unit on the item's first line when the next line opens its own sentence.

    "h) Các đơn vị khác" over "Cơ quan đăng ký đầu tư có trách nhiệm …": the heading is
    a unit of its own, not the start of a longer name wrapped onto the next line.
    """
    if len(item.parts) < 2:
        return None
    first, nxt = item.parts[0], item.parts[1]
    if not first[-1:].isalnum() or not nxt[:1].isupper() or not _UNIT_START.match(nxt):
        return None
    # A one- or two-word first line ("Các", "Giám đốc") is a name cut by a hard wrap.
    if first.count(" ") < 2 or unit_of(first) != first:
        return None
    rest = " ".join(item.parts[1:])
    # The next line must be a sentence with its own predicate, not the rest of a name list.
    unit = unit_of(rest)
    return first if unit is not None and len(unit) < len(rest) - 1 else None


def _topic_unit(item: Item) -> str | None:
    """The unit opening the paragraph under a topic heading ("1. Về …:" / "Bộ Nội vụ …")."""
    if not item.text.startswith("Về "):
        return None
    for k, part in enumerate(item.parts[:-1]):
        if part.endswith(":"):
            nxt = item.parts[k + 1]
            return unit_of(" ".join(item.parts[k + 1 :])) if nxt[:1].isupper() else None
    return None


def _bold_unit(heading: str) -> str | None:
    """The unit a bold heading names: the whole title, cut only where the unit's own task starts.

    A bold title is a name by construction ("các tổ chức cung cấp dịch vụ chi trả"), so only a
    word that gives the unit its task ("… chủ trì", "… có trách nhiệm") ends it early.
    """
    if unit_of(heading) is None:
        return None
    text = _PREAMBLE.sub("", _LEAD.sub("", heading.strip(), count=1), count=1)
    match = _HEADING_VERB.search(text)
    unit = _TRAILING.sub("", (text[: match.start()] if match else text).strip())
    return unit or None


def item_unit(item: Item) -> str | None:
    """The unit heading an item, read from its heading line, its topic paragraph or its text."""
    if item.heading is not None:
        return _bold_unit(item.heading)
    return _heading_line_unit(item) or _topic_unit(item) or unit_of(item.text)


def section_assigns(lines: list[str], heading: Heading, end: int) -> bool:
    """True when a section's items are mostly headed by units (or it is Tổ chức thực hiện)."""
    if _TASK_SECTION.search(heading.title):
        return True
    if _NO_TASKS.search(heading.title):
        return False
    found = items(lines[heading.end : end], heading.end)
    if any(i.kind == "para" and _LEAD.match(i.text) and unit_of(i.text) for i in found):
        return True
    top = [i for i in found if i.kind != "para"]
    top = [i for i in top if i.kind == top[0].kind] if top else []
    return bool(top) and sum(1 for i in top if _assigns(i.text)) * 2 >= len(top)


def _assigns(text: str) -> bool:
    """True when an item gives a unit a task, itself or after a topic heading ("Về …: Bộ X …")."""
    if unit_of(text):
        return True
    topic = _TOPIC.match(text)
    return bool(topic and unit_of(topic.group("rest")))


def _task_spans(lines: list[str], headings: list[Heading]) -> list[tuple[int, int]]:
    """Spans of the sections that assign tasks (the whole text when there are no sections)."""
    if not headings:
        return [(0, len(lines))]
    spans = []
    for i, heading in enumerate(headings):
        end = headings[i + 1].line if i + 1 < len(headings) else len(lines)
        if section_assigns(lines, heading, end):
            spans.append((heading.end, end))
    return spans


def _is_task(text: str) -> bool:
    """True when an item opens with a predicate ("Phối hợp hướng dẫn …"): a task, not a heading."""
    return bool(_VERB.match(f" {text}"))


def _owned(stack: list[tuple[int, str]]) -> bool:
    """True when the open items make the next one part of a unit's task.

    That is right under a unit heading, or anywhere under a task of one ("- Phối hợp …
    Trong đó: + Sở Xây dựng: …" splits the unit's own task among its members).
    """
    if stack and stack[-1][1] == "unit":
        return True
    states = [state for _, state in stack]
    return "unit" in states and "task" in states[states.index("unit") :]


def _units_in(found: list[Item]) -> list[str]:
    """Units of the items; under an item a unit heads, only "Giao/Đề nghị …" items count."""
    units: list[str] = []
    stack: list[tuple[int, str]] = []
    for item in found:
        rank = item_rank(item.kind)
        while stack and stack[-1][0] >= rank:
            stack.pop()
        led = bool(_LEAD.match(item.text))
        unit = item_unit(item) if item.kind != "para" or led else None
        if unit and not led and _owned(stack):
            unit = None
        if unit and unit[:1].islower() and not item.kind.startswith("num"):
            unit = None
        state = "unit" if unit else "task" if _is_task(item.text) else "other"
        stack.append((rank, state))
        if unit:
            units.append(unit)
    return units


def assignment_units(
    lines: list[str], headings: list[Heading], strong: Mapping[str, str] | None = None
) -> list[str]:
    """Units heading per-unit task items, in document order, each listed once."""
    units: list[str] = []
    seen: set[str] = set()
    for start, end in _task_spans(lines, headings):
        for unit in _units_in(items(lines[start:end], start, strong)):
            if unit.casefold() not in seen:
                seen.add(unit.casefold())
                units.append(unit)
    return units


def _assignment(item: Item, unit: str) -> Assignment:
    """An Assignment from a task item whose heading is `unit`, sub-items included as printed."""
    own = item.text
    if not own.startswith(unit):  # "Đề nghị Ủy ban … và các Đoàn thể"
        own = _LEAD.sub("", own, count=1)
    if own.startswith(unit):
        own = own[len(unit) :].lstrip(" :")
    task = task_text(own, item.children)
    units = split_units(unit)
    lead, support = roles(units, own, item.children)
    return Assignment(
        label=item.label or None,
        group=unit,
        units=units,
        lead=lead,
        support=support,
        task=task,
        channels=channels(task),
        forms=forms(task),
        deadlines=deadlines(task),
    )


def _nest(flat: list[Item]) -> list[Item]:
    """Nest sub-items (a), -, +) under the numbered item before them."""
    roots: list[Item] = []
    for item in flat:
        if item.kind.startswith("num") and item.kind == (roots[0].kind if roots else item.kind):
            roots.append(item)
        elif roots:
            roots[-1].children.append(item)
    return roots


def assignments(lines: list[str], headings: list[Heading]) -> list[Assignment]:
    """Numbered task items of every section that assigns tasks, with sub-assignments."""
    result = []
    for start, end in _task_spans(lines, headings):
        for root in _nest(items(lines[start:end], start)):
            unit = unit_of(root.text)
            if unit is None:
                continue
            assignment = _assignment(root, unit)
            for child in root.children:
                child_unit = unit_of(child.text)
                if child_unit:
                    assignment.children.append(_assignment(child, child_unit))
            result.append(assignment)
    return result


# Sentences end at "." or ";", and the opening "… có ý kiến như sau:" ends before the ask.
_SENTENCE_END = re.compile(r"(?:(?<=[.;])|(?<=sau:))\s+(?=\w)")
# "Bộ Nội vụ trân trọng đề nghị Ban X, Bộ Y chỉ đạo …": the asked units follow the request word.
_REQUEST = re.compile(r"\s(?:trân trọng\s+|kính\s+)?(?:đề nghị|giao|yêu cầu)\s+(?=[A-ZĐỦ]|các\s)")
# The letter's closing ("Văn phòng Chính phủ thông báo để … biết, thực hiện") asks nobody.
_CLOSING = re.compile(r"\bthông báo để\b|\btrân trọng cảm ơn\b|\bđể (?:biết|báo cáo)\b", re.I)


def _sentences(text: str) -> list[str]:
    """The sentences of a paragraph: a break before a capital ("2025. Ủy ban …") only."""
    found, start = [], 0
    for match in _SENTENCE_END.finditer(text):
        if text[match.end()].isupper():
            found.append(text[start : match.start()])
            start = match.end()
    return [*found, text[start:]]


def letter_assignments(lines: list[str], issuer: str | None) -> list[Assignment]:
    """A letter without numbered tasks: one assignment per sentence that asks a unit to act."""
    own = (issuer or "").casefold()
    result = []
    for sentence in _sentences(" ".join(line.strip() for line in lines)):
        if _CLOSING.search(sentence):
            continue
        request = _REQUEST.search(sentence)
        if request is None and not _UNIT_START.match(sentence):
            continue  # a sentence that neither asks nor opens with a unit reports, not assigns
        text = sentence[request.end() :] if request else sentence
        unit = unit_of(text)
        if unit is None or (
            own and (unit.casefold().startswith(own) or own.endswith(unit.casefold()))
        ):
            continue  # the issuer telling what it did itself
        result.append(_assignment(Item("", text, 0, "para", parts=[text]), unit))
    return result
