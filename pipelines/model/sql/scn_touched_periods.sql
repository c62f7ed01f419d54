-- materialized: table
-- Incremental scenario: the periods whose headline figures may change: those of a changed
-- PMC-period or of a touched line-period.
select distinct period_start from scn_delta_forecast
union
select distinct periods.period_start
from scn_touched_line_periods as touched
join stg_periods as periods on periods.period = touched.period
