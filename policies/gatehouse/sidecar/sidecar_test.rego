package gatehouse.sidecar_test

import data.gatehouse.sidecar
import data.gatehouse.testdata

decide(call_input) := d if {
	d := sidecar.decision with input as call_input
		with data.gatehouse.grants as testdata.grants
		with data.gatehouse.config.sidecar.services as testdata.sidecar.services
		with data.gatehouse.services as testdata.org.services
}

# decide_with(call, issued) decides a call with only the given grants loaded.
decide_with(call_input, issued) := d if {
	d := sidecar.decision with input as call_input
		with data.gatehouse.grants as issued
		with data.gatehouse.config.sidecar.services as testdata.sidecar.services
		with data.gatehouse.services as testdata.org.services
}

refund := testdata.sidecar.requests.bob_refund

probe := testdata.sidecar.requests.kubelet_probe

# call(subject, service, method, path) is bob's refund call with those four changed.
call(subject, service, method, path) := object.union(refund, {
	"subject": subject,
	"service": service,
	"request": {"method": method, "path": path},
})

# --- Allowed -------------------------------------------------------------------------------------

test_active_grant_allows_its_action if {
	decide(refund) == {"allow": true, "reason": "grant gr-01 lets bob write on payments-api", "grant_id": "gr-01"}
}

test_health_checks_need_no_identity if {
	decide(probe) == {"allow": true, "reason": "standing rule health-checks"}
	decide(object.union(probe, {"request": {"method": "HEAD", "path": "/healthz"}})).allow
	decide(object.union(probe, {"request": {"path": "/health/db/primary"}})).allow
}

test_query_string_does_not_change_the_path if {
	decide(object.union(probe, {"request": {"path": "/readyz?verbose=1"}})).allow
	not decide(object.union(probe, {"request": {"path": "/admin?next=/readyz"}})).allow
}

test_read_only_paths_are_open_to_any_caller if {
	decide(call("zoe", "payments-api", "GET", "/docs/refunds/create")) == {"allow": true, "reason": "standing read-only rule api-docs of payments-api"}
	decide(call("zoe", "payments-api", "GET", "/v1/rates/EUR")).allow
}

test_read_only_paths_are_not_open_to_anonymous_callers if {
	d := decide(object.remove(call("zoe", "payments-api", "GET", "/docs"), ["subject"]))
	d == {"allow": false, "reason": "unauthenticated: this path needs a caller identity (mTLS or token) and none was given"}
}

test_read_only_rule_covers_only_its_methods_and_depth if {
	not decide(call("zoe", "payments-api", "POST", "/docs")).allow
	not decide(call("zoe", "payments-api", "GET", "/v1/rates/EUR/history")).allow
}

test_grant_is_valid_from_not_before if {
	decide(object.union(refund, {"now": "2025-06-02T09:00:00Z"})).allow
}

test_subjects_match_exactly if {
	failed := {subject |
		some subject in ["Bob", "BOB", " bob", "bob "]
		decide(object.union(refund, {"subject": subject})).allow
	}
	print("look-alikes of bob allowed:", failed)
	count(failed) == 0
}

test_call_without_namespace_matches_a_grant_where_the_service_runs if {
	decide(object.remove(refund, ["namespace"])).grant_id == "gr-01"
}

# A grant for a namespace the catalogue does not list for the service (issued from a request
# with a made-up namespace) is never honoured by a call that omits the namespace.
test_grant_outside_the_catalogue_is_not_honoured_without_namespace if {
	sandbox := object.union(testdata.grants[0], {"id": "gr-90", "subject": "zoe", "target": {"namespace": "payments-sandbox"}})
	call := object.remove(object.union(refund, {"subject": "zoe"}), ["namespace"])
	d := decide_with(call, [sandbox])
	not d.allow
	d.reason == "no grant lets zoe write on payments-api"
	not decide_with(call, [sandbox]).allow with data.gatehouse.services as {}
}

test_grant_without_namespace_covers_the_catalogue_namespaces if {
	# object.union merges nested objects, so the target is replaced rather than merged
	anywhere := object.union(object.remove(testdata.grants[0], ["target"]), {"id": "gr-91", "target": object.remove(testdata.grants[0].target, ["namespace"])})
	decide_with(refund, [anywhere]).grant_id == "gr-91"
	decide_with(object.remove(refund, ["namespace"]), [anywhere]).grant_id == "gr-91"
	not decide_with(object.union(refund, {"namespace": "payments-dev"}), [anywhere]).allow
}

test_grants_keyed_by_id_work_too if {
	keyed := {g.id: g | some g in testdata.grants}
	decide_with(refund, keyed).grant_id == "gr-01"
}

test_several_active_grants_report_the_smallest_id if {
	extra := object.union(testdata.grants[0], {"id": "gr-00"})
	decide_with(refund, array.concat(testdata.grants, [extra])).grant_id == "gr-00"
}

