-- materialized: table
-- Incremental scenario: the line-periods whose allocation may change: where a changed PMC-period
-- was (the article's line in the base) or is now routed, and where the scenario's capacity differs
-- from the base's. A line-period too many costs time, never correctness: it is recomputed whole.
with moved_from as (
    select distinct products.line, changed.period
    from (select distinct product, period from scn_delta_forecast) as changed
    join stg_products as products on products.product = changed.product
    where products.routed
),

moved_to as (
    select line, period from scn_delta_demand where line is not null
),

capacity_changed as (
    select coalesce(shifted.line, base.line) as line, coalesce(shifted.period, base.period) as period
    from scn_capacity as shifted
    full outer join stg_capacity as base on base.line = shifted.line and base.period = shifted.period
    where shifted.line is null or base.line is null
        or shifted.available_hours is distinct from base.available_hours
        or shifted.max_hours is distinct from base.max_hours
),

final as (
    select line, period from moved_from
    union
    select line, period from moved_to
    union
    select line, period from capacity_changed
)

select * from final
