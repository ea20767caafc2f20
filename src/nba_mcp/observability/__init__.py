"""Logging and metrics shared by every layer: they import nothing of ours but the version."""
