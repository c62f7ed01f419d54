"""Settings: precedence, and every setting documented in the README."""
from pathlib import Path

from pipelines.settings import SETTINGS, load_settings

README = Path(__file__).resolve().parent.parent / "README.md"


def test_every_setting_is_documented_in_the_readme():
    text = README.read_text(encoding="utf-8")
    for s in SETTINGS:
        row = f"| {s.name} | `{s.env}` | `{s.default}` | {s.help} |"
        assert row in text, f"README settings table lacks or misstates: {row}"


def test_env_beats_file_beats_default(tmp_path: Path):
    config = tmp_path / "einklang.toml"
    config.write_text('[einklang]\nlang = "en"\nmax_file_mb = 7\n', encoding="utf-8")
    from_file = load_settings(env={}, config_file=config)
    assert (from_file.lang, from_file.max_file_mb, from_file.db) == ("en", 7, "data/einklang.duckdb")
    from_env = load_settings(env={"EINKLANG_LANG": "de", "EINKLANG_MAX_FILE_MB": "3"}, config_file=config)
    assert (from_env.lang, from_env.max_file_mb) == ("de", 3)


def test_unknown_setting_in_file_is_refused(tmp_path: Path):
    config = tmp_path / "einklang.toml"
    config.write_text('[einklang]\nlangauge = "en"\n', encoding="utf-8")
    try:
        load_settings(env={}, config_file=config)
    except ValueError as exc:
        assert "langauge" in str(exc)
    else:
        raise AssertionError("a misspelt setting must not be ignored silently")
