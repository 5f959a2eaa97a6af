"""mdrgate: a CI gate that turns a medical device's software inventory into signed MDR evidence."""

__version__ = "0.1.0"
