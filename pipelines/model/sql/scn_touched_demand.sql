-- materialized: view
-- Incremental scenario: the scenario's demand rows on the touched line-periods (all of them, so
-- int_class_hours.sql allocates those line-periods exactly as a full rebuild would).
select demand_rows.*
from scn_int_demand as demand_rows
semi join scn_touched_line_periods as touched on touched.line = demand_rows.line
    and touched.period = demand_rows.period
