"""Comments on the exact words of the charter and of proposals, and their moderation."""
