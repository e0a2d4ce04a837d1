"""``python -m mediawatch``: the same command line as ``mediawatch``."""
