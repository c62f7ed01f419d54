"""The meeting pages' door into `pipelines` (meetings, agreements, strategy, accuracy, version change).

Same rules as queries.py: the file opened read-only per read (`cursor`) and read-write only inside a
write (`writing`), results cached with
st.cache_data on keys that change when the data does. Meetings, agreements and strategy versions
are not uploads, so their changes are keyed on `meeting_stamp()`, uploads on `queries.stamp()`.
"""
from __future__ import annotations

import datetime as dt
import getpass
from dataclasses import replace

import pandas as pd
import streamlit as st

from dashboard import queries
from dashboard.queries import MODEL_KINDS, Stamp, VersionKey, cursor, writing
from pipelines.errors import Rejected  # noqa: F401  (pages catch it from here)
from pipelines import store
from pipelines import meeting as mt
from pipelines import pack as meeting_pack
from pipelines.model import accuracy as acc
from pipelines.model import compare
from pipelines.store import strategy as sg
from pipelines.store.strategy import Strategy

MeetingStamp = tuple[str, int, int, int, int]


def meeting_stamp() -> MeetingStamp:
    """Changes whenever a meeting, an agreement (or a revision of one) or a strategy is saved."""
    db = queries.settings().db
    return queries.stamped("meetings", lambda con: (db, *con.execute(
        "select (select count(*) from meetings), (select count(*) from agreements), "
        "(select count(*) from agreement_revisions), "
        "(select coalesce(max(strategy_version_id), 0) from strategy_versions)").fetchall()[0]))


def current_user() -> str:
    """Who records: the logged-in user, else the configured name, else the OS user."""
    try:
        if st.user.get("is_logged_in"):
            return str(st.user.get("email") or st.user.get("name"))
    except Exception:  # no auth configured: st.user holds nothing useful
        pass
    try:
        return queries.settings().user or getpass.getuser()
    except Exception:  # noqa: BLE001 - no OS user in some containers
        return ""


# --- meetings ------------------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def meetings(mstamp: MeetingStamp) -> pd.DataFrame:
    """Every meeting, newest first."""
    with cursor(mstamp[0]) as cur:
        return mt.list_meetings(cur)


@st.cache_data(max_entries=32, show_spinner=False)
def meeting(mstamp: MeetingStamp, meeting_id: int) -> dict:
    with cursor(mstamp[0]) as cur:
        return mt.get_meeting(cur, int(meeting_id))


@st.cache_data(max_entries=32, show_spinner=False)
def previous_meeting(mstamp: MeetingStamp, meeting_id: int) -> int | None:
    with cursor(mstamp[0]) as cur:
        return mt.previous_meeting(cur, int(meeting_id))


def meeting_key(stamp: Stamp, chosen: dict) -> VersionKey:
    """The version set a meeting looked at, as the model's cache key."""
    versions = chosen.get("versions") or {}
    return (("db", stamp[0]),) + tuple(
        (kind, int(versions[kind]) if versions.get(kind) is not None else None)
        for kind in MODEL_KINDS)


@st.cache_data(max_entries=8, show_spinner=False)
def baseline(stamp: Stamp, mstamp: MeetingStamp) -> dict | None:
    """The last meeting held on another plan than the current one (pipelines.meeting.baseline),
    read from the store, so every session compares with the same plan."""
    with cursor(stamp[0]) as cur:
        return mt.baseline(cur)


def baseline_key(stamp: Stamp, mstamp: MeetingStamp) -> tuple[VersionKey | None, dict | None]:
    """The plan "compared with" means by default, and the meeting it stood at (None: the plan
    after the previous forecast upload)."""
    found = baseline(stamp, mstamp)
    if found is not None:
        return meeting_key(stamp, found), found
    previous = queries.default_previous(stamp)
    return (queries.version_key(stamp, previous) if previous else None), None


