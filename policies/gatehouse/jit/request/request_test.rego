package gatehouse.jit.request_test

import data.gatehouse.jit.request
import data.gatehouse.testdata

now := "2025-06-02T10:00:00Z"

decide(req) := d if {
	d := request.decision with input as {"request": req, "now": now}
		with data.gatehouse.teams as testdata.org.teams
		with data.gatehouse.oncall as testdata.org.oncall
		with data.gatehouse.services as testdata.org.services
}

rules(d) := {v.rule | some v in d.violations}

# The configured classes with the production class (listed first) changed by patch.
production_with(patch) := array.concat(
	[object.union(data.gatehouse.config.jit.classes[0], patch)],
	array.slice(data.gatehouse.config.jit.classes, 1, count(data.gatehouse.config.jit.classes)),
)

# --- Decisions for well-formed requests ----------------------------------------------------------

test_production_write_needs_two_approvals_and_a_ticket if {
	d := decide(testdata.requests.prod_write)
	d == {
		"valid": true,
		"violations": [],
		"max_duration": "4h",
		"required_approvals": 2,
		"auto_approve": false,
		"break_glass": false,
		"notify": ["slack:#payments-oncall"],
		"post_hoc_review": false,
		"target_class": "production",
		"access_level": "write",
	}
}

test_production_read_by_on_call_owner_is_auto_approved if {
	d := decide(testdata.requests.prod_read_oncall)
	d.valid
	d.auto_approve
	d.required_approvals == 0
	d.access_level == "read"
}

test_production_read_by_owner_not_on_call_needs_one_approval if {
	req := object.union(testdata.requests.prod_read_oncall, {"requester": testdata.org.people.bob})
	d := decide(req)
	d.valid
	not d.auto_approve
	d.required_approvals == 1
}

test_production_write_by_on_call_owner_still_needs_two_approvals if {
	req := object.union(testdata.requests.prod_write, {"requester": testdata.org.people.alice})
	d := decide(req)
	d.valid
	not d.auto_approve
	d.required_approvals == 2
}

test_on_call_for_another_team_is_not_auto_approved if {
	# erin is on call for search, not for payments, and is not a payments member.
	req := object.union(testdata.requests.prod_read_oncall, {"requester": testdata.org.people.erin})
	d := decide(req)
	not d.valid
	not d.auto_approve
	rules(d) == {"eligibility"}
}

test_invalid_request_is_never_auto_approved if {
	req := object.union(testdata.requests.prod_read_oncall, {"justification": ""})
	d := decide(req)
	not d.valid
	not d.auto_approve
	d.required_approvals == 1
}

test_scheduled_staging_deploy_by_group_member if {
	d := decide(testdata.requests.staging_deploy)
	d.valid
	d.target_class == "staging"
	d.access_level == "write"
	d.max_duration == "12h"
	d.required_approvals == 1
	not d.auto_approve
}

test_development_write_by_on_call_owner_is_auto_approved if {
	req := object.union(testdata.requests.prod_write, {
		"requester": testdata.org.people.alice,
		"target": {"service": "fraud-scoring", "namespace": "payments-dev"},
		"duration": "20h",
	})
	d := decide(object.remove(req, ["ticket"]))
	d.valid
	d.target_class == "development"
	d.max_duration == "24h"
	d.auto_approve
}

test_break_glass_skips_approval_and_ticket_but_notifies_and_needs_review if {
	d := decide(testdata.requests.prod_exec_break_glass)
	d == {
		"valid": true,
		"violations": [],
		"max_duration": "1h",
		"required_approvals": 0,
		"auto_approve": false,
		"break_glass": true,
		"notify": ["platform-admins", "security-oncall", "slack:#payments-oncall"],
		"post_hoc_review": true,
		"target_class": "production",
		"access_level": "exec",
	}
}

