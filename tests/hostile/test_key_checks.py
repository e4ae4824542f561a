"""The suites' one key-leak check (``tests/_key_checks.py``) catches every form it promises to
and lets through what a key may show (``ft_…`` and the last 4, or fewer than 8 of its
characters in a row)."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from _key_checks import assert_locals_clean, assert_no_key, key_fragments

KEY = "ft_" + "5ec2e7c0ffee5ec2" * 4
HIDDEN = KEY[3:-4]
OTHER = "ft_" + "0badc0de1dea5eed" * 4


def percent(text: str) -> str:
    """Every character percent-encoded (``quote`` leaves letters and digits as they are)."""
    return "".join(f"%{ord(c):02X}" for c in text)


LEAKS = {
    "the key": f"key={KEY}",
    "8 from the start": f"x{HIDDEN[:8]}x",
    "8 from the end of the hidden part": f"x{HIDDEN[-8:]}x",
    "the prefix and 5 hidden": f"x{KEY[:8]}x",
    "4 hidden and the last 4": f"x{KEY[-8:]}x",
    "8 from the middle, upper case": f"x{HIDDEN[20:28].upper()}x",
    "json \\u-escaped": json.dumps(HIDDEN[10:18], ensure_ascii=False).replace("e", "\\u0065"),
    "escaped twice": HIDDEN[10:18].replace("c", "\\\\u0063"),
    "percent-encoded": percent(HIDDEN[30:38]),
    "escaped, then percent-encoded": quote(HIDDEN[40:48].replace("f", "\\u0066"), safe=""),
    "percent-encoded, then escaped": percent(HIDDEN[40:48]).replace("%", "\\u0025"),
}


@pytest.mark.parametrize("text", LEAKS.values(), ids=LEAKS.keys())
def test_a_leak_in_any_form_fails(text: str) -> None:
    with pytest.raises(AssertionError, match="API key material in the text") as caught:
        assert_no_key(text, KEY, where="the text")
    for start in range(len(KEY) - 7):
        assert KEY[start : start + 8] not in str(caught.value).lower()


@pytest.mark.parametrize(
    "text",
    ["ft_…" + KEY[-4:], HIDDEN[:7], HIDDEN[5:12] + " " + HIDDEN[12:19], "", "no key here"],
)
def test_what_may_show_passes(text: str) -> None:
    assert_no_key(text, KEY)


def test_key_fragments_lists_what_it_found() -> None:
    assert key_fragments("nothing", KEY) == []
    assert key_fragments(f"a {KEY[10:19].upper()} b", KEY) == sorted({KEY[10:18], KEY[11:19]})


def test_every_key_given_is_checked() -> None:
    assert_no_key(KEY[3:10], KEY, OTHER)
    with pytest.raises(AssertionError):
        assert_no_key(OTHER[20:28], KEY, OTHER)


def test_locals_of_every_chained_frame_are_checked() -> None:
    def inner() -> None:
        token = HIDDEN[:8]  # noqa: F841 - the local the check must find
        raise ValueError("inner")

    def outer() -> None:
        password = "hunter2pass"  # noqa: F841 - the local ``also`` must find
        try:
            inner()
        except ValueError as exc:
            raise RuntimeError("outer") from exc

    with pytest.raises(RuntimeError) as caught:
        outer()
    with pytest.raises(AssertionError, match="inner"):
        assert_locals_clean(caught.value, KEY)
    with pytest.raises(AssertionError, match="outer"):
        assert_locals_clean(caught.value, also=("hunter2pass",))
    frames = assert_locals_clean(caught.value, OTHER)
    assert frames >= 3  # this test's, outer's and inner's
