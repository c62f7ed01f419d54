"""The `einklang` command line: ingest, versions, demo, serve and the gap model's tables."""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd

from pipelines.contract import KIND_NAMES
from pipelines.settings import Settings, load_settings

REPO_ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = load_settings().replace(db=args.db, lang=args.lang)
    if not getattr(args, "command", None):
        parser.print_help()
        return 2
    return args.func(args, settings)


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="einklang", description="Einklang S&OP cockpit")
    p.add_argument("--db", help="DuckDB file (default: EINKLANG_DB or data/einklang.duckdb)")
    p.add_argument("--lang", choices=["de", "en"], help="language of messages")
    sub = p.add_subparsers(dest="command")

    s = sub.add_parser("ingest", help="read an export and store it as a new version")
    s.add_argument("file")
    s.add_argument("--kind", choices=KIND_NAMES)
    s.add_argument("--merge", action="store_true", help="replace only the markets/lines/products of the file")
    s.add_argument("--as-of", help="forecast as-of date YYYY-MM-DD (default: today)")
    s.add_argument("--label")
    s.add_argument("--map", action="append", default=[], metavar="FIELD=HEADER",
                   help="map a column by hand, e.g. --map product=Artikel")
    s.add_argument("--dry-run", action="store_true", help="check and report, store nothing")
    s.add_argument("--json", action="store_true")
    s.set_defaults(func=cmd_ingest)

    s = sub.add_parser("versions", help="list every stored version")
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")
    s.set_defaults(func=cmd_versions)

    s = sub.add_parser("demo", help="build the demo company's database from data/sample")
    s.set_defaults(func=cmd_demo)

    s = sub.add_parser("serve", help="start the dashboard (headless)")
    s.add_argument("--port", type=int, default=8501)
    s.add_argument("--address", default="127.0.0.1")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("gaps", help="demand, supplied and shortfall per PMC and period")
    _format_arg(s)
    s.add_argument("--grain", choices=["week", "month"])
    s.set_defaults(func=cmd_gaps)

    s = sub.add_parser("load", help="required against available hours per line and period")
    _format_arg(s)
    s.add_argument("--grain", choices=["week", "month"])
    s.set_defaults(func=cmd_load)

    s = sub.add_parser("levers", help="what would close one conflict")
    s.add_argument("product")
    s.add_argument("market")
    s.add_argument("period")
    _format_arg(s)
    s.set_defaults(func=cmd_levers)

    s = sub.add_parser("pack", help="write the meeting pack (Excel and PDF) into a folder")
    s.add_argument("--meeting", type=int, help="meeting id (default: the current plan, no meeting)")
    s.add_argument("--out", default=".", help="folder for the two files")
    s.set_defaults(func=cmd_pack)

    s = sub.add_parser("conflicts", help="conflicts ranked by shortfall weighted by priority class")
    s.add_argument("--top", type=int)
    _format_arg(s)
    s.set_defaults(func=cmd_conflicts)
    return p


def _format_arg(s: argparse.ArgumentParser) -> None:
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")


def _connect(settings: Settings, read_only: bool = False):
    from pipelines import store
    return store.connect(settings.db, read_only=read_only)


def _parse_map(items: list[str]) -> dict[str, str] | None:
    mapping = {}
    for item in items:
        field, sep, header = item.partition("=")
        if not sep:
            raise SystemExit(f"--map expects FIELD=HEADER, got {item!r}")
        mapping[field.strip()] = header.strip()
    return mapping or None


def _stderr_progress(stage: str, fraction: float) -> None:
    """One progress line on stderr: rewritten in place on a terminal, one line per step in a log."""
    text = f"{fraction * 100:5.1f} %  {stage}"
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K" + text + ("\n" if fraction >= 1.0 else ""))
    else:
        sys.stderr.write(text + "\n")
    sys.stderr.flush()


def _end_progress() -> None:
    if sys.stderr.isatty():
        sys.stderr.write("\r\033[K")
        sys.stderr.flush()


