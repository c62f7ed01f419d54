"""The `einklang` command line: ingest, versions, demo, serve, watch and the gap model's tables.

Exit codes: 0 done, 1 file refused (or a model question without an answer), 2 bad invocation
(including `serve` refusing a non-loopback address), 3 the database stayed locked by another
process for longer than the lock_timeout setting.
"""
from __future__ import annotations

import argparse
import ipaddress
import json
import math
import os
import sys
import tomllib
from pathlib import Path

import pandas as pd

from pipelines import model, scenario, store
from pipelines.model import compare as compare_versions
from pipelines.contract import KIND_NAMES
from pipelines.demo import build_demo
from pipelines.drop import watch
from pipelines.errors import Rejected, UserError
from pipelines.pack import PackIncomplete, export_pack
from pipelines.read.keys import product_key
from pipelines.scenario.compare import compare, compare_frame, moves_frame
from pipelines.settings import Settings, load_settings
from pipelines.store import StoreLocked
from pipelines.store.ingest import ingest_file
from pipelines.text import render
from pipelines.text.tables import (error_table, frame_to_csv, frame_to_json, kpi_frame,
                                    reconciliation_lines, skipped_lines, version_lines, changes_lines)

REPO_ROOT = Path(__file__).resolve().parent.parent
EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 3


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    args = parser.parse_args(argv)
    settings = load_settings().replace(db=args.db, lang=args.lang)
    if not getattr(args, "command", None):
        parser.print_help()
        return EXIT_USAGE
    try:
        return args.func(args, settings)
    except StoreLocked as err:
        if getattr(args, "json", False) or getattr(args, "format", None) == "json":
            print(json.dumps({"status": "locked", "errors": [err.to_dict(settings.lang)]},
                             ensure_ascii=False, default=str))
        else:
            print(err.message(settings.lang), file=sys.stderr)
        return EXIT_LOCKED


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

    s = sub.add_parser("serve", help="start the dashboard (headless); stops on Ctrl-C or SIGTERM")
    s.add_argument("--port", type=int, default=8501)
    s.add_argument("--address", default="127.0.0.1",
                   help="address to bind (default 127.0.0.1; any other needs a login or --insecure)")
    s.add_argument("--insecure", action="store_true",
                   help="serve a non-loopback address without a login (trusted networks only)")
    s.set_defaults(func=cmd_serve)

    s = sub.add_parser("watch", help="ingest every file dropped into a folder (an ERP drop)")
    s.add_argument("folder")
    s.add_argument("--once", action="store_true", help="process what is there, then exit")
    s.add_argument("--interval", type=float, default=10.0,
                   help="seconds between looks at the folder (default 10)")
    s.add_argument("--settle", type=float, default=2.0,
                   help="seconds a file must stay unchanged before it is read (default 2)")
    s.add_argument("--json", action="store_true", help="one JSON line per file on stdout")
    s.set_defaults(func=cmd_watch)

    s = sub.add_parser("gaps", help="demand, supplied and shortfall per PMC and period")
    _format_arg(s)
    s.add_argument("--grain", choices=["week", "month"])
    _scenario_arg(s)
    s.set_defaults(func=cmd_gaps)

    s = sub.add_parser("units", help="forecast quantities that cannot be put into their article's "
                                     "unit (kg without a net weight, a unit the article is not kept in)")
    _format_arg(s)
    s.add_argument("--grain", choices=["week", "month"])
    s.set_defaults(func=cmd_units)

    s = sub.add_parser("load", help="required against available hours per line and period")
    _format_arg(s)
    s.add_argument("--grain", choices=["week", "month"])
    _scenario_arg(s)
    s.set_defaults(func=cmd_load)

    s = sub.add_parser("kpis", help="the headline figures of the plan (the overview's tiles)")
    _format_arg(s)
    s.add_argument("--compare", type=int, metavar="VERSION",
                   help="also the plan as it stood after upload VERSION, over the same horizon")
    s.add_argument("--grain", choices=["week", "month"])
    _scenario_arg(s)
    s.set_defaults(func=cmd_kpis)

    s = sub.add_parser("changes", help="forecast change against the previous version, per market "
                                       "or product group (the demand page's waterfall)",
                       description="Previous, current and change per group, all groups in one "
                                   "measure named in the column unit: kg where every article has "
                                   "a weight, the articles' one unit where they share it, else "
                                   "line hours (h; articles without a line are counted in "
                                   "unrouted_products); change_value in euros where every "
                                   "article is priced.")
    s.add_argument("--by", choices=["market", "product_group"], default="market",
                   help="group by market (default) or by the product master's product group")
    s.add_argument("--current", type=int, metavar="VERSION", help="forecast version (default: latest)")
    s.add_argument("--previous", type=int, metavar="VERSION",
                   help="forecast version to compare with (default: the one before)")
    _format_arg(s)
    s.set_defaults(func=cmd_changes)

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
    _scenario_arg(s)
    s.set_defaults(func=cmd_conflicts)

    s = sub.add_parser("scenario", help="what-if scenarios: add a TOML file, list, compare")
    scn = s.add_subparsers(dest="scenario_command", required=True)
    t = scn.add_parser("add", help="store a scenario file (the same name again: a new revision)")
    t.add_argument("file")
    t.add_argument("--json", action="store_true", help="print the result or the errors as JSON")
    t.set_defaults(func=cmd_scenario_add)
    t = scn.add_parser("list", help="every stored scenario (latest revision)")
    _format_arg(t)
    t.set_defaults(func=cmd_scenario_list)
    t = scn.add_parser("compare", help="KPIs of the base and each scenario side by side")
    t.add_argument("names", nargs="+", metavar="NAME")
    _format_arg(t)
    t.set_defaults(func=cmd_scenario_compare)
    return p