test_break_glass_keeps_a_shorter_class_limit if {
	d := decide(testdata.requests.prod_exec_break_glass) with data.gatehouse.config.jit.classes as production_with({"max_duration": "20m"})
	d.max_duration == "20m"
	rules(d) == {"duration"}
}

test_platform_admin_may_request_any_target if {
	req := object.union(testdata.requests.prod_write, {"requester": testdata.org.people.pat})
	d := decide(req)
	d.valid
}

# --- Where a service runs and who owns it come from the catalogue, not from the request ------------

# A service request naming no namespace covers the service wherever the catalogue says it runs,
# and is classed by the strictest of those namespaces (payments-api: payments-prod and -staging).
test_service_without_namespace_takes_the_strictest_catalogue_class if {
	req := object.union(object.remove(testdata.requests.prod_write, ["target"]), {"target": object.remove(testdata.requests.prod_write.target, ["namespace"])})
	d := decide(req)
	d.valid
	d.target_class == "production"
	d.max_duration == "4h"
	d.required_approvals == 2
}

# A namespace the catalogue does not list for the service is refused, and never picks a weaker
# class: the class still comes from where the service really runs.
test_made_up_namespace_is_refused_and_keeps_the_catalogue_class if {
	failed := {ns: d |
		some ns in ["payments-sandbox", "PAYMENTS-PROD", "payments-prod ", "payments-dev"]
		req := object.union(testdata.requests.prod_write, {"target": {"namespace": ns}, "duration": "20h"})
		d := decide(object.remove(req, ["ticket"]))
		not refused_as_production(d)
	}
	print("failed namespaces:", failed)
	count(failed) == 0
}

refused_as_production(d) if {
	not d.valid
	"target" in rules(d)
	d.target_class == "production"
	d.max_duration == "4h"
	not d.auto_approve
}

test_namespace_mismatch_message_names_where_the_service_runs if {
	req := object.union(testdata.requests.prod_write, {"target": {"namespace": "payments-sandbox"}})
	decide(req).violations == [{
		"rule": "target",
		"msg": "request.target.namespace payments-sandbox is not where payments-api runs (payments-prod, payments-staging); leave it out or name one of those",
	}]
}

test_service_ownership_comes_from_the_catalogue if {
	# search owns search-api; a payments member asking for it is not eligible, whatever namespace
	# they type, and payments-api's owners do not change with the namespace asked for.
	req := object.union(testdata.requests.prod_write, {"target": {"service": "search-api", "namespace": "search-prod"}})
	rules(decide(req)) == {"eligibility"}
	decide(testdata.requests.prod_write).notify == ["slack:#payments-oncall"]
}

test_namespace_targets_must_be_kubernetes_names if {
	req := object.union(testdata.requests.staging_deploy, {"target": {"namespace": "PAYMENTS-PROD"}})
	d := decide(req)
	rules(d) == {"target", "eligibility"}
}

# --- Identities are exact: the authenticator's user name, case and spaces included ----------------

test_requester_names_match_exactly if {
	failed := {user |
		some user in ["Bob", "BOB", " bob", "bob "]
		req := object.union(testdata.requests.prod_write, {"requester": {"user": user, "groups": []}})
		rules(decide(req)) != {"eligibility"}
	}
	print("look-alikes treated as bob:", failed)
	count(failed) == 0
}

test_on_call_roster_matches_exactly if {
	req := object.union(testdata.requests.prod_read_oncall, {"requester": {"user": "Alice", "groups": ["payments-devs"]}})
	d := decide(req)
	d.valid
	not d.auto_approve
}

test_team_without_notify_channels_is_notified_by_name if {
	req := {
		"id": "req-s1",
		"requester": testdata.org.people.dave,
		"target": {"kind": "service", "service": "search-api", "namespace": "search-staging", "actions": ["read"]},
		"duration": "1h",
		"justification": "Look at slow query logs for SRCH-12",
		"created_at": "2025-06-02T09:59:00Z",
	}
	d := decide(req)
	d.valid
	d.notify == ["team:search"]
}

