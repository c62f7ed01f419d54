-- materialized: table
-- Incremental scenario: the scenario's allocation (scn_class_hours_computed: int_class_hours.sql
-- on scn_int_class_demand and the scenario's capacity), where a share that moved by at most 1e-12
-- from the base's is the base's. A sum of base plus delta differs from a fresh sum in its last
-- bits (a class behind a change sees the hours before it as (A + x) + (B - x)); such a share is
-- the base's but for rounding noise, and keeping it leaves its rows' figures as they were. Only
-- a class whose share or capacity really changes has its rows recomputed (scn_reallocated_demand).
with computed as (
    select * from scn_class_hours_computed
),

base as (
    select line, period, priority_class, share from int_class_hours
),

final as (
    select computed.* replace (
        case when abs(computed.share - base.share) <= 1e-12 then base.share
             else computed.share end as share)
    from computed
    left join base on base.line = computed.line and base.period = computed.period
        and base.priority_class = computed.priority_class
)

select * from final
