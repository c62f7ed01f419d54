-- materialized: table
-- Incremental scenario: the base's demand rows that no change reaches but whose class is served
-- another share of its need in the scenario, or whose line-period gained or lost all capacity
-- (every row of such a class has other supplied and shortfall figures).
with changed_classes as (
    select scenario.line, scenario.period, scenario.priority_class
    from scn_int_class_hours as scenario
    join int_class_hours as base on base.line = scenario.line and base.period = scenario.period
        and base.priority_class = scenario.priority_class
    where scenario.share <> base.share or scenario.no_capacity <> base.no_capacity
),

final as (
    select demand.*
    from int_demand as demand
    semi join changed_classes using (line, period, priority_class)
    anti join scn_delta_base as delta using (product, market, period)
)

select * from final
