import string

import pytest

from dashboard import i18n


def fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(i18n.MESSAGES))
def test_every_key_has_both_languages_with_the_same_fields(key):
    zh, en = i18n.MESSAGES[key]
    assert zh.strip() and en.strip()
    assert fields(zh) == fields(en)


def test_chinese_is_the_default():
    assert i18n.t("page_map") == "负担地图"
    assert i18n.t("page_map", "en") == "Burden map"


@pytest.mark.parametrize(
    ("value", "lang", "expected"),
    [
        (9999, "zh", "9,999"),
        (10000, "zh", "1.0万"),
        (1234567, "zh", "123.5万"),
        (1234567, "en", "1,234,567"),
        (12.25, "en", "12.2"),  # banker's rounding of the float repr is acceptable: 12.25 → 12.2
        (None, "zh", "—"),
        (float("nan"), "en", "—"),
    ],
)
def test_number_format(value, lang, expected):
    assert i18n.fmt_number(value, lang) == expected


def test_percent_format_signs_changes():
    assert i18n.fmt_pct(5, signed=True) == "+5.0%"
    assert i18n.fmt_pct(-0.04, signed=True) == "0.0%"  # no "-0.0%"
    assert i18n.fmt_pct(None) == "—"


@pytest.mark.parametrize("what", sorted(i18n.COUNTS))
def test_every_count_has_the_number_in_each_form(what):
    assert all(fields(text) == {"n"} for text in i18n.COUNTS[what])


@pytest.mark.parametrize(
    ("n", "lang", "expected"),
    [(1, "en", "1 error"), (2, "en", "2 errors"), (0, "en", "0 errors"), (1, "zh", "1 个错误")],
)
def test_counts_are_singular_or_plural_in_english(n, lang, expected):
    assert i18n.count("errors", n, lang) == expected


@pytest.mark.parametrize(
    ("note", "lang", "expected"),
    [
        ("values=35, replaced=0, reports=5", "zh", "数值 35 个，替换 0 个，报送记录 5 条"),
        ("values=35, replaced=1, reports=5", "en", "35 values, 1 replaced, 5 reports"),
        ("errors=22, warnings=3", "zh", "22 个错误，3 个警告"),
        ("errors=1, warnings=1", "en", "1 error, 1 warning"),
        ("rollback of #10: removed=2, restored=2", "zh", "回滚批次 #10：删除 2 个，恢复 2 个"),
        (
            "rollback of #10: removed=2, restored=2",
            "en",
            "Rollback of batch #10: 2 removed, 2 restored",
        ),
        ("values=12, departments=1, items=3", "en", "12 values, 1 new department, 3 new items"),
        ("模拟数据 seed=7 / simulated data", "en", "模拟数据 seed=7 / simulated data"),
        ("size=large", "zh", "size=large"),
        (None, "zh", ""),
    ],
)
def test_batch_notes_in_words(note, lang, expected):
    assert i18n.batch_note(note, lang) == expected
