"""One module per area, each exporting ``routes``."""