test_first_matching_class_wins if {
	# "prod-staging" matches production ("prod-*") and staging ("*-staging"); production is listed first.
	req := object.union(testdata.requests.staging_deploy, {"target": {"namespace": "prod-staging"}})
	d := decide(req)
	d.target_class == "production"
}

test_ticket_pattern_comes_from_data if {
	req := object.union(testdata.requests.prod_write, {"ticket": "CHG004211"})
	rules(decide(req)) == {"ticket"}
	decide(req).valid with data.gatehouse.config.jit.ticket_pattern as `^CHG[0-9]{6}$`
}

test_unknown_level_in_data_needs_two_approvals if {
	d := decide(testdata.requests.prod_write) with data.gatehouse.config.jit.classes as production_with({"approvals": {"read": 1}})
	d.required_approvals == 2
}

test_zero_approvals_in_data_still_needs_one if {
	d := decide(testdata.requests.prod_write) with data.gatehouse.config.jit.classes as production_with({"approvals": {"write": 0}})
	d.required_approvals == 1
}

test_start_within_clock_skew_is_accepted if {
	req := object.union(testdata.requests.prod_write, {"start_at": "2025-06-02T09:57:00Z"})
	decide(req).valid
}

test_messages_say_how_to_fix if {
	req := object.union(testdata.requests.prod_write, {"duration": "6h", "requester": testdata.org.people.zoe})
	d := decide(object.remove(req, ["ticket"]))
	d.violations == [
		{"rule": "ticket", "msg": "production access needs request.ticket naming the change or incident (matching ^[A-Z][A-Z0-9]+-[0-9]+$)"},
		{"rule": "duration", "msg": "request.duration 6h is longer than the 4h allowed for production targets; ask for 4h or less and renew if you still need it"},
		{"rule": "eligibility", "msg": "zoe is not in a team that owns this target (owners: payments); ask one of them to add you to data.gatehouse.teams"},
	]
}

test_unowned_target_message_names_the_target if {
	req := object.union(testdata.requests.prod_write, {"target": {"service": "billing", "namespace": "billing-prod"}})
	decide(req).violations == [{
		"rule": "eligibility",
		"msg": "service billing is not in the service catalogue; register it with its team and namespaces in data.gatehouse.services",
	}]
}

test_unowned_namespace_message_names_the_namespace if {
	req := object.union(testdata.requests.staging_deploy, {"target": {"namespace": "ml-staging"}})
	decide(req).violations == [{
		"rule": "eligibility",
		"msg": "no team owns namespace ml-staging; list it under a team's namespaces in data.gatehouse.teams",
	}]
}

test_break_glass_duration_message if {
	req := object.union(testdata.requests.prod_exec_break_glass, {"duration": "2h"})
	decide(req).violations == [{
		"rule": "duration",
		"msg": "request.duration 2h is longer than the 1h allowed for break-glass access; ask for 1h or less and renew if you still need it",
	}]
}

# --- Violations, table-driven: each case names the rules it must trip, no more, no less ------------

base := testdata.requests.prod_write

