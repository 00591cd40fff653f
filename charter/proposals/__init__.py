"""Proposals: citizens suggest changes, the committee decides with reasons."""
