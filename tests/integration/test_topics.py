"""Topic creation on the real broker: the configuration each kind of topic needs."""

from __future__ import annotations

import uuid

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from streams.admin import ensure_changelog_topics, ensure_topics
from streams.settings import Settings
from streams.topic_names import ALL_TOPICS, ARTICLES_RAW, DEDUP_INDEX

pytestmark = pytest.mark.integration


async def describe(bootstrap: str, topics: list[str]) -> dict[str, tuple[int, dict[str, str]]]:
    """Topic → (partitions, configuration)."""
    admin = AIOKafkaAdminClient(bootstrap_servers=bootstrap)
    await admin.start()
    try:
        metadata = {m["topic"]: len(m["partitions"]) for m in await admin.describe_topics(topics)}
        responses = await admin.describe_configs(
            [ConfigResource(ConfigResourceType.TOPIC, name) for name in topics])
        configs = {resource[3]: {entry[0]: entry[1] for entry in resource[4]}
                   for response in responses for resource in response.resources}
        return {name: (metadata[name], configs[name]) for name in topics}
    finally:
        await admin.close()


async def test_dedup_index_keeps_the_dedup_window(broker: str) -> None:
    prefix = f"t{uuid.uuid4().hex[:8]}."
    settings = Settings(broker=broker, topic_prefix=prefix, partitions=3,
                        dedup_window_seconds=2 * 86400.0)
    await ensure_topics(settings, ALL_TOPICS)
    found = await describe(settings.bootstrap_servers,
                           [prefix + DEDUP_INDEX, prefix + ARTICLES_RAW])
    partitions, index = found[prefix + DEDUP_INDEX]
    assert partitions == 3
    assert index["retention.ms"] == str(2 * 86400 * 1000)
    assert index["cleanup.policy"] == "delete"
    assert index["retention.bytes"] == "-1"
    assert found[prefix + ARTICLES_RAW][1]["retention.ms"] != index["retention.ms"]


async def test_changelog_topics_are_created_compacted_before_the_worker(broker: str) -> None:
    app_id = f"mw-test-{uuid.uuid4().hex[:8]}"
    names = (f"{app_id}-story-alerts-changelog", f"{app_id}-delivered-alerts-changelog")
    settings = Settings(broker=broker, app_id=app_id)
    await ensure_changelog_topics(settings, names, 4)
    await ensure_changelog_topics(settings, names, 4)  # existing topics are left alone
    found = await describe(settings.bootstrap_servers, list(names))
    for name in names:
        partitions, config = found[name]
        assert partitions == 4
        assert config["cleanup.policy"] == "compact"
