"""The sync resources are generated from the async ones, and the committed file is current."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from freestyle_async import _codegen
from freestyle_async._codegen import (
    CLIENT,
    COMMAND,
    PACKAGE,
    SERVED,
    TARGET,
    CodegenError,
    generate,
)
from freestyle_async.resources import AsyncDialCampaigns
from freestyle_async.sync import SyncDialCampaigns


def test_the_committed_sync_resources_are_a_fresh_run_of_the_generator() -> None:
    committed = (PACKAGE / TARGET).read_text(encoding="utf-8")
    assert committed == generate(), (
        f"freestyle_async/{TARGET.as_posix()} differs from what the generator writes from "
        f"freestyle_async/resources: run `{COMMAND}` and commit the result"
    )


def test_the_sync_twins_carry_the_async_docstrings() -> None:
    for name in ("list", "upload_data", "results_summary"):
        async_doc = getattr(AsyncDialCampaigns, name).__doc__
        sync_doc = getattr(SyncDialCampaigns, name).__doc__
        assert async_doc and sync_doc and sync_doc.startswith(async_doc.rstrip()), name


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A copy of what the generator reads (the async resources and client, and the
    hand-written part)."""
    shutil.copytree(PACKAGE / "resources", tmp_path / "resources")
    shutil.copy(PACKAGE / CLIENT, tmp_path / CLIENT)
    (tmp_path / SERVED).parent.mkdir()
    shutil.copy(PACKAGE / SERVED, tmp_path / SERVED)
    return tmp_path


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _add_method(package: Path, module: str, method: str) -> None:
    """Append ``method`` (written at class level) to the resource class of ``module``."""
    path = package / "resources" / f"{module}.py"
    path.write_text(
        path.read_text(encoding="utf-8") + textwrap.indent(textwrap.dedent(method), "    "),
        encoding="utf-8",
    )


def test_a_new_docstring_and_a_new_method_reach_the_twin(package: Path) -> None:
    _edit(
        package / "resources" / "account.py",
        '"""The account profile of the API key."""',
        '"""The account profile, reworded."""',
    )
    _add_method(
        package,
        "billing",
        '''
        async def invoices(
            self,
            month: DateArg,
            numbers: Iterable[int] = (),
            /,
            *,
            limit: int | None = None,
        ) -> BillingUsage:
            """Invoices of a month.

            A second paragraph, kept."""
            raise NotImplementedError
        ''',
    )
    _edit(
        package / "resources" / "billing.py",
        "from .._config import",
        "from collections.abc import Iterable\n\nfrom .._config import",
    )
    text = generate(package)
    assert '"""The account profile, reworded."""' in text
    assert "The account profile of the API key" not in text
    method = text[text.index("    def invoices(") :]
    method = method[: method.index("\n\n\n")]
    assert method == textwrap.indent(
        textwrap.dedent(
            '''\
            def invoices(
                self,
                month: DateArg,
                numbers: Iterable[int] = (),
                /,
                *,
                limit: int | None = None,
            ) -> BillingUsage:
                """Invoices of a month.

                A second paragraph, kept.

                Here ``numbers`` is read on the calling thread.
                """
                return self._portal.call(
                    self._async.invoices,
                    month,
                    tuple(numbers),
                    limit=limit,
                )'''
        ),
        "    ",
    )


def test_a_method_that_is_not_a_coroutine_nor_a_list_is_refused_with_its_place(
    package: Path,
) -> None:
    _add_method(
        package,
        "account",
        '''
        def region(self) -> str:
            """Where the account lives."""
            return "us"
        ''',
    )
    with pytest.raises(CodegenError, match=r"account\.py:\d+: region\(\) .*_served\.py"):
        generate(package)


def test_an_annotation_spanning_lines_is_refused_with_its_place(package: Path) -> None:
    _add_method(
        package,
        "account",
        '''
        async def notes(
            self,
            kind: (
                str
                | None
            ) = None,
        ) -> str:
            """Notes on the account."""
            raise NotImplementedError
        ''',
    )
    with pytest.raises(CodegenError, match=r"account\.py:\d+: an annotation .* spans lines"):
        generate(package)


def test_a_hand_written_method_without_an_async_one_is_refused(package: Path) -> None:
    _edit(package / SERVED, "def upload_leads(", "def upload_leads_renamed(")
    with pytest.raises(CodegenError, match="ServedDialCampaigns writes upload_leads_renamed"):
        generate(package)


def test_two_modules_meaning_different_things_by_one_name_are_refused(package: Path) -> None:
    _edit(
        package / "resources" / "billing.py",
        "from ..models import BillingUsage",
        "from ..models import BillingUsage\nfrom ..models import SmsRun as PhoneNumber",
    )
    _add_method(
        package,
        "billing",
        '''
        async def numbers(self) -> PhoneNumber:
            """Not account.py's PhoneNumber."""
            raise NotImplementedError
        ''',
    )
    with pytest.raises(CodegenError, match=r"'PhoneNumber' means .*SmsRun as PhoneNumber"):
        generate(package)


def test_check_says_which_command_regenerates_a_stale_file(
    package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (package / TARGET).write_text("# edited by hand\n", encoding="utf-8")
    assert _codegen.main(["--check"], package=package) == 1
    out, err = capsys.readouterr()
    assert f"run `{COMMAND}`" in err
    assert "-# edited by hand" in out  # the diff
    assert _codegen.main([], package=package) == 0
    assert _codegen.main(["--check"], package=package) == 0
    assert (package / TARGET).read_text(encoding="utf-8") == generate(package)


def test_a_resource_not_named_async_area_is_refused(package: Path) -> None:
    init = package / "resources" / "__init__.py"
    _edit(init, "import AsyncBilling\n", "import Billing\n")
    _edit(init, '"AsyncBilling"', '"Billing"')
    _edit(package / "resources" / "billing.py", "class AsyncBilling(", "class Billing(")
    with pytest.raises(CodegenError, match=r"'Billing' is not named Async<Area>"):
        generate(package)