@st.cache_data(max_entries=8, show_spinner=False)
def week_meeting(mstamp: MeetingStamp, day: dt.date) -> int | None:
    """The meeting of the ISO week of `day`, which the next agreement joins (None: it opens one)."""
    with cursor(mstamp[0]) as cur:
        return mt.week_meeting(cur, day)


def create_meeting(meeting_date: dt.date, participants: list[str], cycle: str | None,
                   title: str | None, lang: str) -> int:
    """Record a meeting on the current data and strategy."""
    with writing() as cur:
        return mt.create_meeting(cur, meeting_date, participants=participants, cycle=cycle or None,
                                 title=title or None, lang=lang, user=current_user())


# --- what changed --------------------------------------------------------------------------------

@st.cache_data(max_entries=16, show_spinner=False)
def compared_versions(stamp: Stamp, mstamp: MeetingStamp, meeting_id: int) -> dict[str, tuple]:
    """Per kind (forecast, capacity): (this meeting's version, the one it is compared with).

    The comparison is the previous meeting's version when that differs, else the version before."""
    this = meeting(mstamp, meeting_id)["versions"]
    before_id = previous_meeting(mstamp, meeting_id)
    before = meeting(mstamp, before_id)["versions"] if before_id else {}
    pairs = {}
    with cursor(stamp[0]) as cur:
        for kind in ("forecast", "capacity"):
            current = this.get(kind)
            previous = before.get(kind)
            if current is None or previous is None or previous >= current:
                current, previous = compare.version_pair(cur, kind, current)
            pairs[kind] = (current, previous)
    return pairs


@st.cache_data(max_entries=16, show_spinner=False)
def forecast_change_by_group(stamp: Stamp, current: int | None, previous: int | None,
                             by: str = "market", products: int | None = None) -> pd.DataFrame:
    """Forecast change per market or product group (the demand page's waterfall)."""
    if current is None or previous is None:
        return pd.DataFrame(columns=["group", "previous", "current", "change"])
    with cursor(stamp[0]) as cur:
        return compare.forecast_change_by_group(cur, current, previous, by=by,
                                                products_version=products)


# the moves per PMC fetched with the change per market: one comparison of the two versions'
# rows (seconds on a large plan) serves meeting step 1's waterfall and table, and the demand page
MOVES_WITH_CHANGE = 50


