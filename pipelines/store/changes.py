"""What an upload would change against the current version of its kind, before anything is stored."""
from __future__ import annotations

from dataclasses import dataclass, field

import pyarrow as pa

from pipelines import store
from pipelines.contract import KINDS
from pipelines.store.validate import KindBatch

# the field whose totals the preview compares, per kind (spec section 4: per market, per line)
TOTALS_BY = {"forecast": "market", "actuals": "market", "capacity": "line", "plan": "line"}
# the unit each row's quantity is in, for the kinds whose totals add quantities of articles
UNIT_OF = {"forecast": "coalesce(nullif(trim(t.unit), ''), p.unit, 'Stk')",
           "actuals": "coalesce(nullif(trim(t.unit), ''), p.unit, 'Stk')",
           "plan": "coalesce(p.unit, 'Stk')"}
# keys whose appearing and disappearing the preview lists
LISTED_KEYS = {"forecast": ("product", "market"), "actuals": ("product", "market"),
               "capacity": ("line",), "plan": ("product",), "products": ("product", "line"),
               "alternates": ("product", "line"), "markets": ("market",)}
SHOWN = 50  # at most this many keys listed per group; the counts are always complete


@dataclass
class KindChange:
    """One kind of an upload against its current version: rows, totals per group, keys in and out."""

    kind: str
    base_version: int | None
    mode: str                                   # 'replace' | 'merge' (merge: the rest is kept)
    rows_before: int
    rows_after: int
    totals_by: str | None = None                # 'market' | 'line' | None
    value: str | None = None                    # 'quantity' | 'available_hours' | 'planned_quantity'
    totals: list[dict] = field(default_factory=list)   # {group, before, after, delta}
    new_pmcs: list[tuple[str, str]] = field(default_factory=list)
    new_pmc_count: int = 0
    appearing: dict[str, list[str]] = field(default_factory=dict)     # key field -> new keys
    disappearing: dict[str, list[str]] = field(default_factory=dict)  # key field -> keys gone
    counts: dict[str, int] = field(default_factory=dict)  # 'new_product', 'gone_market', ...
    product_display: dict[str, str] = field(default_factory=dict)  # listed products as the ERP writes them

    def to_dict(self) -> dict:
        return {"kind": self.kind, "base_version": self.base_version, "mode": self.mode,
                "rows_before": self.rows_before, "rows_after": self.rows_after,
                "totals_by": self.totals_by, "value": self.value, "totals": self.totals,
                "new_pmcs": [list(p) for p in self.new_pmcs], "new_pmc_count": self.new_pmc_count,
                "appearing": self.appearing, "disappearing": self.disappearing, "counts": self.counts,
                "product_display": self.product_display}


def merges(kind: str, merge: bool) -> bool:
    """Whether an upload of `kind` keeps rows of the previous version (actuals always do)."""
    return merge or KINDS[kind].merge_within_periods