def cmd_ingest(args, settings: Settings) -> int:
    from pipelines.store.ingest import ingest_file
    from pipelines.text.tables import error_table, version_lines
    try:
        mapping = _parse_map(args.map)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    con = _connect(settings)
    try:
        result = ingest_file(con, args.file, kind=args.kind, merge=args.merge, as_of=args.as_of,
                             label=args.label, mapping=mapping, settings=settings,
                             progress=None if args.json else _stderr_progress,
                             dry_run=args.dry_run)
    finally:
        con.close()
        if not args.json:
            _end_progress()
    lang = settings.lang
    if args.json:
        print(json.dumps(result.to_dict(lang), ensure_ascii=False, default=str))
    elif result.ok:
        print("\n".join(version_lines(result, lang, args.dry_run)))
    else:
        print(error_table(result.errors, lang))
    return 0 if result.ok else 1


def cmd_versions(args, settings: Settings) -> int:
    from pipelines import store
    con = _connect(settings)
    try:
        frame = store.list_versions(con)
    finally:
        con.close()
    _print_frame(frame, args.format)
    return 0


def cmd_demo(args, settings: Settings) -> int:
    from pipelines.demo import build_demo
    path = build_demo(settings.db, settings=settings, progress=_stderr_progress)
    print(path)
    return 0


def cmd_serve(args, settings: Settings) -> int:
    db_given = bool(args.db or os.environ.get("EINKLANG_DB"))
    db = Path(settings.db)
    if not db_given and not db.exists():
        from pipelines.demo import build_demo
        print(f"building the demo company into {db} …", file=sys.stderr)
        build_demo(db, settings=settings, progress=_stderr_progress)
    env = dict(os.environ, EINKLANG_DB=str(db.resolve()), EINKLANG_LANG=settings.lang)
    cmd = [sys.executable, "-m", "streamlit", "run", str(REPO_ROOT / "dashboard" / "app.py"),
           "--server.headless=true", f"--server.port={args.port}",
           f"--server.address={args.address}", "--browser.gatherUsageStats=false"]
    print(f"Einklang: http://{args.address}:{args.port}", file=sys.stderr)
    try:
        return subprocess.call(cmd, env=env, cwd=REPO_ROOT)
    except KeyboardInterrupt:
        return 0


def _model_call(settings: Settings, name: str, *args, **kwargs) -> pd.DataFrame:
    from pipelines import model
    con = _connect(settings)
    try:  # the model compares markets case-insensitively and reads '2027-W5' as '2027-W05'
        return getattr(model, name)(con, *args, **kwargs)
    finally:
        con.close()


def _run_model_command(settings: Settings, fmt: str, name: str, *args, **kwargs) -> int:
    from pipelines.errors import UserError
    from pipelines.text.tables import error_table
    try:
        frame = _model_call(settings, name, *args, **kwargs)
    except UserError as err:
        print(error_table([err], settings.lang), file=sys.stderr)
        return 1
    _print_frame(frame, fmt)
    return 0


def cmd_gaps(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "gaps", grain=args.grain)


def cmd_load(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "load", grain=args.grain)


def cmd_levers(args, settings: Settings) -> int:
    from pipelines.read.keys import product_key
    return _run_model_command(settings, args.format, "levers",
                              product_key(args.product) or args.product, args.market, args.period,
                              lang=settings.lang)


def cmd_conflicts(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "conflicts", top=args.top)


def cmd_pack(args, settings: Settings) -> int:
    from pipelines.pack import PackIncomplete, export_pack
    con = _connect(settings)
    try:
        xlsx, pdf = export_pack(con, args.out, args.meeting, lang=settings.lang)
    except PackIncomplete as incomplete:  # the part that was built is written and named
        for path in incomplete.written.values():
            print(path)
        print(incomplete.message(settings.lang), file=sys.stderr)
        return PACK_INCOMPLETE
    finally:
        con.close()
    print(xlsx)
    print(pdf)
    return 0


PACK_INCOMPLETE = 5  # exit code: one part of the meeting pack failed, the other was written


def _print_frame(frame: pd.DataFrame, fmt: str) -> None:
    from pipelines.text.tables import frame_to_csv, frame_to_json
    if fmt == "csv":
        sys.stdout.write(frame_to_csv(frame))
    elif fmt == "json":
        sys.stdout.write(frame_to_json(frame) + "\n")
    else:
        with pd.option_context("display.max_rows", 200, "display.max_columns", 50,
                               "display.width", 200):
            print(frame.to_string(index=False) if len(frame) else "(no rows)")


if __name__ == "__main__":
    sys.exit(main())
