"""Pure page -> record extractors, one module per site family, free of Scrapy, I/O and clocks.

>>> from extractors import extract_title
>>> extract_title("", "https://example.com/x").status
'partial'
"""

from .records import TitleRecord
from .registry import extract_page, extract_title

__all__ = ["TitleRecord", "extract_page", "extract_title"]
