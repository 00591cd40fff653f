"""Consultation windows: when residents may have their say, on the draft or one clause."""
