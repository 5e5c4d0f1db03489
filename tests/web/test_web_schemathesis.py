"""Schemathesis fuzzes the JSON API from its own OpenAPI description, on the real server."""

from __future__ import annotations

import subprocess
from pathlib import Path


def test_api_matches_its_description(
    schemathesis_cli: list[str], base_url: str, tmp_path: Path
) -> None:
    """No server errors, and every response matches the schema (status, type, body)."""
    command = [
        *schemathesis_cli,
        "run",
        f"{base_url}/api/openapi.json",
        "--checks=all",
        "--max-examples=50",
        "--workers=1",
        "--generation-database=none",
        "--no-color",
    ]
    done = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "No issues found" in done.stdout
