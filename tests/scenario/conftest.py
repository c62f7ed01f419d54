"""Scenario tests use the model tests' store files and settings."""
from __future__ import annotations

import pytest

from pipelines.settings import load_settings


@pytest.fixture
def settings():
    return load_settings(env={})
