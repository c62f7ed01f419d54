-- materialized: table
-- Forecast quantities that cannot be put into their article's unit (spec 5 "Units"): a weight for
-- an article kept in pieces without a net weight ('no_net_weight'), or a unit that is neither the
-- article's nor a weight ('unit_mismatch'). `in_gaps`: the PMC-period is in mart_gaps in the
-- given unit, short in full; otherwise other rows of it converted and this quantity is left out.
with units as (
    select * from stg_forecast_units where factor is null and quantity > 0
),

gaps as (
    select product, market, period, unit from stg_forecast where not convertible
),

final as (
    select
        units.product,
        units.market,
        units.period,
        units.period_start,
        units.quantity,
        units.unit_given,
        units.article_unit,
        units.unit_problem,
        gaps.product is not null as in_gaps
    from units
    left join gaps on gaps.product = units.product and gaps.market = units.market
        and gaps.period = units.period and gaps.unit = units.unit_given_display
)

select * from final
