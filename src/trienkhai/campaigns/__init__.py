"""campaigns feature."""
