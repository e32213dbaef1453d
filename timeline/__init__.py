"""Timeline Mapper: Chinese local news → dated, located events on a timeline and a map."""

from timeline.ingest import read_document
from timeline.pipeline import Analysis, analyse

__all__ = ["Analysis", "analyse", "read_document"]
