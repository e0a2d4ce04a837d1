"""Names of the service's topics (DESIGN.md); the settings' prefix is added at use."""

ARTICLES_RAW = "articles.raw"
ARTICLES_UNIQUE = "articles.unique"
ARTICLES_TAGGED = "articles.tagged"
ARTICLES_DEADLETTER = "articles.deadletter"
ARTICLES_COPIES = "articles.copies"      # later copies of a story, key: story id
DEDUP_INDEX = "dedup.index"              # story-index records, replicated to every worker
ALERTS_CANDIDATES = "alerts.candidates"  # rule matches keyed by story, before suppression
ALERTS = "alerts"
ALERTS_DEADLETTER = "alerts.deadletter"

ALL_TOPICS = (ARTICLES_RAW, ARTICLES_UNIQUE, ARTICLES_TAGGED, ARTICLES_DEADLETTER,
              ARTICLES_COPIES, DEDUP_INDEX,
              ALERTS_CANDIDATES, ALERTS,
              ALERTS_DEADLETTER)

# Compacted topics of the feed producers, created by streams.admin.ensure_compacted_topics
# (not in ALL_TOPICS): feed id → feed config JSON, and feed id → poll state JSON.
FEEDS = "feeds"
FEEDS_STATE = "feeds.state"
