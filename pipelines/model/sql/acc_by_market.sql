-- materialized: table
-- Forecast accuracy per market over the closed periods: WAPE = sum |F - A| / sum A,
-- bias = sum (F - A) / sum A (empty where no actuals were sold).
with rows as (
    select * from acc_forecast_vs_actual
),

final as (
    select
        market,
        min(priority_class) as priority_class,
        count(distinct period) as periods,
        sum(forecast) as forecast,
        sum(actual) as actual,
        sum(abs_error) as abs_error,
        sum(error) as error,
        case when sum(actual) > 0 then sum(abs_error) / sum(actual) end as wape,
        case when sum(actual) > 0 then sum(error) / sum(actual) end as bias
    from rows
    group by market
)

select * from final
