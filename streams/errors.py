"""The service's exception tree.

    MediawatchError              (declared in analysis.errors, the core's root too)
    ├── AnalysisError            (analysis.errors) the analysis core's errors, RulesError,
    │                            RouteError (analysis.rules: a delivery route that
    │                            cannot be built: a url or secret file missing or empty)
    ├── SettingsError            (streams.settings) bad configuration: fail at start-up
    ├── FeedsFileError           (producers.registry) a feeds file or feed record that
    │                            cannot be used (DuplicateFeedError, UnknownFeedError)
    ├── BrokerUnreachableError   (streams.admin) Kafka did not answer in time
    ├── PublishError             (streams.topics) an output that cannot be queued
    ├── SendFailed               (streams.topics) an output the broker refused
    ├── QuarantineError          never retried: the input is routed to a dead-letter topic
    │   ├── PoisonMessageError   a topic message that is not a valid record
    │   ├── FeedParseError       a feed body that is not a usable feed
    │   └── DeliveryRejected     an endpoint refused an alert for good (4xx)
    ├── PageNotRead              (producers.isolation) an article page whose reading was
    │                            stopped (time, memory) or failed: the summary stays
    ├── RetryableError           worth another attempt after a delay
    │   ├── FetchError           a feed fetch failed (timeout, connection, 5xx, 429)
    │   │   └── FeedFetchError   (producers.fetching) with the outcome it is counted as
    │   └── DeliveryFailed       an endpoint failed for now (5xx, 429, timeout)
    └── DeliveryInterrupted      delivery stopped before an outcome (worker stopping or
                                 giving up partitions): the alert goes back on its topic
"""

from __future__ import annotations

from analysis.errors import MediawatchError

__all__ = ["DeliveryFailed", "DeliveryInterrupted", "DeliveryRejected", "FeedParseError",
           "FetchError", "MediawatchError", "PoisonMessageError", "QuarantineError",
           "RetryableError"]


class QuarantineError(MediawatchError):
    """The input cannot be processed, ever: dead-letter it and go on."""

    reason = "quarantine"


class PoisonMessageError(QuarantineError):
    reason = "poison_message"


class FeedParseError(QuarantineError):
    reason = "parse_error"


class DeliveryRejected(QuarantineError):
    reason = "rejected"


class RetryableError(MediawatchError):
    """Worth trying again after ``retry_after`` seconds (None: caller's backoff)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class FetchError(RetryableError):
    pass


class DeliveryFailed(RetryableError):
    pass


class DeliveryInterrupted(MediawatchError):
    """A delivery stopped waiting before it had an outcome: the worker is stopping or
    giving up partitions. Neither delivered nor failed: the alert is sent again later."""
