-- materialized: table
-- Priority class and name of each market of the selected version.
with selected as (
    select markets.*
    from markets
    join model_selection on model_selection.kind = 'markets'
        and model_selection.version_id = markets.version_id
),

final as (
    select market, priority_class, name as market_name
    from selected
)

select * from final
