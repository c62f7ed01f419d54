-- materialized: table
-- Fill-rate targets and utilisation bands of the strategy in force (the model's selection), with
-- market and line keys folded: the inputs of the strategy check.
with selection as (
    select version_id from model_selection where kind = 'strategy'
),

targets as (
    select
        'target' as rule,
        lower(trim(strategy_fill_targets.market)) as key,
        strategy_fill_targets.priority_class,
        max(strategy_fill_targets.target) as target,
        null::double as low,
        null::double as high
    from strategy_fill_targets
    join selection on selection.version_id = strategy_fill_targets.strategy_version_id
    group by all
),

bands as (
    select
        'band' as rule,
        lower(trim(strategy_bands.line)) as key,
        null::integer as priority_class,
        null::double as target,
        min(strategy_bands.min_utilization) as low,
        max(strategy_bands.max_utilization) as high
    from strategy_bands
    join selection on selection.version_id = strategy_bands.strategy_version_id
    group by all
),

final as (
    select * from targets
    union all
    select * from bands
)

select * from final
