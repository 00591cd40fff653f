"""The committee's work: candidates, votes and publication."""
