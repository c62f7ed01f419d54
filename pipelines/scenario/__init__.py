"""What-if scenarios (spec section 7): a named list of changes laid over the current version set.

`parse(text, con)` reads and validates a TOML scenario (every problem a UserError naming the change
and field); `add`, `get`, `list_scenarios` keep them in the `scenarios` table (the TOML text, never a
copy of the data); `changes_rows` turns them into the rows of the `scenario_changes` table the
overlay models `scn_*.sql` read; `compare` sets the KPIs of base and scenarios side by side.
"""
from __future__ import annotations

import datetime as dt
import getpass
import math
import tomllib
from dataclasses import dataclass

import duckdb

from pipelines.errors import Rejected, UserError
from pipelines.read.keys import priority_class, product_key, text_key
from pipelines.read.periods import parse_period, resolve

KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    # kind: required fields, optional fields
    "demand": {"required": (), "optional": ("market", "product_group", "product", "from", "to",
                                            "percent", "units")},
    "new_pmc": {"required": ("product", "market", "quantity"), "optional": ("from", "to", "class")},
    "capacity": {"required": ("line", "hours"), "optional": ("from", "to")},
    "priority": {"required": ("market", "class"), "optional": ("product",)},
    "routing": {"required": ("product", "line", "rate"), "optional": ()},
}
NUMBERS = ("percent", "units", "quantity", "hours", "rate")
CHANGE_COLUMNS = ("change_no", "kind", "market", "product_group", "product", "line", "from_start",
                  "to_end", "percent", "units", "quantity", "hours", "rate", "priority_class")


@dataclass(frozen=True)
class Change:
    """One change of a scenario, its fields normalised (keys as the store keeps them)."""

    number: int
    kind: str
    market: str | None = None
    product_group: str | None = None
    product: str | None = None
    line: str | None = None
    from_start: dt.date | None = None
    to_end: dt.date | None = None
    percent: float | None = None
    units: float | None = None
    quantity: float | None = None
    hours: float | None = None
    rate: float | None = None
    priority_class: int | None = None

    def row(self) -> tuple:
        return (self.number, self.kind, self.market, self.product_group, self.product, self.line,
                self.from_start, self.to_end, self.percent, self.units, self.quantity, self.hours,
                self.rate, self.priority_class)


@dataclass(frozen=True)
class Scenario:
    name: str
    changes: tuple[Change, ...]
    text: str


def _problem(key: str, change: int | None, field: str | None, value: object = None,
             **params: object) -> UserError:
    return UserError(key, column=field, value=value,
                     params={"change": change, "field": field, **params})


def _period(value: object, number: int, field: str, errors: list) -> tuple[dt.date, dt.date] | None:
    """(first day, last day) of a period written in any form the reader accepts."""
    token = parse_period(value) if isinstance(value, (str, dt.date)) else None
    if token is None:
        errors.append(_problem("scn_period", number, field, value))
        return None
    _, grain, start = resolve(token, monthly_dates=False)
    if grain == "week":
        return start, start + dt.timedelta(days=6)
    following = dt.date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return start, following - dt.timedelta(days=1)


def _number(value: object, number: int, field: str, errors: list) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        errors.append(_problem("scn_number", number, field, value))
        return None
    return float(value)


def master_keys(con: duckdb.DuckDBPyConnection) -> tuple[set[str], set[str]]:
    """(known products, known lines) of the current version set."""
    from pipelines.store import current_versions
    current = current_versions(con)
    products: set[str] = set()
    lines: set[str] = set()
    if "products" in current:
        for product, line in con.execute("select product, line from products where version_id = ?",
                                         [current["products"]]).fetchall():
            products.add(product)
            if line:
                lines.add(line)
    for kind in ("capacity", "alternates"):
        if kind in current:
            lines |= {r[0] for r in con.execute(
                f"select distinct line from {kind} where version_id = ? and line is not null",
                [current[kind]]).fetchall()}
    return products, lines


