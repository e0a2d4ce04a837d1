"""The one Faust application, built from settings. Agents and tables import ``app``."""

from __future__ import annotations

import faust

from streams import codecs as _codecs  # noqa: F401  (registers "orjson")
from streams import faust_patches
from streams.settings import Settings

faust_patches.apply()


def create_app(settings: Settings) -> faust.App:
    """Build the Faust app for ``settings`` (agents register themselves on import)."""
    app = faust.App(
        settings.app_id,
        broker=settings.broker_url,
        store="memory://",
        autodiscover=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=settings.replication_factor,
        topic_allow_declare=True,
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        producer_linger=0.02,
        producer_max_batch_size=1_048_576,  # Faust's 16 KB holds four articles
        web_enabled=False,
        worker_redirect_stdouts=False,
        table_cleanup_interval=60.0,
        broker_commit_interval=settings.commit_interval_seconds,
        broker_session_timeout=settings.session_timeout_seconds,
        datadir=str(settings.data_dir / "worker" / settings.app_id),
        value_serializer="raw",
        key_serializer="raw",
        logging_config=None,
    )
    return app


settings = Settings.from_env()
app = create_app(settings)
