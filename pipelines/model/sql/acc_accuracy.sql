-- materialized: table
-- Forecast accuracy over the closed periods at every level the look-back shows, in one model:
-- per PMC, per market, per priority class and in total (`level`). WAPE = sum |F - A| / sum A,
-- bias = sum (F - A) / sum A (empty where no actuals were sold).
-- A PMC's quantities are in its article's unit (`unit`); a market, a class and the total add up
-- articles in the look-back's one measure (acc_forecast_vs_actual `factor`: kg, the one unit or
-- line hours), so their WAPE weighs a kilogram of cheese like a kilogram of yoghurt, not a cup like
-- a kilogram. `abs_error_measured` is every level's miss in that measure: what ranks the worst
-- offenders across articles.
with rows as (
    select * from acc_forecast_vs_actual
),

grouped as (
    select
        case when grouping(product) = 0 then 'pmc'
             when grouping(market) = 0 then 'market'
             when grouping(priority_class) = 0 then 'class'
             else 'total' end as level,
        product,
        market,
        case when grouping(priority_class) = 0 then priority_class
             else min(priority_class) end as priority_class,
        count(distinct period) as periods,
        sum(forecast) as own_forecast,
        sum(actual) as own_actual,
        sum(abs_error) as own_abs_error,
        sum(error) as own_error,
        min(unit) as own_unit,
        sum(forecast * factor) as measured_forecast,
        sum(actual * factor) as measured_actual,
        sum(abs_error * factor) as abs_error_measured,
        sum(error * factor) as measured_error,
        any_value(measure_unit) as measure_unit
    from rows
    group by grouping sets ((product, market), (market), (priority_class), ())
),

leveled as (
    select
        level, product, market, priority_class, periods,
        case when level = 'pmc' then own_forecast else measured_forecast end as forecast,
        case when level = 'pmc' then own_actual else measured_actual end as actual,
        case when level = 'pmc' then own_abs_error else abs_error_measured end as abs_error,
        case when level = 'pmc' then own_error else measured_error end as error,
        case when level = 'pmc' then own_unit else measure_unit end as unit,
        abs_error_measured
    from grouped
),

final as (
    select
        *,
        case when actual > 0 then abs_error / actual end as wape,
        case when actual > 0 then error / actual end as bias
    from leveled
)

select * from final
