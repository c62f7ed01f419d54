-- materialized: table
-- Priority classes the strategy in force sets: per PMC (product given) or per market (product null).
with selected as (
    select strategy_priorities.*
    from strategy_priorities
    join model_selection on model_selection.kind = 'strategy'
        and model_selection.version_id = strategy_priorities.strategy_version_id
),

final as (
    select
        lower(trim(market)) as market_key,
        product,
        min(priority_class) as priority_class
    from selected
    group by all
)

select * from final
