"""Following clauses, proposals and threads, and being told what happened to them."""
