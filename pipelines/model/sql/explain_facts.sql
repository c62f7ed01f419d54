-- query: parameters $products, $markets, $periods (lists: the i-th items name one PMC-period)
-- What the explanation of each conflict named is written from (pipelines/model/explain.py): its
-- row of mart_gaps, the required and available hours of its line-period, the classes served
-- before it on that line-period with their hours, and the article's unit.
with targets as (
    select unnest($products) as product, unnest($markets) as market, unnest($periods) as period
),

conflict as (
    select gaps.*
    from mart_gaps as gaps
    semi join targets on targets.product = gaps.product and targets.market = gaps.market
        and targets.period = gaps.period
),

higher as (
    select
        conflict.product,
        conflict.market,
        conflict.period,
        list(class_hours.priority_class order by class_hours.priority_class) as higher_classes,
        list(class_hours.required_hours * class_hours.share order by class_hours.priority_class)
            as higher_served_hours
    from conflict
    join int_class_hours as class_hours on class_hours.line = conflict.line
        and class_hours.period = conflict.period
        and class_hours.priority_class < conflict.priority_class
    group by all
),

final as (
    select
        conflict.*,
        load.required_hours as line_required_hours,
        load.available_hours as line_available_hours,
        coalesce(higher.higher_classes, []) as higher_classes,
        coalesce(higher.higher_served_hours, []) as higher_served_hours,
        (select any_value(products.unit) from stg_products as products
         where products.product = conflict.product) as article_unit
    from conflict
    left join mart_load as load on load.line = conflict.line and load.period = conflict.period
    left join higher on higher.product = conflict.product and higher.market = conflict.market
        and higher.period = conflict.period
)

select * from final