def _scenario_arg(s: argparse.ArgumentParser) -> None:
    s.add_argument("--scenario", metavar="NAME", help="lay the stored scenario NAME over the plan")


def _format_arg(s: argparse.ArgumentParser) -> None:
    s.add_argument("--format", choices=["table", "csv", "json"], default="table")


def _connect(settings: Settings, read_only: bool = False):
    """The file, open for this one command; waits out another process's lock (lock_timeout)."""
    return store.connect(settings.db, read_only=read_only, timeout=settings.lock_timeout)


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
    try:
        mapping = _parse_map(args.map)
    except SystemExit as exc:
        print(exc, file=sys.stderr)
        return 2
    con = _connect(settings, read_only=args.dry_run)
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
        print("\n".join(version_lines(result, lang, args.dry_run) + reconciliation_lines(result, lang)
                        + changes_lines(result, lang)))
    else:
        print("\n".join([error_table(result.errors, lang)] + skipped_lines(result, lang)))
    return 0 if result.ok else 1


def cmd_versions(args, settings: Settings) -> int:
    con = _connect(settings, read_only=True)
    try:
        frame = store.list_versions(con)
    finally:
        con.close()
    _print_frame(frame, args.format)
    return 0


def cmd_demo(args, settings: Settings) -> int:
    path = build_demo(settings.db, settings=settings, progress=_stderr_progress)
    print(path)
    return 0


def is_loopback(address: str) -> bool:
    """127.0.0.0/8, ::1 and localhost: reachable from this machine only."""
    if address.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(address.strip().strip("[]")).is_loopback
    except ValueError:
        return False


def secrets_files(app_dir: Path = REPO_ROOT) -> list[Path]:
    """Where Streamlit reads secrets for `einklang serve`: the user's, then the app's own."""
    return [Path.home() / ".streamlit" / "secrets.toml", app_dir / ".streamlit" / "secrets.toml",
            app_dir / "dashboard" / ".streamlit" / "secrets.toml"]


def login_configured(app_dir: Path = REPO_ROOT) -> bool:
    """True when one of Streamlit's secrets files holds a non-empty [auth] table (st.login)."""
    for path in secrets_files(app_dir):
        try:
            with path.open("rb") as fh:
                if tomllib.load(fh).get("auth"):
                    return True
        except (OSError, tomllib.TOMLDecodeError):
            continue
    return False


def serve_command(port: int, address: str, settings: Settings) -> list[str]:
    """The Streamlit command line `einklang serve` runs (it replaces the einklang process)."""
    # dashboard.serve warms the model of the current plan, then runs `streamlit run` in-process
    return [sys.executable, "-m", "dashboard.serve", "run", str(REPO_ROOT / "dashboard" / "app.py"),
            "--server.headless=true", f"--server.port={port}", f"--server.address={address}",
            # the server itself refuses bigger uploads (413) before keeping the bytes
            f"--server.maxUploadSize={max(1, math.ceil(float(settings.max_file_mb)))}",
            "--server.fileWatcherType=none", "--browser.gatherUsageStats=false"]


def cmd_serve(args, settings: Settings) -> int:
    lang = settings.lang
    if not is_loopback(args.address) and not login_configured():
        if not args.insecure:
            print(render("serve_not_loopback", lang, address=args.address), file=sys.stderr)
            return EXIT_USAGE
        print(render("serve_insecure", lang, address=args.address), file=sys.stderr)
    db_given = bool(args.db or os.environ.get("EINKLANG_DB"))
    db = Path(settings.db)
    if not db_given and not db.exists():
        print(f"building the demo company into {db} …", file=sys.stderr)
        build_demo(db, settings=settings, progress=_stderr_progress)
    env = dict(os.environ, EINKLANG_DB=str(db.resolve()), EINKLANG_LANG=settings.lang)
    cmd = serve_command(args.port, args.address, settings)
    host = f"[{args.address}]" if ":" in args.address else args.address
    print(render("serve_started", lang, url=f"http://{host}:{args.port}"), file=sys.stderr)
    sys.stdout.flush()
    sys.stderr.flush()
    # Streamlit takes this process's place: SIGTERM, Ctrl-C and systemd stop reach the server
    # itself, and no child can outlive its parent.
    os.chdir(REPO_ROOT)
    os.execve(cmd[0], cmd, env)
    return EXIT_OK  # not reached


