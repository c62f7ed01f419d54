-- materialized: table
-- Incremental scenario: the PMC-periods whose demand row may change, as a forecast with their
-- scenario demand (int_demand.sql runs on them alone): the base's rows of scn_delta_base with the
-- demand scn_forecast_changes gives them, and the changed PMC-periods without demand in the base,
-- in the unit the staged forecast has for them (a new PMC: its article's unit), as the full
-- rebuild's scn_forecast.sql lays them on.
with changed as (
    select product, market, period, period_start, demand from scn_forecast_changes
),

base_rows as (
    select product, market, period, period_start, demand, unit, convertible, unit_problem,
        kg_per_unit
    from scn_delta_base
),

missing as (
    select changed.*
    from changed
    anti join base_rows using (product, market, period)
),

staged as (
    select product, market, period, unit, convertible, unit_problem, kg_per_unit
    from stg_forecast
    semi join missing using (product, market, period)
),

products as (
    select product, unit, kg_per_unit from stg_products
),

final as (
    select base_rows.product, base_rows.market, base_rows.period, base_rows.period_start,
        coalesce(changed.demand, base_rows.demand) as demand,
        base_rows.unit, base_rows.convertible, base_rows.unit_problem, base_rows.kg_per_unit
    from base_rows
    left join changed on changed.product = base_rows.product and changed.market = base_rows.market
        and changed.period = base_rows.period
    union all
    select missing.product, missing.market, missing.period, missing.period_start, missing.demand,
        scenario_unit(staged.unit, products.unit) as unit,
        scenario_convertible(staged.convertible) as convertible,
        staged.unit_problem,
        scenario_kg_per_unit(staged.kg_per_unit, products.kg_per_unit) as kg_per_unit
    from missing
    left join staged on staged.product = missing.product and staged.market = missing.market
        and staged.period = missing.period
    left join products on products.product = missing.product
)

select * from final
