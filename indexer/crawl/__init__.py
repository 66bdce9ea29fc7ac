"""The polite crawler: fetch a site's resource pages and PDFs into a crawl folder.

The crawl folder is an ingestion source like any other: ``rtes-search index
corpus/site/`` reads it through ``crawl.json``.
"""

from indexer.crawl.crawler import CrawlReport, crawl
from indexer.crawl.fetcher import USER_AGENT

__all__ = ["CrawlReport", "USER_AGENT", "crawl"]
