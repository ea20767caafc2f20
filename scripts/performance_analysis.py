#!/usr/bin/env python3
"""The operations guide's performance analysis: ``nba-mcp ops perf-report``.

Usage: scripts/performance_analysis.py --start-date YYYY-MM-DD --end-date YYYY-MM-DD
       [--output DIR] [--prometheus URL] [--json]
"""

from _wrapper import run

if __name__ == "__main__":
    run("perf-report")
