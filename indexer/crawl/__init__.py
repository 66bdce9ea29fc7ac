"""The polite crawler: fetch a site's resource pages and PDFs into a crawl folder.

``crawler.crawl`` runs a crawl; ``state`` is the folder's format, which the
ingesters read (``rtes-search index corpus/site/``) without importing the
HTTP client.
"""
