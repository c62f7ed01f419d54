-- materialized: table
-- Scenario overlay of stg_priority_overrides: a priority change (market, or PMC with a product) and
-- a new PMC's class replace the strategy's class for that market or PMC (the last change counts).
with changed as (
    select lower(trim(market)) as market_key, product, priority_class
    from scenario_changes
    where kind = 'priority' or (kind = 'new_pmc' and priority_class is not null)
    qualify row_number() over (partition by lower(trim(market)), product order by change_no desc) = 1
),

kept as (
    select overrides.*
    from stg_priority_overrides as overrides
    where not exists (
        select 1 from changed
        where changed.market_key = overrides.market_key
            and changed.product is not distinct from overrides.product)
),

final as (
    select market_key, product, priority_class from kept
    union all
    select market_key, product, priority_class from changed
)

select * from final
