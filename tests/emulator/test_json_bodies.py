"""Request bodies: strict JSON, the same answer from either decoder, and 400 (never 500) for
every body the emulator cannot take, on every endpoint that reads one."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from freestyle_async.testing import Emulator, _json

from ._helpers import Api, assert_error

#: The standard-library decoder, and the one in use (orjson's, when it is installed).
DECODERS: dict[str, Callable[[bytes], Any]] = {"stdlib": _json._std_loads, "in use": _json.loads}

DEEP = 100_000
#: Bodies refused as a whole: (name, body, words of the message).
REFUSED: list[tuple[str, bytes, str]] = [
    ("deep arrays", b"[" * DEEP + b"]" * DEEP, "nested too deeply"),
    ("deep objects", b'{"a":' * DEEP + b"1" + b"}" * DEEP, "nested too deeply"),
    ("deep inside a field", b'{"status":' + b"[" * DEEP + b"]" * DEEP + b"}", "nested too deeply"),
    (
        "deep inside a record",
        b'{"records":[{"phone1":' + b"[" * DEEP + b"]" * DEEP + b"}]}",
        "nested too deeply",
    ),
    ("NaN", b'{"records":[{"phone1":"4165550100","amount":NaN}]}', "NaN"),
    ("Infinity", b'{"records":[{"phone1":"4165550100","amount":Infinity}]}', "Infinity"),
    ("-Infinity", b'{"records":[{"phone1":"4165550100","amount":-Infinity}]}', "Infinity"),
    ("NaN as the status", b'{"status":NaN}', "NaN"),
    ("1e400", b'{"records":[{"phone1":"4165550100","amount":1e400}]}', "range of a double"),
    ("-1e400", b'{"records":[{"phone1":"4165550100","amount":-1e400}]}', "range of a double"),
    (
        "5,000 digits",
        b'{"records":[{"phone1":"4165550100","amount":' + b"9" * 5000 + b"}]}",
        "range of a double",
    ),
    ("400 digits", b'{"status":' + b"9" * 400 + b"}", "range of a double"),
    ("lone surrogate in a key", b'{"records":[{"phone1":"4165550100","\\ud800":1}]}', "surrogate"),
    ("lone surrogate in a value", b'{"status":"\\udc00"}', "surrogate"),
    ("surrogates the wrong way round", b'{"status":"\\udc00\\ud800"}', "surrogate"),
    ("invalid UTF-8", b'{"status":"\xff"}', "valid JSON"),
    ("UTF-8 of a surrogate", b'{"status":"\xed\xa0\x80"}', "valid JSON"),
    ("UTF-16", '{"status":"paused"}'.encode("utf-16"), "valid JSON"),
    ("byte order mark", b'\xef\xbb\xbf{"status":"paused"}', "valid JSON"),
    ("empty", b"", "valid JSON"),
    ("trailing garbage", b'{"status":"paused"} x', "valid JSON"),
    ("control character in a string", b'{"status":"pa\x01used"}', "valid JSON"),
    ("single quotes", b"{'status':'paused'}", "valid JSON"),
]


@pytest.mark.parametrize("decoder", DECODERS.values(), ids=DECODERS.keys())
@pytest.mark.parametrize(("name", "body", "mentions"), REFUSED, ids=[r[0] for r in REFUSED])
def test_decoders_refuse_alike(
    decoder: Callable[[bytes], Any], name: str, body: bytes, mentions: str
) -> None:
    with pytest.raises(_json.BodyError) as caught:
        decoder(body)
    assert mentions in str(caught.value)


async def test_every_endpoint_with_a_body_answers_400_for_each(api: Api, emu: Emulator) -> None:
    cid = emu.campaign_ids()[0]
    paths = {"PATCH": f"/dial-campaigns/{cid}", "POST": f"/dial-campaigns/{cid}/data"}
    for method, path in paths.items():
        for _name, body, mentions in REFUSED:
            reply = await api.request(
                method, path, data=body, headers={"Content-Type": "application/json"}
            )
            assert_error(reply, 400, "invalid_parameter", mentions)
            assert reply.body["error"]["message"].startswith("request body ")
    assert emu.stored_records(cid) == []
    assert emu.counters.by_status == {400: 2 * len(REFUSED)}


#: Numbers as orjson decodes them: integers in [-2**63, 2**64) exact, wider ones as doubles.
NUMBERS: list[tuple[bytes, Any]] = [
    (b"0", 0),
    (b"-0", 0),
    (b"-0.0", -0.0),
    (b"9223372036854775807", 2**63 - 1),
    (b"-9223372036854775808", -(2**63)),
    (b"18446744073709551615", 2**64 - 1),
    (b"18446744073709551616", float(2**64)),
    (b"-9223372036854775809", float(-(2**63) - 1)),
    (b"1" + b"0" * 300, 1e300),
    (b"1e308", 1e308),
    (b"1e-400", 0.0),
    (b"12.5", 12.5),
]


@pytest.mark.parametrize("decoder", DECODERS.values(), ids=DECODERS.keys())
@pytest.mark.parametrize(("text", "value"), NUMBERS, ids=[n[0].decode()[:24] for n in NUMBERS])
def test_numbers_decode_alike(decoder: Callable[[bytes], Any], text: bytes, value: Any) -> None:
    got = decoder(b"[" + text + b"]")[0]
    assert (type(got), got) == (type(value), value)
    assert math.copysign(1, got) == math.copysign(1, value)


JSON_VALUES = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**63), 2**64 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=200)
@given(JSON_VALUES)
def test_any_json_document_round_trips_through_both_decoders(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False)):
        body = text.encode()
        assert _json._std_loads(body) == value
        assert _json.loads(body) == value
    assert _json.loads(_json.dumps(value)) == value
