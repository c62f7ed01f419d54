-- materialized: table
-- Demand of the selected forecast version at the common grain (weeks summed to months when needed),
-- in the article's unit (`stg_forecast_units`). A PMC-period whose rows cannot be converted at
-- all keeps the quantity in its given unit (`convertible` false: it takes no hours and is short
-- in full, spec 5.5); where some rows convert, the rest are listed only by `mart_unit_problems`.
with units as (
    select * from stg_forecast_units
),

converted as (
    select product, market, period, any_value(period_start) as period_start,
           any_value(article_unit) as unit, any_value(kg_per_unit) as kg_per_unit,
           sum(demand) as demand
    from units
    where factor is not null
    group by product, market, period
),

unconverted as (
    -- the first given unit of a PMC-period none of whose rows converts
    select product, market, period, period_start, unit_given_display as unit, kg_per_unit,
           quantity as demand, unit_problem
    from units
    where factor is null
        and not exists (select 1 from converted
                        where converted.product = units.product and converted.market = units.market
                            and converted.period = units.period)
    qualify row_number() over (partition by product, market, period order by unit_given) = 1
),

final as (
    select product, market, period, period_start, demand, unit, true as convertible,
           null::text as unit_problem, kg_per_unit
    from converted
    union all
    select product, market, period, period_start, demand, unit, false as convertible, unit_problem,
           kg_per_unit
    from unconverted
)

-- in PMC and period order: the joins after this keep an article's rows together, so the held
-- mart_gaps answers one PMC's lookup (drill-down, levers) from about one row group (zone maps)
select * from final order by product, market, period_start
