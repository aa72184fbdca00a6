"""rasd (رصد): Arabic news in, ACLED-style conflict and protest events out, with evidence."""
__version__ = "0.1.0"
