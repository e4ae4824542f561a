"""Properties of phone normalisation (hypothesis)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from freestyle_async.bulk import normalize_phone

DIGITS = st.text(alphabet="0123456789", min_size=10, max_size=10)
FORMATTING = st.text(alphabet=" .-()[]\t\u00a0", max_size=3)
PREFIXES = st.sampled_from(["", "1", "+1", "1-", "+1 ", "1 (", "+1."])


@st.composite
def formatted(draw: st.DrawFn) -> tuple[str, str]:
    """Ten digits, and the same digits with a country code and formatting sprinkled in."""
    digits = draw(DIGITS)
    parts = [draw(FORMATTING), draw(PREFIXES)]
    for digit in digits:
        parts.append(digit)
        parts.append(draw(FORMATTING))
    return digits, "".join(parts)


@given(st.text())
def test_accepted_numbers_are_always_ten_ascii_digits(text: str) -> None:
    phone = normalize_phone(text)
    assert phone is None or (len(phone) == 10 and phone.isascii() and phone.isdigit())


@given(st.text())
def test_kept_digits_are_the_inputs_last_ten(text: str) -> None:
    phone = normalize_phone(text)
    if phone is not None:
        digits = "".join(ch for ch in text if ch.isdigit())
        assert digits.endswith(phone)
        assert len(digits) == 10 or digits == "1" + phone


@given(formatted())
def test_formatting_never_changes_the_digits_kept(case: tuple[str, str]) -> None:
    digits, text = case
    assert normalize_phone(text) == digits


@given(formatted(), FORMATTING)
def test_two_formattings_of_one_number_agree(case: tuple[str, str], extra: str) -> None:
    digits, text = case
    assert normalize_phone(extra + text + extra) == normalize_phone(digits)


@given(st.integers(min_value=0, max_value=10**12))
def test_integers_read_as_their_digits(number: int) -> None:
    assert normalize_phone(number) == normalize_phone(str(number))
