-- materialized: table
-- Forecast accuracy over the closed periods at every level the look-back shows, in one model:
-- per PMC, per market, per priority class and in total (`level`). WAPE = sum |F - A| / sum A,
-- bias = sum (F - A) / sum A (empty where no actuals were sold).
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
        sum(forecast) as forecast,
        sum(actual) as actual,
        sum(abs_error) as abs_error,
        sum(error) as error
    from rows
    group by grouping sets ((product, market), (market), (priority_class), ())
),

final as (
    select
        *,
        case when actual > 0 then abs_error / actual end as wape,
        case when actual > 0 then error / actual end as bias
    from grouped
)

select * from final
