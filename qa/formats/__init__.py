"""Formats: one reader per article file format, each giving the plain text that clean reads.

Every format ends as lines of text, as a scraped page's text would be, so that one cleaner, chunker
and index serve all of them; ingest picks the reader by the file's suffix.
"""
