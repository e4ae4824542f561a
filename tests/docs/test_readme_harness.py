"""The README harness itself: parsing, markers, placeholders and execution."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from freestyle_async.testing import Emulator

from ._readme import PRODUCTION_BASE_URL, Substitutions, python_blocks, run_block, substitute

SAMPLE = """# Title

```python
import asyncio
from freestyle_async import AsyncFreestyle

async def main() -> None:
    async with AsyncFreestyle() as fs:
        summary = await fs.dial_campaigns.results_summary("c_...")
        assert summary.total_calls > 0
        global TOTAL
        TOTAL = summary.total_calls

asyncio.run(main())
```

Some text.

<!-- no-test: needs a file we do not have -->
```python
raise AssertionError("skipped blocks never run")
```

<!-- test-continue -->
```py
assert TOTAL > 0
```

- A list item with an indented block:

  ```python
  from freestyle_async import AsyncFreestyle
  async with AsyncFreestyle(
      api_key="ft_...", base_url="https://api.freestyleteletech.com/v1"
  ) as fs:
      sc = await fs.sms_campaigns.get("sc_…")
      assert sc.template
  ```

```bash
freestyle campaigns list
```

````markdown
```python
this is an example inside an example, not code
```
````
"""


def test_blocks_markers_and_indentation() -> None:
    blocks = python_blocks(SAMPLE)
    assert [b.line for b in blocks] == [3, 20, 25, 31]
    assert [b.skip for b in blocks] == [False, True, False, False]
    assert [b.continues for b in blocks] == [False, False, True, False]
    assert blocks[3].code.startswith(
        "from freestyle_async import AsyncFreestyle\nasync with AsyncFreestyle(\n"
    )
    assert blocks[0].id == "README.md:3"


def test_placeholders_become_real_values() -> None:
    values = Substitutions(
        campaign_id="c_real",
        sms_campaign_id="sc_real",
        api_key="ft_key",
        base_url="http://127.0.0.1:1/v1",
        real_ids=frozenset({"c_kept"}),
    )
    code = (
        'a("c_...") b(\'c_a1b2c3d4-e5f6-7890-abcd-ef1234567890\') c("c_kept") d("sc_…") '
        f'e("ft_...") f("{PRODUCTION_BASE_URL}") g("c_other")'
    )
    assert substitute(code, values) == (
        'a("c_real") b(\'c_real\') c("c_kept") d("sc_real") e("ft_key") '
        'f("http://127.0.0.1:1/v1") g("c_other")'
    )


@pytest.fixture
def values(emulator: Emulator) -> Iterator[Substitutions]:
    yield Substitutions(
        campaign_id=emulator.campaign_ids()[0],
        sms_campaign_id=emulator.sms_campaign_ids()[0],
        api_key=emulator.api_key,
        base_url=emulator.base_url,
    )


def test_blocks_run_against_the_emulator(
    values: Substitutions, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("FREESTYLE_API_KEY", values.api_key)
    monkeypatch.setenv("FREESTYLE_BASE_URL", values.base_url)
    monkeypatch.chdir(tmp_path)
    blocks = python_blocks(SAMPLE)
    first = run_block(blocks, 0, values)
    assert first["TOTAL"] > 0
    continued = run_block(blocks, 2, values)  # re-runs block 0 first, then asserts on TOTAL
    assert continued["TOTAL"] == first["TOTAL"]
    run_block(blocks, 3, values)  # top-level await, explicit placeholder key and base URL


def test_a_broken_example_fails(values: Substitutions) -> None:
    blocks = python_blocks("```python\nimport freestyle_async\nfreestyle_async.no_such_name\n```\n")
    with pytest.raises(AttributeError):
        run_block(blocks, 0, values)
