"""xxgk.validate.privacy: resident ID numbers, mobile numbers and bank cards (SPEC 3.5)."""
from __future__ import annotations

import re
import time

import pytest

from xxgk.validate.privacy import PersonalDataHit, find_personal_data

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check(first17: str) -> str:
    return "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS)) % 11]


def make_id(first17: str) -> str:
    assert len(first17) == 17
    return first17 + id_check(first17)


def wrong_check(first17: str) -> str:
    """The same number with a wrong check character (and one that also fails Luhn, so no card)."""
    right = id_check(first17)
    for c in "0123456789":
        if c != right and not luhn_ok(first17 + c):
            return first17 + c
    raise AssertionError("unreachable")


def luhn_digit(body: str) -> str:
    """The digit that makes body + digit pass the Luhn check."""
    total = 0
    for i, ch in enumerate(reversed(body)):
        n = int(ch)
        if i % 2 == 0:
            n = n * 2 - 9 if n > 4 else n * 2
        total += n
    return str((10 - total % 10) % 10)


def luhn_ok(number: str) -> bool:
    return luhn_digit(number[:-1]) == number[-1]


def make_card(body: str) -> str:
    return body + luhn_digit(body)


def bad_card(body: str) -> str:
    good = luhn_digit(body)
    return body + str((int(good) + 1) % 10)


def digits(s: str) -> str:
    return re.sub(r"\D", "", s)


def kinds(text: str) -> list[str]:
    return [h.kind for h in find_personal_data(text)]


def only(text: str) -> PersonalDataHit:
    hits = find_personal_data(text)
    assert len(hits) == 1, hits
    return hits[0]


# ------------------------------------------------------------------------------------ resident IDs

ID_BODIES = [
    "11010519491231002",   # Beijing, 1949-12-31
    "44030420000229123",   # leap day 2000
    "51010819991001456",
    "81000019850515001",   # 8x: Hong Kong / Macao / Taiwan residence permit
]


@pytest.mark.parametrize("body", ID_BODIES)
def test_valid_id_hits_with_offsets_and_mask(body):
    number = make_id(body)
    text = f"当事人张某，身份证号：{number}，住址略。"
    hit = only(text)
    assert hit.kind == "id_card" and hit.label == "居民身份证号码"
    assert text[hit.start:hit.end] == number
    assert hit.masked == number[:6] + "********" + number[-4:].upper()
    assert number not in hit.masked and number.upper() not in hit.masked


@pytest.mark.parametrize("body", ID_BODIES)
def test_wrong_check_digit_is_not_an_id(body):
    text = f"身份证号：{wrong_check(body)}。"
    assert find_personal_data(text) == []


def test_x_check_digit_either_case():
    body = next(f"11010519800101{n:03d}" for n in range(1000) if id_check(f"11010519800101{n:03d}") == "X")
    upper = body + "X"
    hit = only(f"号码{upper}")
    assert hit.kind == "id_card" and hit.masked.endswith("X") and hit.masked.startswith(body[:6])
    lower = body + "x"
    hit = only(f"号码{lower}。")
    assert hit.kind == "id_card" and hit.masked.endswith("X")
    assert hit.start == 2 and hit.end == 20


@pytest.mark.parametrize("birth", ["19900230", "19000229", "20231301", "20230100", "18991231", "21000101"])
def test_impossible_birth_dates_are_not_ids(birth):
    body = "110105" + birth + "123"
    # check digit computed correctly: only the date is wrong
    assert "id_card" not in kinds(f"证号 {make_id(body)} 。")


@pytest.mark.parametrize("first", "079")
def test_region_code_must_start_with_1_to_6_or_8(first):
    assert "id_card" not in kinds(f"证号 {make_id(first + '1010519491231002')} 。")


def test_id_inside_longer_digit_run_is_not_an_id():
    number = make_id(ID_BODIES[0])
    assert find_personal_data("1" + number) == []
    assert find_personal_data(number + "7") == []
    assert "id_card" not in kinds(f"编号AB{number}")       # part of a code with letters
    assert "id_card" not in kinds(f"{number}CD")


