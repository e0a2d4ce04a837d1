"""Names of the service's topics (DESIGN.md); the settings' prefix is added at use."""

ARTICLES_RAW = "articles.raw"
ARTICLES_UNIQUE = "articles.unique"
ARTICLES_TAGGED = "articles.tagged"
ARTICLES_DEADLETTER = "articles.deadletter"
ALERTS = "alerts"
ALERTS_DEADLETTER = "alerts.deadletter"

ALL_TOPICS = (ARTICLES_RAW, ARTICLES_UNIQUE, ARTICLES_TAGGED, ARTICLES_DEADLETTER, ALERTS,
              ALERTS_DEADLETTER)
