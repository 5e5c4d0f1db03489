"""What machine a benchmark ran on: put ``describe()`` beside every set of numbers.

Used by the benchmarks in ``bench/`` (``import machine`` works when a benchmark is run as
``python bench/NAME.py``, since Python puts the script's folder first on ``sys.path``).
Standard library only; reads ``/proc`` where it exists and says "unknown" where it does not.
"""

from __future__ import annotations

import os
import platform
import sqlite3
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path


def _read(path: str) -> str:
    try:
        return Path(path).read_text(errors="replace")
    except OSError:
        return ""


def cpu_model() -> str:
    """The CPU's model name (``/proc/cpuinfo``), or what ``platform`` knows."""
    for line in _read("/proc/cpuinfo").splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "Hardware", "cpu model") and value.strip():
            return value.strip()
    return platform.processor() or platform.machine() or "unknown"


def cores() -> str:
    """Cores this process may use, and the machine's logical cores if that differs."""
    total = os.cpu_count() or 0
    try:
        usable = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        usable = total
    return f"{usable}" if usable == total else f"{usable} usable of {total}"


def memory() -> str:
    """Total memory, from ``/proc/meminfo``."""
    for line in _read("/proc/meminfo").splitlines():
        if line.startswith("MemTotal:"):
            kib = int(line.split()[1])
            return f"{kib / 1024**2:.1f} GiB"
    return "unknown"


def operating_system() -> str:
    pretty = ""
    for line in _read("/etc/os-release").splitlines():
        if line.startswith("PRETTY_NAME="):
            pretty = line.partition("=")[2].strip().strip('"')
    kernel = f"{platform.system()} {platform.release()} ({platform.machine()})"
    return f"{pretty}, {kernel}" if pretty else kernel


def package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "not installed"


def filesystem(path: str | os.PathLike) -> str:
    """The file system type that ``path`` lives on (``ext4``, ``tmpfs``...), from /proc/mounts."""
    target = os.path.realpath(path)
    best, kind = "", "unknown"
    for line in _read("/proc/mounts").splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        mount = fields[1]
        inside = target == mount or target.startswith(mount.rstrip("/") + "/")
        if inside and len(mount) > len(best):
            best, kind = mount, fields[2]
    return kind


def facts() -> dict[str, str]:
    """The machine description as (name, value) pairs."""
    return {
        "CPU": cpu_model(),
        "cores": cores(),
        "memory": memory(),
        "OS": operating_system(),
        "Python": f"{platform.python_implementation()} {sys.version.split()[0]}",
        "tantivy": package_version("tantivy"),
        "SQLite": sqlite3.sqlite_version,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def describe() -> str:
    """A Markdown list: CPU, cores, memory, OS, Python, tantivy, SQLite and the date."""
    return "\n".join(f"- {name}: {value}" for name, value in facts().items())


if __name__ == "__main__":
    print(describe())