@st.cache_data(max_entries=16, show_spinner=False)
def _change_and_moves(stamp: Stamp, current: int, previous: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    with cursor(stamp[0]) as cur:
        return compare.change_and_moves(cur, current, previous, top=MOVES_WITH_CHANGE)


def forecast_change_by_market(stamp: Stamp, current: int | None, previous: int | None) -> pd.DataFrame:
    if current is None or previous is None:
        return pd.DataFrame(columns=["market", "previous", "current", "change"])
    return _change_and_moves(stamp, current, previous)[0].copy()


@st.cache_data(max_entries=16, show_spinner=False)
def biggest_moves(stamp: Stamp, current: int | None, previous: int | None,
                  top: int = 12, by: str = "pmc") -> pd.DataFrame:
    """The PMCs (by='pmc') or PMC-periods (by='pmc_period') whose forecast moved most, with their
    names from the product master. Per period shows volume shifted between weeks, which nets out
    per PMC."""
    if current is None or previous is None:
        return pd.DataFrame(columns=["rank", "product", "market", "previous", "current", "change",
                                     "status"])
    moves = _change_and_moves(stamp, current, previous)[1].head(top).copy() \
        if by == "pmc" and top <= MOVES_WITH_CHANGE else None  # the first `top` of the ranking
    with cursor(stamp[0]) as cur:
        if moves is None:
            moves = compare.biggest_moves(cur, top, by=by, current=current, previous=previous)
        names = cur.execute(
            "select product, any_value(name) as product_name from products where version_id = "
            "(select max(version_id) from versions where kind = 'products') group by product").df()
        displays = store.product_displays(cur)
    return store.with_product_display(moves.merge(names, on="product", how="left"), displays) \
        if len(moves) else moves


@st.cache_data(max_entries=16, show_spinner=False)
def capacity_change(stamp: Stamp, current: int | None, previous: int | None) -> pd.DataFrame:
    if current is None or previous is None:
        return pd.DataFrame(columns=compare.CAPACITY_COLUMNS)
    with cursor(stamp[0]) as cur:
        return compare.capacity_change(cur, current, previous, changed_only=True)


# --- agreements ----------------------------------------------------------------------------------

@st.cache_data(max_entries=32, show_spinner=False)
def agreements(mstamp: MeetingStamp, meeting_id: int | None) -> pd.DataFrame:
    """The latest revision of each agreement of a meeting (all when None)."""
    with cursor(mstamp[0]) as cur:
        return mt.agreements(cur, None if meeting_id is None else int(meeting_id))


@st.cache_data(max_entries=16, show_spinner=False)
def agreements_in_units(key: VersionKey, mstamp: MeetingStamp, meeting_id: int | None) -> pd.DataFrame:
    """The agreements of a meeting with the unit of their shortfall on the plan `key`."""
    model = queries.model(key)  # never inside an open file: another thread may be building it
    with cursor(mstamp[0]) as cur:
        return mt.agreements(cur, None if meeting_id is None else int(meeting_id), model=model)


@st.cache_data(max_entries=32, show_spinner=False)
def agreement_history(mstamp: MeetingStamp, agreement_id: int) -> pd.DataFrame:
    with cursor(mstamp[0]) as cur:
        return mt.agreement_history(cur, int(agreement_id))


@st.cache_data(max_entries=16, show_spinner=False)
def judged(key: VersionKey, mstamp: MeetingStamp, lang: str,
           meeting_id: int | None = None) -> pd.DataFrame:
    """Agreements (of one meeting, or all) judged against the plan `key`: held, partly, not held."""
    model = queries.model(key)  # never inside an open file: another thread may be building it
    with cursor(mstamp[0]) as cur:
        return mt.judge_agreements(cur, model=model, lang=lang,
                                   meeting_id=None if meeting_id is None else int(meeting_id))


def record_agreement(key: VersionKey, meeting_id: int | None, text: str, scope: list[dict], *,
                     lever: str | None, owner: str | None, due_date: dt.date | None,
                     goal_id: str | None, lang: str = "de", scenario: str | None = None) -> int:
    """Store an agreement with the gap of its scope on the plan `key` at this moment; without a
    meeting it joins this week's (the week's first agreement opens it)."""
    model = queries.model(key)  # built before the write: the snapshot reads the file itself
    with writing(dict(key)["db"]) as cur:
        return mt.record_agreement(cur, meeting_id, text, scope=scope, lever=lever or None,
                                   owner=owner or None, due_date=due_date, goal_id=goal_id or None,
                                   user=current_user(), model=model, lang=lang,
                                   scenario=scenario)


@st.cache_data(max_entries=16, show_spinner=False)
def marks(key: VersionKey, mstamp: MeetingStamp, lang: str) -> pd.DataFrame:
    """The PMC- and line-periods agreements cover, with their mark on the plan `key`
    (open / held / partly / not held): the heatmaps, top conflicts, agenda and drill-down."""
    model = queries.model(key)
    with cursor(mstamp[0]) as cur:
        return mt.agreement_marks(cur, model=model, lang=lang)


def marks_by_conflict(key: VersionKey, mstamp: MeetingStamp, lang: str) -> dict[tuple, str]:
    return mt.marks_by_conflict(marks(key, mstamp, lang), lang)


def edit_agreement(agreement_id: int, **changes) -> int:
    """A new revision of an agreement; the earlier ones stay."""
    with writing() as cur:
        return mt.edit_agreement(cur, int(agreement_id), user=current_user(), **changes)


# --- strategy ------------------------------------------------------------------------------------

@st.cache_data(max_entries=8, show_spinner=False)
def strategy(mstamp: MeetingStamp, version_id: int | None = None):
    """A strategy version (the current one when None); defaults when none was saved."""
    with cursor(mstamp[0]) as cur:
        return sg.strategy_version(cur, int(version_id)) if version_id else sg.current_strategy(cur)


def editable_strategy(mstamp: MeetingStamp, key: VersionKey | None, lines: tuple[str, ...]):
    """The current strategy; before any was saved, what applies today (the classes of the markets
    master, the default band per line, the default targets per class), so the editor starts filled."""
    current = strategy(mstamp)
    if current.version_id is not None:
        return current
    classes = pd.DataFrame(columns=["market", "priority_class"])
    if key is not None:
        try:
            classes = fill_against_target(key, mstamp, None)[["market", "priority_class"]]
        except Exception:  # noqa: BLE001 - the model does not build: an empty table still edits
            pass
    return replace(
        current,
        priorities=classes.assign(product=pd.Series([None] * len(classes), index=classes.index,
                                                    dtype=object))[sg.PRIORITY_COLUMNS],
        bands=pd.DataFrame({"line": pd.Series(list(lines), dtype=object),
                            "min_utilization": sg.DEFAULT_BAND[0], "max_utilization": sg.DEFAULT_BAND[1]}),
        fill_targets=pd.DataFrame({"priority_class": list(sg.DEFAULT_FILL_TARGETS),
                                   "market": pd.Series([None] * len(sg.DEFAULT_FILL_TARGETS), dtype=object),
                                   "target": list(sg.DEFAULT_FILL_TARGETS.values())}))


def new_strategy(*, priorities: pd.DataFrame, bands: pd.DataFrame, fill_targets: pd.DataFrame,
                 goals: pd.DataFrame):
    """A strategy from the editor's four tables (checked when it is saved)."""
    return Strategy(priorities=priorities, bands=bands, fill_targets=fill_targets, goals=goals)


@st.cache_data(max_entries=8, show_spinner=False)
def strategy_history(mstamp: MeetingStamp) -> pd.DataFrame:
    with cursor(mstamp[0]) as cur:
        return sg.strategy_history(cur)


@st.cache_data(max_entries=8, show_spinner=False)
def strategy_workbook(mstamp: MeetingStamp, lang: str) -> bytes:
    return sg.export_strategy(strategy(mstamp), lang=lang)


def save_strategy(new_strategy, note: str | None) -> int:
    """Store the whole strategy as a new version; raises `Rejected` with every problem."""
    with writing() as cur:
        return sg.save_strategy(cur, new_strategy, user=current_user(), note=note or None)


def import_strategy(data: bytes, file_name: str) -> "sg.ImportReport":
    """Store a strategy workbook as the new strategy (its file name as the version's note): the
    version, the parts kept as stored (their sheet is not in the file) and the columns not read;
    raises `Rejected` with every problem, each naming the file, sheet, row and column."""
    with writing() as cur:
        return sg.import_strategy_report(cur, data, file_name=file_name, user=current_user(), note=file_name)


def strategy_checks(key: VersionKey, mstamp: MeetingStamp, strategy_version_id: int | None,
                    lang: str) -> pd.DataFrame:
    """The plan judged against a strategy: class-A short, PMCs below target, lines outside band.
    A stored strategy version never changes, so its check is cached on the plan and the version
    alone (a new meeting or agreement does not recompute it); the current strategy on mstamp."""
    resolved = strategy_version_id or strategy(mstamp).version_id
    return _strategy_checks(key, resolved, lang, mstamp if resolved is None else None)


@st.cache_data(max_entries=16, show_spinner=False)
def _strategy_checks(key: VersionKey, strategy_version_id: int | None, lang: str,
                     mstamp: MeetingStamp | None) -> pd.DataFrame:
    chosen = strategy(mstamp or meeting_stamp(), strategy_version_id)
    model = queries.model(key)
    with cursor(dict(key)["db"]) as cur:
        return mt.judge_against_strategy(cur, model=model, strategy=chosen, lang=lang)


@st.cache_data(max_entries=16, show_spinner=False)
def fill_against_target(key: VersionKey, mstamp: MeetingStamp,
                        strategy_version_id: int | None) -> pd.DataFrame:
    """Fill rate per market over the horizon with its class (the model's) and its target."""
    model = queries.model(key)
    chosen = strategy(mstamp, strategy_version_id)
    fill = model.fill_rates("market").merge(model.market_classes(), on="market", how="left")
    fill["target"] = [chosen.fill_target(m, c) for m, c in zip(fill["market"], fill["priority_class"])]
    fill["below"] = fill["fill_rate"] < fill["target"] - 1e-9
    return fill.sort_values(["priority_class", "market"]).reset_index(drop=True)


# --- accuracy ------------------------------------------------------------------------------------

@st.cache_data(max_entries=16, show_spinner=False)
def accuracy(stamp: Stamp, mstamp: MeetingStamp, by: str) -> pd.DataFrame:
    """WAPE and bias per 'pmc' | 'market' | 'class' | 'total' over the closed periods."""
    with cursor(stamp[0]) as cur:
        return acc.accuracy(cur, by)


@st.cache_data(max_entries=16, show_spinner=False)
def worst_offenders(stamp: Stamp, mstamp: MeetingStamp, top: int = 10) -> pd.DataFrame:
    with cursor(stamp[0]) as cur:
        return store.with_product_display(acc.worst_offenders(cur, top), store.product_displays(cur))


@st.cache_data(max_entries=32, show_spinner=False)
def accuracy_series(stamp: Stamp, mstamp: MeetingStamp, product: str | None = None,
                    market: str | None = None) -> pd.DataFrame:
    with cursor(stamp[0]) as cur:
        return acc.accuracy_series(cur, product=product, market=market)


# --- the pack ------------------------------------------------------------------------------------

@st.cache_data(max_entries=4, show_spinner=False)
def pack(stamp: Stamp, mstamp: MeetingStamp, meeting_id: int, lang: str) -> tuple[dict[str, bytes], dict[str, str]]:
    """The meeting pack on the meeting's versions and in `lang`: (part -> bytes, part -> why it
    failed); the Excel and the PDF are built independently."""
    chosen = meeting(mstamp, meeting_id)
    model = queries.model(meeting_key(stamp, chosen))
    with cursor(stamp[0]) as cur:
        built = meeting_pack.build_pack(cur, int(meeting_id), lang=lang, model=model)
    files = meeting_pack.build_files(built)
    _built_packs[(stamp, mstamp, int(meeting_id), lang)] = files
    while len(_built_packs) > 8:
        _built_packs.pop(next(iter(_built_packs)))
    return files


_built_packs: dict[tuple, tuple[dict[str, bytes], dict[str, str]]] = {}
# below this many PMC-periods the pack takes well under a second and is built with the page
QUICK_PACK_ROWS = 200_000


def pack_is_quick(key: VersionKey) -> bool:
    return int(queries.model(key).query("select count(*) as n from mart_gaps")["n"].iloc[0]) \
        <= QUICK_PACK_ROWS


def pack_if_built(stamp: Stamp, mstamp: MeetingStamp, meeting_id: int, lang: str):
    """The pack when it was built already in this process (never builds it), else None."""
    return _built_packs.get((stamp, mstamp, int(meeting_id), lang))


def pack_part(stamp: Stamp, mstamp: MeetingStamp, meeting_id: int, lang: str, part: str):
    """A callable for st.download_button: builds the pack when the button is clicked (building
    it on every rerun of the meeting page took most of a meeting's 20 s on a large plan)."""
    def make() -> bytes:
        files, failed = pack(stamp, mstamp, int(meeting_id), lang)
        if part in files:
            return files[part]
        from pipelines.pack import part_failed_text
        return part_failed_text(part, failed.get(part, "–"), lang).encode("utf-8")
    return make


def pack_name(chosen: dict, suffix: str) -> str:
    from pipelines.pack import pack_stem
    return f"{pack_stem(chosen)}.{suffix}"

