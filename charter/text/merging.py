"""Carry a proposed edit onto a newer wording of the same clause, or say that it cannot be done."""

from dataclasses import dataclass

from diff_match_patch import diff_match_patch


@dataclass(frozen=True)
class Rebase:
    """The proposed edit replayed on the newer wording; clean only if every hunk applied."""

    text: str
    applied: int
    failed: int

    @property
    def clean(self) -> bool:
        return self.failed == 0


def _matcher() -> diff_match_patch:
    dmp = diff_match_patch()
    # Stricter than the defaults: a hunk that only roughly matches must fail, so that the
    # committee never accepts an edit that landed on words its author did not mean.
    dmp.Match_Threshold = 0.25
    dmp.Match_Distance = 500
    dmp.Patch_DeleteThreshold = 0.25
    return dmp


def rebase(base: str, proposed: str, head: str) -> Rebase:
    """Replay the change from base to proposed onto head (the clause's wording now)."""
    if base == head:
        return Rebase(text=proposed, applied=1, failed=0)
    if base == proposed:
        return Rebase(text=head, applied=0, failed=0)
    dmp = _matcher()
    diffs = dmp.diff_main(base, proposed)
    dmp.diff_cleanupSemantic(diffs)
    patches = dmp.patch_make(base, diffs)
    text, results = dmp.patch_apply(patches, head)
    applied = sum(results)
    return Rebase(text=text, applied=applied, failed=len(results) - applied)
