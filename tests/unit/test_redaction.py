"""The one function that takes the API key out of server text: what counts as the key.

The key, or any run of at least 8 of its characters, in any letter case, as it is or once
JSON escapes and percent-encoding are decoded; only the keys of live clients are searched.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freestyle_async._secrets import MIN_FRAGMENT, Secret, _redact, redact, redact_json

from .support import API_KEY, OTHER_KEY, assert_no_key

HINT = "ft_…" + API_KEY[-4:]
OTHER_HINT = "ft_…" + OTHER_KEY[-4:]


@pytest.fixture(autouse=True)
def secrets() -> Iterator[tuple[Secret, Secret]]:
    """Both test keys registered, as a live client registers its own."""
    held = (Secret(API_KEY), Secret(OTHER_KEY))
    yield held


def _no_fragment(text: str, key: str = API_KEY) -> bool:
    low = text.lower()
    return not any(key[i : i + MIN_FRAGMENT] in low for i in range(len(key) - MIN_FRAGMENT + 1))


def _escaped(text: str) -> str:
    return "".join(f"\\u{ord(ch):04x}" for ch in text)


FORMS = {
    "as it is": API_KEY,
    "upper case": API_KEY.upper(),
    "mixed case": "".join(ch.upper() if i % 3 else ch for i, ch in enumerate(API_KEY)),
    "cut after 12": API_KEY[:12],
    "the last 20": API_KEY[-20:],
    "8 from the middle": API_KEY[30:38],
    "every character JSON-escaped": _escaped(API_KEY),
    "split by one escape": API_KEY[:10] + _escaped(API_KEY[10]) + API_KEY[11:],
    "upper-case escapes": _escaped(API_KEY).upper().replace("\\U", "\\u"),
    "percent-encoded": "".join(f"%{b:02X}" for b in API_KEY.encode()),
    "percent-encoded, lower hex": "".join(f"%{b:02x}" for b in API_KEY.encode()),
    "escaped, then percent-encoded": API_KEY[:5] + "%5Cu0030" + API_KEY[4:],
    "twice in a row": API_KEY + API_KEY,
}


@pytest.mark.parametrize("form", sorted(FORMS))
def test_each_form_of_the_key_is_taken_out(form: str) -> None:
    text = f"Invalid key <{FORMS[form]}> (see https://docs.example/keys)"
    redacted = redact(text)
    assert _no_fragment(redacted), redacted
    assert HINT in redacted
    assert redacted.startswith("Invalid key <") and redacted.endswith("example/keys)")


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Campaign not found.",
        "short " + API_KEY[5:12],  # 7 characters of the key: not a fragment
        "ft_…" + API_KEY[-4:],  # what a redacted key looks like
        "%zz \\uXYZW \\ud800 100%",  # escapes that are not, and broken ones
    ],
)
def test_text_without_the_key_is_left_as_it_is(text: str) -> None:
    assert redact(text) is text or redact(text) == text


def test_each_live_key_is_shown_by_its_own_hint() -> None:
    assert redact(f"a {API_KEY} b") == f"a {HINT} b"
    assert redact(f"a {OTHER_KEY} b") == f"a {OTHER_HINT} b"
    both = redact(f"{API_KEY} {OTHER_KEY}")
    assert _no_fragment(both) and _no_fragment(both, OTHER_KEY)


def test_only_the_keys_of_live_clients_are_searched(secrets: tuple[Secret, Secret]) -> None:
    key = "ft_" + "7" * 64
    text = f"echo {key}"
    secret = Secret(key)
    assert redact(text) == "echo ft_…7777"
    del secret
    gc.collect()
    assert redact(text) == text


def test_a_flood_of_the_key_is_withheld_whole() -> None:
    """Each fragment costs a step of Python: a text that quotes the key thousands of times
    is withheld rather than searched one quote at a time."""
    assert redact(API_KEY * 20_000) == "[withheld: it quotes the API key too many times to show]"
    assert redact("x" * 1_000_000 + API_KEY) == "x" * 1_000_000 + HINT


def test_redact_json_changes_a_body_in_place() -> None:
    body = {
        "error": {"code": API_KEY, "message": f"bad key {API_KEY.upper()}"},
        API_KEY: [1, None, 2.5, True, {"deep": [API_KEY[:20]]}],
        "fine": "left alone",
    }
    inner = body["error"]
    assert redact_json(body) is body
    assert body == {
        "error": {"code": HINT, "message": f"bad key {HINT}"},
        HINT: [1, None, 2.5, True, {"deep": [HINT]}],
        "fine": "left alone",
    }
    assert body["error"] is inner
    assert redact_json(API_KEY) == HINT
    assert redact_json(5) == 5


def test_redact_json_handles_deep_nesting_without_recursion() -> None:
    body: list[object] = [API_KEY]
    for _ in range(50_000):
        body = [body]
    redact_json(body)
    while isinstance(body[0], list):
        body = body[0]
    assert body == [HINT]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_redact_json_takes_out_of_each_string_what_redact_does(form: str) -> None:
    """Each string of a body is searched as redact() searches it, whatever escaping the body's
    JSON text adds on top: a string that holds the key escaped (its JSON text reads
    ``\\u0066...``) is redacted too."""
    text = f"bad key {FORMS[form]}!"
    body = json.loads(json.dumps({"message": text, text: [text], "ok": "fine"}))
    redact_json(body)
    expected = redact(text)
    assert expected != text
    assert body == {"message": expected, expected: [expected], "ok": "fine"}


def test_a_body_without_the_key_is_not_rebuilt() -> None:
    body = {"data": [{"id": f"c_{i}", "name": "n"} for i in range(1000)]}
    before = json.dumps(body)
    assert redact_json(body) is body
    assert json.dumps(body) == before


# A plain twin: every window of MIN_FRAGMENT characters (or of the whole key, when shorter)
# that is a window of the key, in any case, is marked; each marked run becomes the hint.
def _reference(text: str, key: str = API_KEY, hint: str = HINT) -> str:
    low, key = text.lower(), key.lower()
    size = min(MIN_FRAGMENT, len(key))
    grams = {key[i : i + size] for i in range(len(key) - size + 1)}
    marked = [False] * len(text)
    for i in range(len(text) - size + 1):
        if low[i : i + size] in grams:
            marked[i : i + size] = [True] * size
    out, i = [], 0
    while i < len(text):
        if marked[i]:
            while i < len(text) and marked[i]:
                i += 1
            out.append(hint)
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


_PLAIN = st.text(st.characters(blacklist_characters="\\%", blacklist_categories=("Cs",)))


@settings(max_examples=200)
@given(
    before=_PLAIN,
    after=_PLAIN,
    start=st.integers(0, len(API_KEY)),
    length=st.integers(0, len(API_KEY)),
    upper=st.booleans(),
)
def test_redact_matches_its_plain_twin(
    before: str, after: str, start: int, length: int, upper: bool
) -> None:
    piece = API_KEY[start : start + length]
    text = before + (piece.upper() if upper else piece) + after
    assert redact(text) == _reference(text)


@settings(max_examples=200)
@given(before=st.text(), after=st.text(), encode=st.sampled_from(sorted(FORMS)))
def test_no_form_of_the_key_survives_any_surroundings(before: str, after: str, encode: str) -> None:
    redacted = redact(before + FORMS[encode] + after)
    assert _no_fragment(redacted)
    assert_no_key(redacted)


_KEY_CHARACTERS = st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="\\%")


@settings(max_examples=200)
@given(
    key=st.text(_KEY_CHARACTERS, min_size=1, max_size=70),
    before=st.text(_KEY_CHARACTERS | st.just(" ")),
    after=st.text(_KEY_CHARACTERS | st.just(" ")),
    start=st.integers(0, 70),
    length=st.integers(0, 70),
    upper=st.booleans(),
)
def test_keys_of_any_length_match_their_plain_twin(
    key: str, before: str, after: str, start: int, length: int, upper: bool
) -> None:
    """The quick test that lets text without the key through (blocks of half a fragment)
    never lets a fragment through, whatever the key's length (shorter than a fragment too).
    Only this key is searched (the keys of other examples may still be alive)."""
    secret = Secret(key)
    piece = key[start : start + length]
    text = before + (piece.upper() if upper else piece) + after
    assert _redact([text], [secret]) == [_reference(text, key, secret.hint)]
