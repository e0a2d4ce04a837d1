"""Faust agents, one module per stage. Importing this package registers them all."""

from agents import alert, dedup, deliver, tag

__all__ = ["alert", "dedup", "deliver", "tag"]
