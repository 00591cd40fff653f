"""Plain-language summaries, Easy Read versions and translations of clauses."""
