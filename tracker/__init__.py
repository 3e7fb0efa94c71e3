"""tracker: a self-hosted news and regulatory-event tracker."""

__version__ = "0.1.0"
