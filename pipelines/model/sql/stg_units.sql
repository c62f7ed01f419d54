-- materialized: table
-- Every spelling of a unit in the selected product master, forecasts and actuals, once: its key, its
-- weight in kg (weights only), its kind and how it is shown (spec 5 "Units"). `unit` null: no
-- unit given.
with spellings as (
    select distinct nullif(trim(products.unit), '') as unit
    from products
    join model_selection on model_selection.kind = 'products'
        and model_selection.version_id = products.version_id
    union
    select distinct nullif(trim(forecast.unit), '') as unit
    from forecast
    join model_selection on model_selection.kind = 'forecast'
        and model_selection.version_id = forecast.version_id
    union
    select distinct nullif(trim(actuals.unit), '') as unit
    from actuals
    join model_selection on model_selection.kind = 'actuals'
        and model_selection.version_id = actuals.version_id
    union
    select null
),

keyed as (
    select unit, unit_key(unit) as key from spellings
),

weighed as (
    select unit, key, key_kg(key) as kg from keyed
),

final as (
    select unit, key, kg, key_kind(key, kg) as kind, key_display(key, kg, unit) as display
    from weighed
)

select * from final
