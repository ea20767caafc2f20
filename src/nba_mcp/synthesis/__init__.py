"""Synthesis: answers in prose from one or several LLMs, grounded in real tool calls.

See docs/synthesis.md. The pipeline calls the tool catalogue in process, checks every
number of the answer against the cited results, keeps one budget per run and records
every model call with its cost.
"""