def _change(number: int, raw: object, products: set[str] | None, lines: set[str] | None,
            errors: list) -> Change | None:
    if not isinstance(raw, dict):
        errors.append(_problem("scn_kind", number, "kind", None))
        return None
    kind = raw.get("kind")
    if kind not in KINDS:
        errors.append(_problem("scn_kind", number, "kind", kind, kinds=", ".join(KINDS)))
        return None
    before = len(errors)
    spec = KINDS[kind]
    for name in spec["required"]:
        if name not in raw:
            errors.append(_problem("scn_missing", number, name, kind=kind))
    for name in raw:
        if name != "kind" and name not in spec["required"] + spec["optional"]:
            errors.append(_problem("scn_field_unknown", number, name, kind=kind))
    values: dict[str, object] = {}
    for name in NUMBERS:
        if name in raw:
            values[name] = _number(raw[name], number, name, errors)
    if kind == "demand" and ("percent" in raw) == ("units" in raw):
        errors.append(_problem("scn_demand_amount", number, "percent"))
    if kind == "routing" and values.get("rate") is not None and values["rate"] <= 0:
        errors.append(_problem("scn_rate", number, "rate", raw["rate"]))
    if kind == "new_pmc" and values.get("quantity") is not None and values["quantity"] < 0:
        errors.append(_problem("scn_quantity", number, "quantity", raw["quantity"]))
    for name in ("market", "product_group", "line"):
        if name in raw:
            values[name] = text_key(raw[name]) if isinstance(raw[name], (str, int)) else None
            if values[name] is None:
                errors.append(_problem("scn_text", number, name, raw[name]))
    if "product" in raw:
        values["product"] = product_key(raw["product"]) if isinstance(raw["product"], (str, int)) else None
        if values["product"] is None:
            errors.append(_problem("scn_text", number, "product", raw["product"]))
        elif products is not None and values["product"] not in products:
            errors.append(_problem("scn_product_unknown", number, "product", values["product"]))
    if values.get("line") and lines is not None and values["line"] not in lines:
        errors.append(_problem("scn_line_unknown", number, "line", values["line"]))
    if "class" in raw:
        values["priority_class"] = priority_class(raw["class"])
        if values["priority_class"] is None:
            errors.append(_problem("scn_class", number, "class", raw["class"]))
    window = {name: _period(raw[name], number, name, errors) for name in ("from", "to") if name in raw}
    if window.get("from") and window.get("to") and window["from"][0] > window["to"][1]:
        errors.append(_problem("scn_window", number, "from", raw["from"], to=raw["to"]))
    if len(errors) > before:
        return None
    return Change(number=number, kind=kind, from_start=window["from"][0] if "from" in window else None,
                  to_end=window["to"][1] if "to" in window else None, **values)


def parse(text: str, con: duckdb.DuckDBPyConnection | None = None) -> Scenario:
    """A scenario from its TOML text, checked against the current master data when `con` is given;
    raises Rejected with every problem found."""
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise Rejected([_problem("scn_toml", None, None, str(exc))]) from exc
    errors: list[UserError] = []
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        errors.append(_problem("scn_name", None, "name", name))
    for key in raw:
        if key not in ("name", "change"):
            errors.append(_problem("scn_field_unknown", None, key, kind="scenario"))
    items = raw.get("change", [])
    if not isinstance(items, list):
        errors.append(_problem("scn_field_unknown", None, "change", kind="scenario"))
        items = []
    products, lines = master_keys(con) if con is not None else (None, None)
    changes = [_change(i, item, products, lines, errors) for i, item in enumerate(items, start=1)]
    if errors:
        raise Rejected(errors)
    return Scenario(name=name.strip(), changes=tuple(c for c in changes if c), text=text)


def add(con: duckdb.DuckDBPyConnection, text: str, author: str | None = None) -> dict:
    """Store a scenario; the same name again is its next revision (the latest one counts)."""
    from pipelines.store import transaction
    scenario = parse(text, con)
    author = author or _user()
    with transaction(con):
        revision = con.execute("select coalesce(max(revision), 0) + 1 from scenarios where name = ?",
                               [scenario.name]).fetchone()[0]
        scenario_id = con.execute("select nextval('scenario_seq')").fetchone()[0]
        con.execute("insert into scenarios values (?, ?, ?, ?, now(), ?)",
                    [scenario_id, scenario.name, revision, author, text])
    return {"status": "stored", "scenario_id": int(scenario_id), "name": scenario.name,
            "revision": int(revision), "changes": len(scenario.changes)}


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def list_scenarios(con: duckdb.DuckDBPyConnection):
    """The latest revision of each stored scenario, newest first."""
    return con.execute(
        "select scenario_id, name, revision, author, created_at, text from scenarios "
        "qualify revision = max(revision) over (partition by name) "
        "order by created_at desc, scenario_id desc").df()


def get(con: duckdb.DuckDBPyConnection, name: str) -> Scenario:
    """The latest revision of a stored scenario (parsed without the master data check: the data
    may have moved on since it was stored, and a change on a vanished key simply matches nothing)."""
    row = con.execute("select text from scenarios where name = ? order by revision desc limit 1",
                      [name]).fetchone()
    if row is None:
        raise UserError("scn_unknown", value=name)
    return parse(row[0])


def _toml_value(value: object) -> str:
    """A TOML value: numbers as written, text as a basic string (JSON escaping is valid TOML)."""
    import json
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}" if isinstance(value, float) else str(value)
    return json.dumps(str(value), ensure_ascii=False)