def test_fullwidth_id_offsets_are_into_the_original_text():
    number = make_id(ID_BODIES[1])
    wide = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９Ｘ"))
    text = f"身份证：{wide}。"
    hit = only(text)
    assert hit.kind == "id_card"
    assert text[hit.start:hit.end] == wide
    assert hit.masked == number[:6] + "********" + number[-4:]


def test_id_takes_precedence_over_a_card_on_the_same_span():
    # an ID number that also passes the Luhn check must be reported once, as an ID
    for seq in range(1000):
        number = make_id(f"11010519491231{seq:03d}")
        if number[-1] != "X" and luhn_ok(number):
            break
    else:
        raise AssertionError("no Luhn-valid ID found")
    hit = only(f"身份证{number}")
    assert hit.kind == "id_card"


# ---------------------------------------------------------------------------------------- mobiles

@pytest.mark.parametrize("written", [
    "13812345678",
    "19912345678",
    "138 1234 5678",
    "138-1234-5678",
    "+8613812345678",
    "+86 138 1234 5678",
    "+86-138-1234-5678",
    "86 13812345678",
    "8613812345678",
    "0086 13812345678",
    "１３８１２３４５６７８",
])
def test_mobile_forms(written):
    text = f"联系电话：{written}，工作日"
    hit = only(text)
    assert hit.kind == "mobile" and hit.label == "手机号码"
    assert text[hit.start:hit.end] == written
    assert hit.masked == "138****5678" or hit.masked == "199****5678"
    assert "12345678" not in hit.masked


@pytest.mark.parametrize("text", [
    "12812345678",            # 12x is not a mobile prefix
    "1381234567",             # 10 digits
    "138123456789",           # 12 digits
    "0571-13812345678-1",     # one segment of a longer code
    "13812345678.50元",        # an amount
    "138 1234 5678 9012",     # a group of a longer grouped number
    "138-1234 5678",          # mixed separators
    "No13812345678",
])
def test_not_mobiles(text):
    assert "mobile" not in kinds(text)


def test_mobile_next_to_punctuation_and_cjk():
    text = "（13812345678）电话13912345678、15012345678"
    hits = find_personal_data(text)
    assert [text[h.start:h.end] for h in hits] == ["13812345678", "13912345678", "15012345678"]


# ----------------------------------------------------------------------------------------- cards

CARD16 = make_card("622202123456789")       # 16 digits
CARD19 = make_card("621700123456789012")    # 19 digits
CARD17 = make_card("6222021234567890")      # 17 digits


@pytest.mark.parametrize("written", [
    CARD16,
    CARD19,
    CARD17,
    " ".join(CARD16[i:i + 4] for i in range(0, 16, 4)),
    "-".join(CARD16[i:i + 4] for i in range(0, 16, 4)),
    " ".join(CARD19[i:i + 4] for i in range(0, 19, 4)),   # 4-4-4-4-3
])
def test_luhn_valid_cards_hit(written):
    text = f"收款账号：{written}，开户行略。"
    hit = only(text)
    assert hit.kind == "bank_card" and hit.label == "银行卡号"
    assert text[hit.start:hit.end] == written
    number = digits(written)
    assert hit.masked.startswith(number[:4] + " ") and hit.masked.endswith(" " + number[-4:])
    assert digits(hit.masked) == number[:4] + number[-4:]
    assert number not in hit.masked


def test_card_mask_style():
    assert only(f"卡号 {CARD16}").masked == f"{CARD16[:4]} **** **** {CARD16[-4:]}"
    assert only(f"卡号 {CARD19}").masked == f"{CARD19[:4]} **** **** *** {CARD19[-4:]}"


@pytest.mark.parametrize("number", [
    bad_card("622202123456789"),
    bad_card("621700123456789012"),
    bad_card("6222021234567890"),
])
def test_luhn_invalid_cards_do_not_hit(number):
    assert find_personal_data(f"账号 {number}") == []
    assert find_personal_data("账号 " + " ".join(number[i:i + 4] for i in range(0, len(number), 4))) == []