# --- Denied, with the reason and how to ask ------------------------------------------------------

test_anonymous_calls_outside_standing_rules_are_denied if {
	d := decide(object.remove(refund, ["subject"]))
	not d.allow
	not d.request_access_hint
	decide(object.union(refund, {"subject": "   "})).reason == d.reason
}

test_no_grant_says_how_to_request_one if {
	d := decide(call("zoe", "payments-api", "POST", "/v1/refunds"))
	d == {
		"allow": false,
		"reason": "no grant lets zoe write on payments-api",
		"request_access_hint": "gatehouse request create --service payments-api --actions write --namespace payments-prod --for 1h --reason '<why you need it>'",
	}
}

test_hint_without_namespace if {
	d := decide(object.remove(call("zoe", "payments-api", "POST", "/v1/refunds"), ["namespace"]))
	d.request_access_hint == "gatehouse request create --service payments-api --actions write --for 1h --reason '<why you need it>'"
}

test_path_actions_override_the_method if {
	d := decide(call("bob", "payments-api", "GET", "/admin/users"))
	not d.allow
	d.reason == "grant gr-01 covers read, write, not admin, on payments-api"
	contains(d.request_access_hint, "--actions admin")
}

test_expired_grant_is_named if {
	d := decide(call("alice", "ledger", "GET", "/v1/balances"))
	d.reason == "grant gr-02 expired at 2025-06-02T09:00:00Z; no active grant lets alice read on ledger"
}

test_grant_ends_at_expires_at if {
	d := decide(object.union(refund, {"now": "2025-06-02T11:00:00Z"}))
	d.reason == "grant gr-01 expired at 2025-06-02T11:00:00Z; no active grant lets bob write on payments-api"
}

test_future_grant_is_named if {
	d := decide(call("carol", "payments-api", "GET", "/v1/payments/p-1"))
	d.reason == "grant gr-03 starts at 2025-06-02T12:00:00Z; no active grant lets carol read on payments-api"
}

test_revoked_grant_is_named if {
	d := decide(object.union(call("dave", "search-api", "POST", "/v1/reindex"), {"namespace": "search-prod"}))
	d.reason == "grant gr-04 was revoked; no active grant lets dave write on search-api"
}

test_grant_with_broken_validity_is_named if {
	broken := object.union(testdata.grants[0], {"expires_at": "soon"})
	d := sidecar.decision with input as refund with data.gatehouse.grants as [broken]
	d.reason == "grant gr-01 has no valid validity window; no active grant lets bob write on payments-api"
}

test_grant_for_another_namespace_does_not_count if {
	d := decide(object.union(refund, {"namespace": "payments-staging"}))
	d.reason == "no grant lets bob write on payments-api"
}

test_missing_now_denies if {
	d := decide(object.remove(refund, ["now"]))
	not d.allow
}

test_non_canonical_paths_are_refused_before_any_rule if {
	paths := {
		"/healthz/../admin", "/health/./../admin", "/docs/%2e%2e/admin", "/docs/%2E%2E/admin",
		"//admin", "/docs//x", "/docs/a\\..\\b", "/health/%2Fadmin", "/health/%252e%252e/admin",
		"/readyz/%00", "/docs/..", "/..",
	}
	allowed := {p |
		some p in paths
		d := decide(object.union(refund, {"request": {"path": p}}))
		not startswith(d.reason, "path ")
	}
	print("non-canonical paths not refused:", allowed)
	count(allowed) == 0
}

test_non_canonical_reason if {
	d := decide(object.union(probe, {"request": {"path": "/healthz/../admin"}}))
	d == {"allow": false, "reason": "path \"/healthz/../admin\" is not canonical (dot segments, empty segments or encoded separators); send the normalised path"}
}

test_unknown_methods_are_denied if {
	decide(object.union(refund, {"request": {"method": "TRACE"}})) == {"allow": false, "reason": "method TRACE is not allowed by this sidecar"}
	not decide(object.union(refund, {"request": {"method": "post"}})).allow
}

test_malformed_input_is_denied_with_a_reason if {
	cases := {
		"no request": {
			"input": object.remove(refund, ["request"]),
			"reason": "malformed request: input.request.method and input.request.path must be strings",
		},
		"numeric path": {
			"input": object.union(refund, {"request": {"path": 42}}),
			"reason": "malformed request: input.request.method and input.request.path must be strings",
		},
		"relative path": {
			"input": object.union(refund, {"request": {"path": "v1/refunds"}}),
			"reason": "malformed request: input.request.path must start with /",
		},
		"no service": {
			"input": object.remove(refund, ["service"]),
			"reason": "malformed request: input.service must name the service behind this sidecar",
		},
	}
	failed := {name: d |
		some name, c in cases
		d := decide(c.input)
		d != {"allow": false, "reason": c.reason}
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_no_grants_loaded_denies if {
	d := sidecar.decision with input as refund
	d.reason == "no grant lets bob write on payments-api"
}
