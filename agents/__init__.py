"""Faust agents, one module per stage: thin glue over ``streams.article_path`` and the
analysis core. Importing the package registers nothing; ``register()`` imports the
agent modules, which declares their agents and tables on ``streams.app.app`` (the
worker calls it), so a stage's pure parts can be imported and tested alone."""


def register() -> None:
    """Import every agent module: their agents, tasks and tables join the app."""
    from agents import alert, articles, dedup, deliver, tag  # noqa: F401
