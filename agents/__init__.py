"""Faust agents, one module per stage. Importing this package registers them all."""

from agents import alert, articles, dedup, deliver, tag

__all__ = ["alert", "articles", "dedup", "deliver", "tag"]
