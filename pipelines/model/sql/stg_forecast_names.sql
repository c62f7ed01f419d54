-- materialized: table
-- Article names as the selected forecast file writes them: the name of an article the product
-- master does not know yet (a new article is a main cause of conflict, and needs a name on screen).
with selected as (
    select forecast.product, forecast.name
    from forecast
    join model_selection on model_selection.kind = 'forecast'
        and model_selection.version_id = forecast.version_id
    where forecast.name is not null
),

final as (
    select product, min(name) as product_name
    from selected
    group by product
)

select * from final
