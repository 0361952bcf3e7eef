"""slacalc: service-level agreement arithmetic for 311/CRM systems.

Business calendars, SLA targets and policies, request evaluation and
compliance reports. Every public name is importable from here.

Examples:
    >>> import datetime as dt
    >>> import slacalc as sla
    >>> cal = sla.BusinessCalendar(tz="America/Chicago", hours="Mon-Fri 08:00-16:30")
    >>> received = dt.datetime(2026, 12, 4, 15, 0, tzinfo=cal.tz)
    >>> sla.parse_target("1 business day").due(received, cal).isoformat()
    '2026-12-07T16:30:00-06:00'
"""

from slacalc._version import __version__
from slacalc.adjust import Adjustment
from slacalc.book import PolicyBook
from slacalc.calendar import BusinessCalendar, Closure
from slacalc.compliance import ComplianceReport, compliance
from slacalc.counts import ComplianceCounts
from slacalc.errors import (
    CalendarError,
    ClosedTooLongError,
    HoursFormatError,
    NaiveDatetimeError,
    PolicyError,
    PolicyFileError,
    SlacalcWarning,
    SourceError,
    TargetError,
)
from slacalc.evaluate import DueDifference
from slacalc.hours import WeeklyHours
from slacalc.loading import LoadReport, RequestReader
from slacalc.open311 import read_open311, to_open311, write_open311
from slacalc.outcomes import Outcome, Request, Status
from slacalc.policy import Policy
from slacalc.rows import ComplianceRow, Flag
from slacalc.sources import ColumnMap, read_csv
from slacalc.standardize import StandardizedReport, StandardizedRow, standardize
from slacalc.targets import (
    BusinessDays,
    BusinessHours,
    Days,
    Hours,
    Target,
    parse_target,
)
from slacalc.trend import TrendReport, TrendRow, trend
from slacalc.workload import WorkloadReport, WorkloadRow, workload

__all__ = [
    "Adjustment",
    "BusinessCalendar",
    "BusinessDays",
    "BusinessHours",
    "CalendarError",
    "ClosedTooLongError",
    "Closure",
    "ColumnMap",
    "ComplianceCounts",
    "ComplianceReport",
    "ComplianceRow",
    "Days",
    "DueDifference",
    "Flag",
    "Hours",
    "HoursFormatError",
    "LoadReport",
    "NaiveDatetimeError",
    "Outcome",
    "Policy",
    "PolicyBook",
    "PolicyError",
    "PolicyFileError",
    "Request",
    "RequestReader",
    "SlacalcWarning",
    "SourceError",
    "StandardizedReport",
    "StandardizedRow",
    "Status",
    "Target",
    "TargetError",
    "TrendReport",
    "TrendRow",
    "WeeklyHours",
    "WorkloadReport",
    "WorkloadRow",
    "__version__",
    "compliance",
    "parse_target",
    "read_csv",
    "read_open311",
    "standardize",
    "to_open311",
    "trend",
    "workload",
    "write_open311",
]
