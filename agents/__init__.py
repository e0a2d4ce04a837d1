"""Faust agents, one module per stage: thin glue over ``streams.article_path`` and the
analysis core. Importing a stage's module declares its agents on ``streams.app.app``
and nothing else: ``register()`` loads the rules and creates the stages' tables (the
worker calls it before it starts), so a stage can be imported and tested alone."""

from __future__ import annotations


def register() -> None:
    """Import every stage, load the rules (the settings' rules file) and create the
    stages' tables on the app."""
    from agents import alert, articles, dedup, deliver, tag  # noqa: F401

    deliver.setup(alert.setup().rules)