def test_card_inside_longer_runs_does_not_hit():
    twenty = make_card("6222021234567890123")      # 20 digits, Luhn-valid as a whole
    assert find_personal_data(f"编号{twenty}") == []
    # a 16-digit Luhn-valid window inside it is not a card either
    assert find_personal_data("9" + CARD16 + "9") == []
    grouped = " ".join((CARD16 + "1234")[i:i + 4] for i in range(0, 20, 4))   # 5 groups of four
    assert find_personal_data(grouped) == []


# ------------------------------------------------------------------- what must not hit in this domain

def luhn_valid_uscc() -> str:
    # 17 digits that pass Luhn, then a letter check character: a 统一社会信用代码 shape
    return make_card("1210000040001039") + "P"


@pytest.mark.parametrize("text", [
    "索引号：11330000MB1234567X/2017-00001",
    "索引号 000014349/2024-00123",
    "文件名 20240925-203618-472.pdf",
    "浙政办发〔2017〕24号",
    "国办发〔2021〕12号，2021年3月12日",
    "统一社会信用代码：91330000MA27U00G5K",
    "统一社会信用代码：12330000002482204X",
    f"统一社会信用代码：{luhn_valid_uscc()}",
    "流水号 20240925203618472",           # YYYYMMDDhhmmssSSS timestamp
    "全年收入13812345678.90元",
    "电话 0571-87654321，邮编 310000",
    "https://www.gov.cn/zhengce/content/2017-01/13/content_5159347.htm",
])
def test_domain_numbers_are_not_personal_data(text):
    assert find_personal_data(text) == []


def test_timestamp_rule_only_for_contiguous_17_digit_runs():
    # a Luhn-valid 17-digit card that is not a timestamp still hits
    assert kinds(f"卡号{CARD17}") == ["bank_card"]


# --------------------------------------------------------------------------------------- general

def test_mixed_text_sorted_non_overlapping_and_never_repeats_numbers():
    idno = make_id(ID_BODIES[0])
    text = (f"一、申请人李某\n身份证号 {idno}\n手机 138-1234-5678\n"
            f"银行卡 {' '.join(CARD16[i:i + 4] for i in range(0, 16, 4))}\n索引号 11330000MB1234567X/2017-00001\n")
    hits = find_personal_data(text)
    assert [h.kind for h in hits] == ["id_card", "mobile", "bank_card"]
    assert all(a.end <= b.start for a, b in zip(hits, hits[1:]))
    for h in hits:
        number = digits(text[h.start:h.end])
        assert number not in digits(h.masked)
        assert "*" in h.masked
    # a line number can be derived from the offset
    assert [text.count("\n", 0, h.start) + 1 for h in hits] == [2, 3, 4]


def test_hits_are_frozen_dataclasses():
    hit = only("电话13812345678")
    with pytest.raises(AttributeError):
        hit.start = 0  # type: ignore[misc]
    assert hit == PersonalDataHit(2, 13, "mobile", "手机号码", "138****5678")


def test_no_digits_no_hits():
    assert find_personal_data("") == []
    assert find_personal_data("没有任何号码的正文。" * 100) == []


def test_fast_on_ten_megabytes():
    chunk = ("根据《中华人民共和国政府信息公开条例》第二十条，2024年9月25日本机关收到申请123件，"
             "金额1234567.89元，索引号11330000MB1234567X/2017-00001，浙政办发〔2017〕24号。\n")
    text = chunk * (10_000_000 // len(chunk))
    text += f"身份证号 {make_id(ID_BODIES[0])}，电话 13812345678，卡号 {CARD16}。"
    started = time.perf_counter()
    hits = find_personal_data(text)
    elapsed = time.perf_counter() - started
    assert [h.kind for h in hits] == ["id_card", "mobile", "bank_card"]
    # a guard against a quadratic scan, not a timing goal (typically well under one second; the figures
    # live in bench/): generous enough for a busy CI machine
    assert elapsed < 30.0, f"{elapsed:.2f} s for 10 MB"
