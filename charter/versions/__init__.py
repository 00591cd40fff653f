"""Numbered versions of the whole charter and the hash chain that seals them."""
