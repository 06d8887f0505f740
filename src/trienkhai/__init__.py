"""trienkhai: directive reader, campaign desk and results reports for information offices."""

__version__ = "0.1.0"
