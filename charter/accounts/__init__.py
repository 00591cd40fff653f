"""Registering, signing in and looking after one's own account."""
