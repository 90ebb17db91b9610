# METADATA
# title: JIT access reviews
# description: >-
#   Decides whether a review (approve or deny) may be recorded on an access request, and whether
#   the request has reached its quorum. Nobody approves their own request, nobody votes twice, a
#   qualified deny wins, and closed or expired requests take no reviews.
#   Input: {request, review, reviews[], now}. Settings: data.gatehouse.config.jit.review.
package gatehouse.jit.review

import data.gatehouse.jit.request as access
import data.gatehouse.lib.clock
import data.gatehouse.lib.identity

cfg := data.gatehouse.config.jit.review

req := input.request

rev := input.review

decision := {
	"allowed": allowed,
	"reasons": sort(reason),
	"quorum_reached": quorum_reached,
	"outcome": outcome,
	"approvals": count(approvers),
	"required_approvals": access.risk_approvals,
}

allowed := count(reason) == 0

# Reviews already recorded for this request. Entries for other requests are ignored.
prior := [r |
	is_array(input.reviews)
	some r in input.reviews
	r.request_id == req.id
]

# --- Who may review ------------------------------------------------------------------------------

qualified(person) if {
	cfg.owning_team_may_review == true
	some team in access.owning_teams
	identity.member(person, team)
}

qualified(person) if identity.in_groups(person, cfg.reviewer_groups)

# A vote counts when its reviewer is qualified and is not the requester or a look-alike of the
# requester (case and white space folded: refusing a look-alike is the safe mistake). No vote
# counts on a request without a requester.
counts(r) if {
	identity.key(r.reviewer.user) != requester_key
	qualified(r.reviewer)
}

requester_key := identity.key(req.requester.user)

# --- Quorum --------------------------------------------------------------------------------------

# Distinct people (look-alikes counted once, which can only lower the count) whose approval counts, this review included if accepted.
approvers contains identity.key(r.reviewer.user) if {
	some r in prior
	r.decision == "approve"
	counts(r)
}

approvers contains identity.key(rev.reviewer.user) if {
	allowed
	rev.decision == "approve"
}

prior_deniers contains identity.key(r.reviewer.user) if {
	some r in prior
	r.decision == "deny"
	counts(r)
}

denied if count(prior_deniers) > 0

denied if {
	allowed
	rev.decision == "deny"
}

default quorum_reached := false

quorum_reached if {
	not denied
	count(approvers) >= access.risk_approvals
}

outcome := "denied" if denied

else := "approved" if quorum_reached

else := "pending"

# --- The review window ---------------------------------------------------------------------------

# A request takes reviews while pending; a break-glass request also after its grant was issued,
# for the post-hoc review.
default state := "pending"

state := req.state

open_states := {"pending", "approved"} if access.break_glass

else := {"pending"}

# Reviews close after the pending TTL (the post-hoc TTL for break-glass) and never outlive the
# access window that was asked for, except post-hoc reviews, which come after it by design.
deadline := min([clock.ns(req.created_at) + ttl_ns, window_end]) if not access.break_glass

else := clock.ns(req.created_at) + ttl_ns

ttl_ns := clock.duration_ns(cfg.post_hoc_ttl) if access.break_glass

else := clock.duration_ns(cfg.pending_ttl)

window_end := clock.ns(req.start_at) + clock.duration_ns(req.duration) if {
	req.start_at != null
} else := clock.ns(req.created_at) + clock.duration_ns(req.duration)

# --- Reasons to reject the review ----------------------------------------------------------------

reason contains {"rule": "review-shape", "msg": "review.reviewer.user must name the reviewer"} if {
	not reviewer_named
}

reason contains {"rule": "review-shape", "msg": "review.decision must be \"approve\" or \"deny\""} if {
	not decision_known
}

reason contains {"rule": "review-shape", "msg": "review.request_id must be the id of the request under review"} if {
	not review_of_request
}

reason contains {"rule": "review-shape", "msg": "request.id must identify the request under review"} if {
	not request_identified
}

reason contains {"rule": "review-shape", "msg": "request.requester.user must name who asked, so that self-approval can be ruled out"} if {
	not requester_named
}

reason contains {"rule": "self-review", "msg": "requesters cannot review their own request; ask a teammate or a platform admin"} if {
	identity.look_alike(rev.reviewer.user, req.requester.user)
}

reason contains {"rule": "duplicate-review", "msg": msg} if {
	some r in prior
	identity.look_alike(r.reviewer.user, rev.reviewer.user)
	msg := sprintf("%s already reviewed this request; each person votes once", [rev.reviewer.user])
}

reason contains {"rule": "reviewer-qualified", "msg": msg} if {
	reviewer_named
	not qualified(rev.reviewer)
	msg := sprintf(
		"%s may not review this request: reviewers are %s",
		[rev.reviewer.user, who_may_review],
	)
}

reason contains {"rule": "request-closed", "msg": msg} if {
	not state in open_states
	msg := sprintf("the request is %v and takes no more reviews", [state])
}

reason contains {"rule": "request-closed", "msg": msg} if {
	denied_before
	msg := sprintf("the request was already denied by %s; a deny wins", [concat(", ", sort(prior_deniers))])
}

reason contains {"rule": "review-window", "msg": msg} if {
	clock.ns(input.now) >= deadline
	msg := sprintf("the review window closed at %s; the requester must file a new request", [time.format(deadline)])
}

reason contains {"rule": "review-window", "msg": "input.now must be the current time as an RFC 3339 string"} if {
	not now_ok
}

reason contains {"rule": "review-window", "msg": msg} if {
	not window_known
	msg := "request.created_at and request.duration must be valid to know when reviews close"
}

# --- Helpers -------------------------------------------------------------------------------------

# Negations test rules rather than calls: see the note in gatehouse.jit.request.
reviewer_named if identity.nonblank(rev.reviewer.user)

request_identified if identity.nonblank(req.id)

requester_named if identity.nonblank(req.requester.user)

decision_known if rev.decision in {"approve", "deny"}

review_of_request if rev.request_id == req.id

now_ok if clock.ns(input.now)

window_known if is_number(deadline)

denied_before if count(prior_deniers) > 0

who_may_review := concat(" or ", array.concat(team_reviewers, group_reviewers))

team_reviewers := [sprintf("members of the owning team (%s)", [concat(", ", sort(access.owning_teams))])] if {
	cfg.owning_team_may_review == true
	count(access.owning_teams) > 0
} else := []

group_reviewers := [sprintf("members of %s", [concat(", ", cfg.reviewer_groups)])] if {
	count(cfg.reviewer_groups) > 0
} else := []
