"""Your own account: its page, your activity, your data to take away, and leaving."""
