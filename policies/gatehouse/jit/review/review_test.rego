package gatehouse.jit.review_test

import data.gatehouse.jit.review
import data.gatehouse.testdata

people := testdata.org.people

# bob asks for production write on payments-api: two approvals from payments or platform admins.
prod_write := testdata.requests.prod_write

prod_read := testdata.requests.prod_read_oncall

break_glass := object.union(testdata.requests.prod_exec_break_glass, {"state": "approved"})

now := "2025-06-02T10:00:00Z"

vote(req, reviewer, choice) := {
	"request_id": req.id,
	"reviewer": reviewer,
	"decision": choice,
	"comment": "looked at the plan in the ticket",
	"at": now,
}

# decide(request, review, prior reviews, now)
decide(req, rev, prior, at) := d if {
	d := review.decision with input as {"request": req, "review": rev, "reviews": prior, "now": at}
		with data.gatehouse.teams as testdata.org.teams
		with data.gatehouse.oncall as testdata.org.oncall
		with data.gatehouse.services as testdata.org.services
}

rules(d) := {r.rule | some r in d.reasons}

# --- Reviews that count --------------------------------------------------------------------------

test_first_approval_is_recorded_and_quorum_waits_for_the_second if {
	d := decide(prod_write, vote(prod_write, people.alice, "approve"), [], now)
	d == {
		"allowed": true,
		"reasons": [],
		"quorum_reached": false,
		"outcome": "pending",
		"approvals": 1,
		"required_approvals": 2,
	}
}

test_second_distinct_approval_reaches_quorum if {
	d := decide(prod_write, vote(prod_write, people.carol, "approve"), [vote(prod_write, people.alice, "approve")], now)
	d.allowed
	d.quorum_reached
	d.outcome == "approved"
	d.approvals == 2
}

test_platform_admin_counts_towards_quorum if {
	d := decide(prod_write, vote(prod_write, people.pat, "approve"), [vote(prod_write, people.alice, "approve")], now)
	d.allowed
	d.quorum_reached
}

test_owning_team_member_by_group_may_review if {
	d := decide(prod_write, vote(prod_write, people.frank, "approve"), [], now)
	d.allowed
}

test_read_request_needs_one_approval if {
	req := object.union(prod_read, {"requester": people.bob})
	d := decide(req, vote(req, people.alice, "approve"), [], now)
	d.quorum_reached
	d.required_approvals == 1
}

test_deny_is_recorded_and_denies_the_request if {
	d := decide(prod_write, vote(prod_write, people.alice, "deny"), [], now)
	d.allowed
	not d.quorum_reached
	d.outcome == "denied"
}

test_deny_wins_over_approvals if {
	prior := [vote(prod_write, people.alice, "approve"), vote(prod_write, people.carol, "deny")]
	d := decide(prod_write, vote(prod_write, people.pat, "approve"), prior, now)
	not d.allowed
	not d.quorum_reached
	d.outcome == "denied"
	d.reasons == [{"rule": "request-closed", "msg": "the request was already denied by carol; a deny wins"}]
}

test_deny_by_unqualified_person_does_not_deny if {
	prior := [vote(prod_write, people.zoe, "deny"), vote(prod_write, people.alice, "approve")]
	d := decide(prod_write, vote(prod_write, people.carol, "approve"), prior, now)
	d.allowed
	d.quorum_reached
}

test_reviews_of_other_requests_are_ignored if {
	other := object.union(prod_write, {"id": "req-other"})
	prior := [vote(other, people.alice, "approve"), vote(other, people.carol, "deny")]
	d := decide(prod_write, vote(prod_write, people.alice, "approve"), prior, now)
	d.allowed
	d.approvals == 1
	d.outcome == "pending"
}

test_break_glass_takes_post_hoc_reviews_after_its_window if {
	later := "2025-06-03T09:00:00Z"
	d := decide(break_glass, vote(break_glass, people.alice, "approve"), [], later)
	d.allowed
	d.required_approvals == 2
	not d.quorum_reached
}

test_break_glass_post_hoc_reviews_close_after_a_week if {
	late := "2025-06-09T10:00:00Z"
	d := decide(break_glass, vote(break_glass, people.alice, "approve"), [], late)
	d.reasons == [{"rule": "review-window", "msg": "the review window closed at 2025-06-09T09:59:30Z; the requester must file a new request"}]
}

test_scheduled_request_review_window_ends_with_the_access if {
	req := object.union(prod_write, {"start_at": "2025-06-02T18:00:00Z"})
	decide(req, vote(req, people.alice, "approve"), [], "2025-06-02T19:00:00Z").allowed
	rules(decide(req, vote(req, people.alice, "approve"), [], "2025-06-02T20:00:00Z")) == {"review-window"}
}

