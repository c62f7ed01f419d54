-- materialized: table
-- Forecast change (cmp_forecast_change) summed per market (folded, shown as first written) or per
-- product group of the product master (empty group as '–'): the demand page's waterfall, meeting
-- step 1, the pack and `einklang changes`. Largest moves first.
-- All groups share one measure, so the groups and their total can stand on one axis (spec 5
-- "Units", the rule of macros.sql `qty_*` over every article of the comparison): kg where every
-- article has a weight, the articles' one unit where they share one, else line hours
-- (quantity / rate). An article without hours (no line or rate in the master, or not in it: it
-- takes no line time, spec 5.5) adds nothing to an hours total and is counted in
-- `unrouted_products`. `change_value` is the change in money where every article of the group has
-- a price.
-- Reads stg_products of the chosen product master ($products_version in model_selection).
-- Params: $by ('market' | 'product_group').
with change as (
    select * from cmp_forecast_change
),

products as (
    select product, product_group, unit, kg_per_unit, price,
           case when routed then 1.0 / rate end as hours_per_unit
    from stg_products
),

rows as (
    select
        case when $by = 'market' then lower(change.market)
             else coalesce(products.product_group, '–') end as group_key,
        case when $by = 'market' then change.market
             else coalesce(products.product_group, '–') end as group_label,
        change.product,
        change.previous,
        change.current,
        change.change,
        -- the article's unit, or the unit given for an article the master does not know
        -- (cmp_forecast_change, converted by pmc_quantities)
        coalesce(change.unit, 'Stk') as unit,
        change.kg_per_unit,
        products.hours_per_unit,
        products.price
    from change
    left join products using (product)
),

-- the one measure of the whole comparison
measure as (
    select coalesce(qty_total_basis(unit, kg_per_unit), 'hours') as basis,
           coalesce(qty_total_unit(unit, kg_per_unit), 'h') as unit
    from rows
),

measured as (
    select
        rows.*,
        measure.unit as measure_unit,
        measure.basis,
        case measure.basis when 'weight' then rows.kg_per_unit
                           when 'unit' then 1.0
                           else coalesce(rows.hours_per_unit, 0) end as factor
    from rows
    cross join measure
),

final as (
    select
        min(group_label) as "group",
        round(sum(previous * factor), 6) as previous,
        round(sum(current * factor), 6) as current,
        round(sum(change * factor), 6) as change,
        any_value(measure_unit) as unit,
        any_value(basis) as basis,
        count(distinct product) filter (where basis = 'hours' and hours_per_unit is null)
            as unrouted_products,
        case when count(price) = count(*) then round(sum(change * price), 6) end as change_value
    from measured
    group by group_key
)

select * from final