def change_text(kind: str, **fields: object) -> str:
    """One `[[change]]` block of a scenario file; fields that are None or empty are left out."""
    lines = ["[[change]]", f"kind = {_toml_value(kind)}"]
    lines += [f"{name} = {_toml_value(value)}" for name, value in fields.items()
              if value is not None and value != ""]
    return "\n".join(lines) + "\n"


LEVERS = {  # a drill-down lever as a scenario change: kind and the link's fields it takes
    "extra_hours": ("capacity", ("line", "from", "to", "hours")),
    "other_line": ("routing", ("product", "line", "rate")),
    "reprioritise": ("priority", ("market", "product", "class")),
}


def lever_text(name: str, params: dict[str, str], lang: str = "de") -> str:
    """A new scenario holding one drill-down lever (`/scenario?from=extra_hours&line=..&period=..
    &to=..&hours=..`); the window runs from `period` to `to` (without it: that one period). Empty
    for an unknown lever."""
    if name not in LEVERS:
        return ""
    kind, names = LEVERS[name]
    window = {"from": params.get("period"), "to": params.get("to") or params.get("period")} \
        if "from" in names else {}
    fields: dict[str, object] = {**window, **{n: params.get(n) for n in names if n not in window}}
    for number in ("hours", "rate"):
        try:
            fields[number] = float(fields[number]) if fields.get(number) else None
        except (TypeError, ValueError):
            pass  # left as text: the check names it as not a number
    until = params.get("to") if params.get("to") not in (None, "", params.get("period")) else None
    # the name as the drill-down says it: "Zusatzstunden EIS-1 KW 27/2027–KW 29/2027"
    from pipelines.meeting import lever_label
    from pipelines.text.format import period as period_text

    def shown(value: object) -> str:
        text = str(value)
        return period_text(text, lang) if parse_period(text) is not None and "-" in text else text

    title = " ".join(str(v) for v in (lever_label(name, lang), params.get("line") or params.get("market"),
                                       shown(params["period"]) if params.get("period") else None) if v) \
        + (f"–{shown(until)}" if until else "")
    return f"name = {_toml_value(title)}\n" + change_text(kind, **fields)


def episode(periods: list[str], short: set[str], period: str) -> tuple[str, str]:
    """The run of consecutive short periods (in the order of `periods`) around `period`: the window a
    lever taken from a drill-down covers; just `period` when it is not short."""
    if period not in periods or period not in short:
        return period, period
    at = periods.index(period)
    first = last = at
    while first > 0 and periods[first - 1] in short:
        first -= 1
    while last < len(periods) - 1 and periods[last + 1] in short:
        last += 1
    return periods[first], periods[last]


def lever_link(lever: dict, window: tuple[str, str], product: str | None = None,
               market: str | None = None) -> dict[str, str] | None:
    """The query parameters of /scenario that start a scenario from one drill-down lever row (a row
    of Model.levers or Model.line_levers), over `window`; None for a lever with no scenario change
    (pre-build) or without the figures it needs."""
    def number(*names: str) -> float | None:
        for name in names:
            value = lever.get(name)
            if value is not None and isinstance(value, (int, float)) and math.isfinite(value) and value > 0:
                return float(value)
        return None
    kind, first, last = lever.get("lever"), window[0], window[1]
    # the conflict it came from rides along, so the scenario page can link back to its agreement
    origin = {"product": product, "market": market} if product and market else {}
    link = _lever_change(kind, lever, first, last, product, market, number)
    return None if link is None else {**origin, **link}


def _lever_change(kind, lever: dict, first: str, last: str, product, market, number) -> dict | None:
    if kind == "extra_hours" and lever.get("line"):
        # the hours that close it under the allocation (a conflict), or the overload (a line)
        hours = number("hours_to_close", "hours_needed", "overload_hours", "hours")
        if hours is None:
            return None
        return {"from": "extra_hours", "line": str(lever["line"]), "period": first, "to": last,
                "hours": f"{math.ceil(hours * 10) / 10:g}"}
    if kind == "other_line" and lever.get("line") and product:
        rate = number("rate")
        return None if rate is None else {"from": "other_line", "product": product, "period": first,
                                          "line": str(lever["line"]), "rate": f"{rate:g}"}
    if kind == "reprioritise" and market:
        top = lever.get("top_class")
        if top is None or not isinstance(top, (int, float)) or not math.isfinite(top):
            return None
        return {"from": "reprioritise", "market": market, "period": first,
                "class": "ABC"[int(top) - 1] if 1 <= top <= 3 else str(int(top))} | (
                    {"product": product} if product else {})
    return None