test_owning_team_reviews_can_be_switched_off if {
	d := decide(prod_write, vote(prod_write, people.alice, "approve"), [], now) with data.gatehouse.config.jit.review.owning_team_may_review as false
	d.reasons == [{"rule": "reviewer-qualified", "msg": "alice may not review this request: reviewers are members of platform-admins"}]
	decide(prod_write, vote(prod_write, people.pat, "approve"), [], now).allowed with data.gatehouse.config.jit.review.owning_team_may_review as false
}

test_reviewer_groups_come_from_data if {
	d := decide(prod_write, vote(prod_write, people.zoe, "approve"), [], now) with data.gatehouse.config.jit.review.reviewer_groups as ["marketing"]
	d.allowed
	e := decide(prod_write, vote(prod_write, people.pat, "approve"), [], now) with data.gatehouse.config.jit.review.reviewer_groups as []
	e.reasons == [{"rule": "reviewer-qualified", "msg": "pat may not review this request: reviewers are members of the owning team (payments)"}]
}

test_unqualified_reviewer_is_told_who_may_review if {
	d := decide(prod_write, vote(prod_write, people.zoe, "approve"), [], now)
	d.reasons == [{
		"rule": "reviewer-qualified",
		"msg": "zoe may not review this request: reviewers are members of the owning team (payments) or members of platform-admins",
	}]
}

# --- Malformed reviews ---------------------------------------------------------------------------