def cmd_watch(args, settings: Settings) -> int:
    return watch(Path(args.folder), settings, once=args.once, interval=args.interval,
                 settle=args.settle, json_lines=args.json)


def _model_call(settings: Settings, name: str, *args, grain=None, **kwargs) -> pd.DataFrame:
    # built in memory from a snapshot: the file is open only while the rows are copied;
    # the model compares markets case-insensitively and reads '2027-W5' as '2027-W05'
    scenario = kwargs.pop("scenario", None)
    scenario = _stored_scenario(settings, scenario) if scenario is not None else None
    with model.build_from_file(settings.db, grain=grain, settings=settings) as built:
        if scenario is None:
            return getattr(built, name)(*args, **kwargs)
        # the scenario over the base, computing only what its changes touch
        with model.scenario_model(built, scenario) as shifted:
            return getattr(shifted, name)(*args, **kwargs)


def _stored_scenario(settings: Settings, name: str):
    con = _connect(settings, read_only=True)
    try:
        return scenario.get(con, name)
    finally:
        con.close()


def _run_model_command(settings: Settings, fmt: str, name: str, *args, **kwargs) -> int:
    try:
        frame = _model_call(settings, name, *args, **kwargs)
    except StoreLocked:
        raise
    except UserError as err:
        print(error_table([err], settings.lang), file=sys.stderr)
        return 1
    _print_frame(frame, fmt)
    return 0


def cmd_gaps(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "gaps", grain=args.grain,
                              scenario=args.scenario)


def cmd_units(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "unit_problems", grain=args.grain)


def cmd_load(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "load", grain=args.grain,
                              scenario=args.scenario)


def cmd_kpis(args, settings: Settings) -> int:
    try:
        figures = model.kpis_from_file(
            settings.db, args.grain, args.compare, settings,
            scenario=_stored_scenario(settings, args.scenario) if args.scenario else None)
    except UserError as err:
        print(error_table([err], settings.lang), file=sys.stderr)
        return 1
    if args.format == "json":
        print(json.dumps(figures, ensure_ascii=False, indent=2))
    else:
        _print_frame(kpi_frame(figures, settings.lang), args.format)
    return 0


def cmd_changes(args, settings: Settings) -> int:
    con = _connect(settings, read_only=True)
    try:
        frame = compare_versions.forecast_change_by_group(con, args.current, args.previous, by=args.by)
    finally:
        con.close()
    _print_frame(frame, args.format)
    return 0


def cmd_levers(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "levers",
                              product_key(args.product) or args.product, args.market, args.period,
                              lang=settings.lang)


def cmd_conflicts(args, settings: Settings) -> int:
    return _run_model_command(settings, args.format, "conflicts", top=args.top,
                              scenario=args.scenario)


def cmd_scenario_add(args, settings: Settings) -> int:
    try:
        text = Path(args.file).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        print(f"{args.file}: {exc}", file=sys.stderr)
        return 1
    con = _connect(settings)
    try:
        stored = scenario.add(con, text)
    except Rejected as rejected:
        for err in rejected.errors:
            err.file = args.file
        if args.json:
            print(json.dumps({"status": "rejected", "file": args.file, "errors": [
                {"change": e.params.get("change"), "field": e.params.get("field"), "key": e.key,
                 "value": e.to_dict(settings.lang)["value"], "message": e.message(settings.lang)}
                for e in rejected.errors]}, ensure_ascii=False, indent=2))
        else:
            print(error_table(rejected.errors, settings.lang), file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.json:
        print(json.dumps(stored, ensure_ascii=False, indent=2))
    else:
        print(render("scn_stored", settings.lang, **stored))
    return 0


def cmd_scenario_list(args, settings: Settings) -> int:
    con = _connect(settings)
    try:
        frame = scenario.list_scenarios(con)
    finally:
        con.close()
    _print_frame(frame if args.format != "table" else frame.drop(columns=["text"]), args.format)
    return 0


def cmd_scenario_compare(args, settings: Settings) -> int:
    con = _connect(settings)
    try:
        result = compare(con, args.names)
    except UserError as err:
        print(error_table([err], settings.lang), file=sys.stderr)
        return 1
    finally:
        con.close()
    if args.format == "json":
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return 0
    _print_frame(compare_frame(result, settings.lang), args.format)
    if args.format == "table":
        print()
        print(render("scn_moves", settings.lang))
        _print_frame(moves_frame(result), args.format)
    return 0


def cmd_pack(args, settings: Settings) -> int:
    con = _connect(settings, read_only=True)
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
