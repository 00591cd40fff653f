"""Domain events: what happened in one area, for the areas that react to it.

Operations send these after the change is flushed; areas that care (comments re-placing
their threads, outcomes, later notifications) subscribe in their own `subscribers` module,
which the app factory imports once. A lower area therefore never imports a higher one to
call it. Receivers run inside the sender's transaction: they flush, never commit, and an
error in one undoes the whole change.
"""

from blinker import Namespace

_signals = Namespace()

#: A clause got a new wording: sender is the new ClauseRevision, `previous` the one before
#: (None for a new clause). `revision.proposal` names the accepted proposal, if any.
revision_created = _signals.signal("revision-created")

#: A proposal's author replaced its text: sender is the new ProposalText, `previous` the one
#: before it.
proposal_text_created = _signals.signal("proposal-text-created")

#: A proposal was accepted or rejected: sender is the Proposal.
proposal_decided = _signals.signal("proposal-decided")

#: A question got an official answer: sender is the question, `answer` the reply.
question_answered = _signals.signal("question-answered")

#: A version was published: sender is the CharterVersion.
version_published = _signals.signal("version-published")

#: A background job found anchored threads whose words a change rewrote: sender is the scope
#: ("c<clause id>" or "p<proposal id>"), `changed_by` maps each thread's id to the key of the
#: wording whose change touched it ("r<revision id>" or "t<proposal text id>").
words_changed = _signals.signal("words-changed")

#: Threads were marked addressed by an accepted change: sender is the Proposal,
#: `comment_ids` the threads. Sent from the background job that anchors touched threads
#: again, so the accept itself never waits for it.
comments_addressed = _signals.signal("comments-addressed")

#: A comment, question or reply was posted: sender is the Comment.
comment_posted = _signals.signal("comment-posted")

#: A proposal was opened: sender is the Proposal.
proposal_created = _signals.signal("proposal-created")

#: A proposal's author withdrew it: sender is the Proposal.
proposal_withdrawn = _signals.signal("proposal-withdrawn")

#: A candidate version was put to the committee's vote: sender is the CharterVersion.
candidate_opened = _signals.signal("candidate-opened")

#: The committee said what became of a comment: sender is the Comment, `by` the member.
comment_outcome_set = _signals.signal("comment-outcome-set")