test_malformed_reviews_are_rejected if {
	cases := {
		"no reviewer": object.remove(vote(prod_write, people.alice, "approve"), ["reviewer"]),
		"blank reviewer": vote(prod_write, {"user": "  ", "groups": ["platform-admins"]}, "approve"),
		"unknown decision": vote(prod_write, people.alice, "lgtm"),
		"no decision": object.remove(vote(prod_write, people.alice, "approve"), ["decision"]),
		"other request": object.union(vote(prod_write, people.alice, "approve"), {"request_id": "req-elsewhere"}),
		"no request id": object.remove(vote(prod_write, people.alice, "approve"), ["request_id"]),
	}
	failed := {name: d |
		some name, rev in cases
		d := decide(prod_write, rev, [], now)
		not rejected_for(d, "review-shape")
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_request_without_id_takes_no_reviews if {
	req := object.remove(prod_write, ["id"])
	rev := object.remove(vote(prod_write, people.alice, "approve"), ["request_id"])
	d := decide(req, rev, [], now)
	d.reasons == [
		{"rule": "review-shape", "msg": "request.id must identify the request under review"},
		{"rule": "review-shape", "msg": "review.request_id must be the id of the request under review"},
	]
}

test_missing_now_closes_reviews if {
	d := review.decision with input as {"request": prod_write, "review": vote(prod_write, people.alice, "approve"), "reviews": []}
		with data.gatehouse.teams as testdata.org.teams
		with data.gatehouse.services as testdata.org.services
	rules(d) == {"review-window"}
	not d.allowed
}

test_request_without_created_at_takes_no_reviews if {
	req := object.remove(prod_write, ["created_at"])
	d := decide(req, vote(req, people.alice, "approve"), [], now)
	d.reasons == [{"rule": "review-window", "msg": "request.created_at and request.duration must be valid to know when reviews close"}]
}

test_reviews_list_that_is_not_a_list_counts_nothing if {
	d := review.decision with input as {
		"request": prod_write,
		"review": vote(prod_write, people.alice, "approve"),
		"reviews": {"alice": "approve"},
		"now": now,
	}
		with data.gatehouse.teams as testdata.org.teams
		with data.gatehouse.services as testdata.org.services
	d.allowed
	d.approvals == 1
}

# --- Adversarial self-approval: none of these may be recorded, none may reach quorum -------------

# Each case: request, review, prior reviews, now, and the rule that must reject it.
adversarial := {
	"requester approves own request": {
		"request": prod_write, "review": vote(prod_write, people.bob, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "self-review",
	},
	"requester approves with different case": {
		"request": prod_write, "review": vote(prod_write, {"user": "BOB", "groups": ["platform-admins"]}, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "self-review",
	},
	"requester approves with padded name": {
		"request": prod_write, "review": vote(prod_write, {"user": " bob ", "groups": []}, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "self-review",
	},
	"requester denies then approves": {
		"request": prod_write, "review": vote(prod_write, people.bob, "approve"),
		"prior": [vote(prod_write, people.bob, "deny"), vote(prod_write, people.alice, "approve")], "now": now, "rule": "self-review",
	},
	"reviewer votes twice": {
		"request": prod_write, "review": vote(prod_write, people.alice, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "duplicate-review",
	},
	"reviewer votes twice with different case": {
		"request": prod_write, "review": vote(prod_write, {"user": "Alice", "groups": ["payments-devs"]}, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "duplicate-review",
	},
	"reviewer flips deny to approve": {
		"request": prod_write, "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.carol, "deny")], "now": now, "rule": "duplicate-review",
	},
	"requester is a platform admin": {
		"request": object.union(prod_write, {"requester": people.pat}), "review": vote(prod_write, people.pat, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "self-review",
	},
	"requester is in the owning team": {
		"request": object.union(prod_write, {"requester": people.alice}), "review": vote(prod_write, people.alice, "approve"),
		"prior": [vote(prod_write, people.carol, "approve")], "now": now, "rule": "self-review",
	},
	"requester is admin and team member under another spelling": {
		"request": object.union(prod_write, {"requester": people.mallory}),
		"review": vote(prod_write, {"user": "Mallory", "groups": []}, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "self-review",
	},
	"review after the access window ended": {
		"request": prod_write, "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": "2025-06-02T11:55:00Z", "rule": "review-window",
	},
	"review after the pending TTL": {
		"request": object.union(prod_write, {"start_at": "2025-06-03T12:00:00Z"}), "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": "2025-06-03T09:55:00Z", "rule": "review-window",
	},
	"review on a cancelled request": {
		"request": object.union(prod_write, {"state": "cancelled"}), "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "request-closed",
	},
	"review on an expired request": {
		"request": object.union(prod_write, {"state": "expired"}), "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "request-closed",
	},
	"review on an approved request": {
		"request": object.union(prod_write, {"state": "approved"}), "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "request-closed",
	},
	"approval after a deny": {
		"request": prod_write, "review": vote(prod_write, people.pat, "approve"),
		"prior": [vote(prod_write, people.alice, "approve"), vote(prod_write, people.carol, "deny")], "now": now, "rule": "request-closed",
	},
	"outsider approves": {
		"request": prod_write, "review": vote(prod_write, people.zoe, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "reviewer-qualified",
	},
	"same person counted twice in the record": {
		"request": prod_write, "review": vote(prod_write, people.zoe, "approve"),
		"prior": [vote(prod_write, people.alice, "approve"), vote(prod_write, {"user": "ALICE", "groups": []}, "approve")],
		"now": now, "rule": "reviewer-qualified",
	},
	"request without a requester": {
		"request": object.remove(prod_write, ["requester"]), "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "review-shape",
	},
	"request with a blank requester": {
		"request": object.union(prod_write, {"requester": {"user": " "}}), "review": vote(prod_write, people.carol, "approve"),
		"prior": [vote(prod_write, people.alice, "approve")], "now": now, "rule": "review-shape",
	},
	"recorded self-approval plus requester again": {
		"request": prod_write, "review": vote(prod_write, people.bob, "approve"),
		"prior": [vote(prod_write, people.bob, "approve"), vote(prod_write, people.alice, "approve")],
		"now": now, "rule": "self-review",
	},
}

adversarial_decision(c) := decide(c.request, c.review, c.prior, c.now)

test_adversarial_reviews_are_never_allowed if {
	allowed := {name | some name, c in adversarial; adversarial_decision(c).allowed}
	print("allowed adversarial cases:", allowed)
	count(allowed) == 0
}

test_adversarial_reviews_never_reach_quorum if {
	reached := {name | some name, c in adversarial; adversarial_decision(c).quorum_reached}
	print("adversarial cases reaching quorum:", reached)
	count(reached) == 0
}

test_adversarial_reviews_are_rejected_for_the_right_reason if {
	wrong := {name: rules(d) |
		some name, c in adversarial
		d := adversarial_decision(c)
		not c.rule in rules(d)
	}
	print("adversarial cases rejected for another reason:", wrong)
	count(wrong) == 0
}

test_recorded_self_approval_does_not_count_towards_quorum if {
	# A requester's own approval that slipped into the record must not make up the second vote.
	prior := [vote(prod_write, people.bob, "approve")]
	d := decide(prod_write, vote(prod_write, people.alice, "approve"), prior, now)
	d.allowed
	d.approvals == 1
	not d.quorum_reached
}

test_one_person_recorded_twice_counts_once if {
	prior := [vote(prod_write, people.alice, "approve"), vote(prod_write, {"user": "ALICE", "groups": []}, "approve")]
	d := decide(prod_write, vote(prod_write, people.frank, "deny"), prior, now)
	d.allowed
	d.outcome == "denied"
	d.approvals == 1
}

test_exact_identities_qualify_reviewers if {
	# "Carol" is not carol: a look-alike of a team member is not a member, and is refused.
	d := decide(prod_write, vote(prod_write, {"user": "Carol", "groups": []}, "approve"), [], now)
	rules(d) == {"reviewer-qualified"}
}

test_no_vote_counts_on_a_request_without_requester if {
	req := object.remove(prod_write, ["requester"])
	d := decide(req, vote(req, people.carol, "approve"), [vote(req, people.alice, "approve")], now)
	d.approvals == 0
}

rejected_for(d, rule) if {
	not d.allowed
	rule in rules(d)
}
