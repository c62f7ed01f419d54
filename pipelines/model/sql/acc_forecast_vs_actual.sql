-- materialized: table
-- Forecast against actuals per PMC and closed period (spec section 6): for each period the latest
-- forecast version whose as-of date lies before the period's first day. A PMC with only a forecast
-- counts with actual 0, one with only actuals with forecast 0. A period counts as closed when the
-- actuals version holds it (and, with $until, when it ended on or before that day).
-- Quantities are in the article's unit (pmc_quantities converts what each file gave): `unit`.
-- Totals over articles need one measure (spec 5 "Units"): `measure_unit` and `factor` are the
-- look-back's one measure over all its rows, kg where every article weighs, the one unit where all
-- share it, else line hours (an article without a line or rate adds nothing to an hours total).
-- Reads stg_actuals, stg_forecast_versions and stg_products (at the grain of model_params).
-- Params: $grain ('week' | 'month'), $until (date or null), $default_class.
-- Reads the temp table meeting_classes (product, market_key = lower(market), priority_class).
with actual as (
    select * from stg_actuals
),

closed_periods as (
    select distinct period, period_start
    from actual
    where $until::date is null
        or period_start + (case when $grain = 'month' then interval 1 month else interval 7 day end)
            <= $until::date + interval 1 day
),

forecast_versions as (
    select version_id, as_of
    from versions
    where kind = 'forecast' and as_of is not null
),

chosen as (
    select closed_periods.period, closed_periods.period_start, forecast_versions.version_id,
        forecast_versions.as_of
    from closed_periods
    join forecast_versions on forecast_versions.as_of < closed_periods.period_start
    qualify row_number() over (
        partition by closed_periods.period
        order by forecast_versions.as_of desc, forecast_versions.version_id desc) = 1
),

forecast as (
    select stg_forecast_versions.product, stg_forecast_versions.market, stg_forecast_versions.period,
        stg_forecast_versions.quantity as forecast, stg_forecast_versions.unit,
        stg_forecast_versions.kg_per_unit
    from stg_forecast_versions
    join chosen on chosen.version_id = stg_forecast_versions.version_id
        and chosen.period = stg_forecast_versions.period
),

actual_closed as (
    select actual.*
    from actual
    join chosen using (period)
),

joined as (
    select
        coalesce(forecast.product, actual_closed.product) as product,
        coalesce(forecast.market, actual_closed.market) as market,
        coalesce(forecast.period, actual_closed.period) as period,
        coalesce(forecast.forecast, 0) as forecast,
        coalesce(actual_closed.actual, 0) as actual,
        coalesce(forecast.unit, actual_closed.unit, 'Stk') as unit,
        case when forecast.product is not null then forecast.kg_per_unit
             else actual_closed.kg_per_unit end as kg_per_unit
    from forecast
    full outer join actual_closed
        on actual_closed.product = forecast.product
        and lower(actual_closed.market) = lower(forecast.market)
        and actual_closed.period = forecast.period
),

measure as (
    select coalesce(qty_total_basis(unit, kg_per_unit), 'hours') as basis,
           coalesce(qty_total_unit(unit, kg_per_unit), 'h') as unit
    from joined
),

final as (
    select
        joined.product,
        joined.market,
        coalesce(meeting_classes.priority_class, $default_class) as priority_class,
        joined.period,
        chosen.period_start,
        chosen.version_id as forecast_version_id,
        chosen.as_of as forecast_as_of,
        joined.forecast,
        joined.actual,
        joined.forecast - joined.actual as error,
        abs(joined.forecast - joined.actual) as abs_error,
        joined.unit,
        measure.unit as measure_unit,
        case measure.basis when 'weight' then joined.kg_per_unit
                           when 'unit' then 1.0
                           else coalesce(case when products.routed then 1.0 / products.rate end, 0)
        end as factor
    from joined
    join chosen using (period)
    cross join measure
    left join stg_products as products on products.product = joined.product
    left join meeting_classes
        on meeting_classes.product = joined.product
        and meeting_classes.market_key = lower(joined.market)
)

select * from final
