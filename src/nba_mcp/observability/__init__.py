"""Logging and metrics shared by every layer."""
