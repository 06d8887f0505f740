"""Directive reader: file readers, Decree-30 layout, citations, content extraction and format checker."""
