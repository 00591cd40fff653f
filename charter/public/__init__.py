"""Public reading of the charter."""