def changes(con, batches: list[KindBatch], merge: bool = False,
            written: dict[str, str] | None = None) -> list[KindChange]:
    """Per kind of the upload: the current version against the version the upload would store
    (the file's rows, plus the kept rows of the previous version where it merges). `written`:
    article numbers as the upload writes them, beside the display forms already kept."""
    from pipelines.store.ingest import stored_frame

    out = []
    for batch in batches:
        kind, spec = batch.kind, KINDS[batch.kind]
        base = con.execute("select max(version_id) from versions where kind = ?", [kind]).fetchall()[0][0]
        keep = merges(kind, merge) and base is not None
        columns = list(store.DATA_COLUMNS[kind])
        scope = [spec.merge_by, *(["period"] if spec.merge_within_periods else [])]
        replaced = batch.frame[scope].dropna().drop_duplicates()
        con.register("_chg_incoming", pa.Table.from_pandas(stored_frame(batch), preserve_index=False))
        con.register("_chg_replaced", pa.Table.from_pandas(replaced, preserve_index=False))
        try:
            cols = ", ".join(columns)
            same = " and ".join(f"t.{c} = r.{c}" for c in scope)
            base_id = int(base) if base is not None else -1  # an id from the store, not user text
            kept = (f" union all select {cols} from {kind} t where t.version_id = {base_id} and not exists "
                    f"(select 1 from _chg_replaced r where {same})") if keep else ""
            views = (f"with _chg_after as (select {cols} from _chg_incoming{kept}), "
                     f"_chg_before as (select {cols} from {kind} where version_id = {base_id}) ")
            change = _kind_change(lambda sql: con.execute(views + sql).fetchall(), kind, base, keep)
            displays = {**(written or {}), **store.product_displays(con)}
            listed = {p for p, _ in change.new_pmcs} | set(change.appearing.get("product", [])) | \
                set(change.disappearing.get("product", []))
            change.product_display = {p: displays[p] for p in sorted(listed) if p in displays}
            out.append(change)
        finally:
            con.unregister("_chg_incoming")
            con.unregister("_chg_replaced")
    return out


def _kind_change(query, kind: str, base: int | None, keep: bool) -> KindChange:
    spec = KINDS[kind]
    (before, after), = query("select (select count(*) from _chg_before), (select count(*) from _chg_after)")
    change = KindChange(kind=kind, base_version=base, mode="merge" if keep else "replace",
                        rows_before=int(before), rows_after=int(after))
    group = TOTALS_BY.get(kind)
    if group is not None:
        change.totals_by, change.value = group, spec.wide_value
        value = spec.wide_value
        # quantities of different units are not added (spec section 5 "Units"): per group and unit,
        # the row's unit as given, else its article's (the current master), else Stk
        unit = UNIT_OF.get(kind)
        master = ("left join (select product, any_value(unit) as unit from products where version_id = "
                  "(select max(version_id) from versions where kind = 'products') group by product) p "
                  "using (product)") if unit else ""
        unit_sql = unit or "null"
        rows = query(
            f"select coalesce(a.g, b.g) as g, coalesce(a.u, b.u) as u, coalesce(b.v, 0), coalesce(a.v, 0) from "
            f"(select {group} as g, {unit_sql} as u, sum({value}) as v from _chg_after t {master} group by 1, 2) a "
            f"full outer join "
            f"(select {group} as g, {unit_sql} as u, sum({value}) as v from _chg_before t {master} group by 1, 2) b "
            "on a.g is not distinct from b.g and a.u is not distinct from b.u order by 1 nulls last, 2 nulls last")
        change.totals = [{"group": g, "before": round(float(b), 6), "after": round(float(a), 6),
                          "delta": round(float(a) - float(b), 6), **({"unit": u} if unit else {})}
                         for g, u, b, a in rows]
    if base is None:
        return change  # a first upload: everything is new, listing it says nothing
    for key in LISTED_KEYS[kind]:
        for direction, (left, right) in (("new", ("_chg_after", "_chg_before")),
                                         ("gone", ("_chg_before", "_chg_after"))):
            rows = query(
                f"select {key}, count(*) over () from (select distinct {key} from {left} "
                f"where {key} is not null except select distinct {key} from {right}) order by 1 "
                f"limit {SHOWN}")
            change.counts[f"{direction}_{key}"] = int(rows[0][1]) if rows else 0
            target = change.appearing if direction == "new" else change.disappearing
            target[key] = [str(r[0]) for r in rows]
    if kind in ("forecast", "actuals"):
        rows = query(
            "select product, market, count(*) over () from (select distinct product, market "
            "from _chg_after except select distinct product, market from _chg_before) "
            f"order by 1, 2 limit {SHOWN}")
        change.new_pmcs = [(str(p), str(m)) for p, m, _ in rows]
        change.new_pmc_count = int(rows[0][2]) if rows else 0
    return change