violation_cases := {
	"empty justification": {"request": object.union(base, {"justification": ""}), "rules": {"justification"}},
	"short justification": {"request": object.union(base, {"justification": "fix it"}), "rules": {"justification"}},
	"blank justification": {"request": object.union(base, {"justification": "            "}), "rules": {"justification"}},
	"missing justification": {"request": object.remove(base, ["justification"]), "rules": {"justification"}},
	"production without ticket": {"request": object.remove(base, ["ticket"]), "rules": {"ticket"}},
	"malformed ticket": {"request": object.union(base, {"ticket": "pay 1234"}), "rules": {"ticket"}},
	"ticket not a string": {"request": object.union(base, {"ticket": 1234}), "rules": {"ticket"}},
	"longer than production allows": {"request": object.union(base, {"duration": "4h1m"}), "rules": {"duration"}},
	"zero duration": {"request": object.union(base, {"duration": "0s"}), "rules": {"duration"}},
	"negative duration": {"request": object.union(base, {"duration": "-1h"}), "rules": {"duration"}},
	"duration in words": {"request": object.union(base, {"duration": "two hours"}), "rules": {"duration"}},
	"duration as a number": {"request": object.union(base, {"duration": 7200}), "rules": {"duration"}},
	"break-glass longer than its limit": {
		"request": object.union(testdata.requests.prod_exec_break_glass, {"duration": "61m"}),
		"rules": {"duration"},
	},
	"start in the past": {"request": object.union(base, {"start_at": "2025-06-02T09:00:00Z"}), "rules": {"schedule"}},
	"start too far ahead": {"request": object.union(base, {"start_at": "2025-06-20T09:00:00Z"}), "rules": {"schedule"}},
	"start not a time": {"request": object.union(base, {"start_at": "tomorrow 9am"}), "rules": {"schedule"}},
	"start not a real date": {"request": object.union(base, {"start_at": "2025-13-45T09:00:00Z"}), "rules": {"schedule"}},
	"break-glass scheduled later": {
		"request": object.union(testdata.requests.prod_exec_break_glass, {"start_at": "2025-06-02T12:00:00Z"}),
		"rules": {"schedule"},
	},
	"requester outside owning team": {"request": object.union(base, {"requester": testdata.org.people.zoe}), "rules": {"eligibility"}},
	"target owned by nobody": {
		"request": object.union(base, {"target": {"service": "billing", "namespace": "billing-prod"}}),
		"rules": {"eligibility"},
	},
	"unknown action": {"request": object.union(base, {"target": {"actions": ["read", "drop-tables"]}}), "rules": {"target"}},
	"no actions": {"request": object.union(base, {"target": {"actions": []}}), "rules": {"target"}},
	"actions not a list": {"request": object.union(base, {"target": {"actions": "write"}}), "rules": {"target"}},
	"unknown target kind": {"request": object.union(base, {"target": {"kind": "database"}}), "rules": {"target"}},
	"service without name": {"request": object.union(base, {"target": {"service": " "}}), "rules": {"target"}},
	"namespace target without namespace": {
		# object.union merges nested objects, so replace the target rather than merge it
		"request": object.union(
			object.remove(testdata.requests.staging_deploy, ["target"]),
			{"target": object.remove(testdata.requests.staging_deploy.target, ["namespace"])},
		),
		"rules": {"target"},
	},
	"service in a namespace it does not run in": {"request": object.union(base, {"target": {"namespace": "payments-dev"}}), "rules": {"target"}},
	"namespace not a Kubernetes name": {"request": object.union(base, {"target": {"namespace": "Payments-Prod"}}), "rules": {"target"}},
	"unknown namespace role": {
		"request": object.union(testdata.requests.staging_deploy, {"target": {"role": "cluster-admin"}}),
		"rules": {"target"},
	},
	"anonymous requester": {"request": object.union(base, {"requester": {"user": ""}}), "rules": {"requester"}},
	"no requester": {"request": object.remove(base, ["requester"]), "rules": {"requester"}},
}

test_violation_cases_trip_exactly_their_rules if {
	failed := {name: got |
		some name, c in violation_cases
		got := rules(decide(c.request))
		got != c.rules
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_violation_cases_are_never_valid if {
	failed := {name | some name, c in violation_cases; decide(c.request).valid}
	count(failed) == 0
}

test_missing_now_is_a_violation if {
	d := request.decision with input as {"request": base}
		with data.gatehouse.teams as testdata.org.teams
		with data.gatehouse.services as testdata.org.services
	rules(d) == {"now"}
}

test_request_that_is_not_an_object if {
	d := request.decision with input as {"request": "please let me in", "now": now}
	"input" in rules(d)
	not d.valid
	d.access_level == "exec"
	d.target_class == "development"
}
