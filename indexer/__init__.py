"""rtes-search indexer: corpus files → Documents → a Whoosh index on disk.

Never imports ``search``: data flows one way, from here to the index.
"""

from indexer.analysis import ANALYZER_VERSION, french_analyzer
from indexer.documents import Document, IngestError
from indexer.errors import IndexerError, IndexLockedError
from indexer.ingest import FieldMapping, iter_documents
from indexer.schema import SCHEMA
from indexer.report import IndexProgress, IndexReport
from indexer.build import build_index, ensure_index, update_index
from indexer.pushed import InvalidFieldError, pushed_document
from indexer.updates import WriteResult, delete_documents, update_documents

__all__ = [
    "ANALYZER_VERSION",
    "Document",
    "FieldMapping",
    "IndexLockedError",
    "IndexProgress",
    "IndexReport",
    "IndexerError",
    "IngestError",
    "InvalidFieldError",
    "SCHEMA",
    "WriteResult",
    "build_index",
    "delete_documents",
    "french_analyzer",
    "ensure_index",
    "iter_documents",
    "pushed_document",
    "update_documents",
    "update_index",
]
