"""summarize: typed, source-grounded event briefs from folders of news articles."""

__version__ = "0.1.0"
