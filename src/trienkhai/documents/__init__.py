"""Directive reader: file readers, Decree-30 layout, citations, content and format checker."""
