"""The one writer of files at a user's path (``freestyle_async._files``): a symlink's target
is written, a device or a pipe is written into (never replaced), a regular file is replaced
atomically through a secure temporary file that a failure removes."""

from __future__ import annotations

import os
import stat
import threading
from pathlib import Path

import pytest

from freestyle_async._files import check_path, replace_file


def _null_device(tmp_path: Path) -> Path:
    """A character device like /dev/null (1, 3), made under tmp_path (the tests run as root)."""
    path = tmp_path / "null"
    os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    return path


def test_a_new_file_is_written_and_no_temporary_file_stays(tmp_path: Path) -> None:
    with replace_file(str(tmp_path / "out.csv"), "w", encoding="utf-8") as file:
        file.write("a,b\n")
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]
    assert (tmp_path / "out.csv").read_text() == "a,b\n"


def test_a_symlink_is_followed_and_stays_a_symlink(tmp_path: Path) -> None:
    target = tmp_path / "real.csv"
    target.write_text("old")
    link = tmp_path / "link.csv"
    link.symlink_to(target)
    with replace_file(str(link)) as file:
        file.write(b"new")
    assert link.is_symlink()
    assert target.read_text() == "new"


def test_a_character_device_is_written_into_not_replaced(tmp_path: Path) -> None:
    device = _null_device(tmp_path)
    with replace_file(str(device)) as file:
        file.write(b"rows\n")
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert sorted(os.listdir(tmp_path)) == ["null"]
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)  # read-only check of the real one


def test_a_symlink_to_a_device_writes_into_the_device(tmp_path: Path) -> None:
    device = _null_device(tmp_path)
    (tmp_path / "link").symlink_to(device)
    with replace_file(str(tmp_path / "link")) as file:
        file.write(b"rows\n")
    assert stat.S_ISCHR(os.stat(device).st_mode)
    assert (tmp_path / "link").is_symlink()


def test_a_fifo_is_written_into(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(fifo.read_bytes()))
    reader.start()
    with replace_file(str(fifo)) as file:
        file.write(b"through the pipe\n")
    reader.join(timeout=10)
    assert received == [b"through the pipe\n"]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)


def test_a_failure_midway_leaves_the_old_file_and_no_temporary_file(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old")
    with pytest.raises(RuntimeError), replace_file(str(path), "w") as file:
        file.write("half")
        raise RuntimeError("interrupted")
    assert path.read_text() == "old"
    assert sorted(os.listdir(tmp_path)) == ["out.csv"]


def test_a_symlink_planted_at_the_old_temporary_name_is_not_followed(tmp_path: Path) -> None:
    victim = tmp_path / "victim"
    victim.write_text("keep")
    path = tmp_path / "out.csv"
    (tmp_path / f"out.csv.tmp-{os.getpid()}").symlink_to(victim)  # the old, predictable name
    with replace_file(str(path)) as file:
        file.write(b"rows")
    assert victim.read_text() == "keep"
    assert path.read_bytes() == b"rows"


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    path = tmp_path / "out.csv"
    path.write_text("old")
    path.chmod(0o640)
    with replace_file(str(path)) as file:
        file.write(b"new")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640


@pytest.mark.parametrize(
    ("path", "message"),
    [
        ("", "is an empty path"),
        ("\0x", "holds a NUL character"),
        (5, "must be a str or os.PathLike, not int"),
        (b"x", "not bytes"),
    ],
)
def test_check_path_refuses_what_is_not_a_path(path: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        check_path(path, "--rejects")
