"""The Scrapy side of titlecrawl: the ``wiki`` spider, its site profiles, state store and sink.

``crawler.localserver`` (a static wiki server for 127.0.0.1) is usable without Scrapy running.
"""
