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
