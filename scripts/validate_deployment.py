#!/usr/bin/env python3
"""The operations guide's deployment validation: ``nba-mcp ops validate``.

Usage: scripts/validate_deployment.py --url URL [--api-key KEY] [--limited-key KEY]
       [--generate-report] [--output DIR]   (exit 1 on any failed check)
"""

from _wrapper import run

if __name__ == "__main__":
    run("validate")
