"""outputs feature."""
