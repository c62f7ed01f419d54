-- materialized: view
-- Alternate lines of the selected version (used only by the other-line lever).
with selected as (
    select alternates.*
    from alternates
    join model_selection on model_selection.kind = 'alternates'
        and model_selection.version_id = alternates.version_id
),

final as (
    select product, line, rate
    from selected
    where line is not null and rate > 0
)

select * from final
