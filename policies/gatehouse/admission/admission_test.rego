package gatehouse.admission_test

import data.gatehouse.admission
import data.gatehouse.testdata

now := "2025-06-02T10:00:00Z"

# AdmissionReviews as the API server sends them: testdata/admission/<name>/admission-review.json.
fixtures := testdata.admission

decide(review) := decide_at(review, now)

decide_at(review, at) := d if {
	d := admission.decision with input as object.union(review, {"now": at})
		with data.gatehouse.grants as testdata.grants
		with data.gatehouse.teams as testdata.org.teams
		with data.gatehouse.oncall as testdata.org.oncall
}

rules(d) := {v.rule | some v in d.violations}

# replace_object(review, obj) is the review with request.object replaced (object.union would merge).
replace_object(review, obj) := object.union(
	object.remove(review, ["request"]),
	{"request": object.union(object.remove(review.request, ["object"]), {"object": obj})},
)

# with_request(review, patch) merges patch into the review's request.
with_request(review, patch) := object.union(review, {"request": patch})

# --- Every fixture, decided ----------------------------------------------------------------------

fixture_expectations := {
	"deployment_create": {"allowed": true, "rules": set()},
	"deployment_delete": {"allowed": false, "rules": {"protected-namespace-deploy"}},
	"statefulset_update": {"allowed": true, "rules": set()},
	"daemonset_create": {
		"allowed": false,
		"rules": {"image-digest", "pss-host-namespaces", "pss-host-path", "pss-host-ports", "pss-volume-types"},
	},
	"job_create": {"allowed": true, "rules": set()},
	"cronjob_create": {
		"allowed": false,
		"rules": {"image-digest", "image-registry", "image-tag", "resources-limits", "resources-requests"},
	},
	"pod_create": {"allowed": true, "rules": set()},
	"pod_create_privileged": {
		"allowed": false,
		"rules": {
			"image-digest", "image-registry", "image-tag", "ownership-labels", "pss-capabilities-add",
			"pss-capabilities-drop", "pss-host-namespaces", "pss-host-path", "pss-privilege-escalation",
			"pss-privileged", "pss-run-as-non-root", "pss-run-as-user", "pss-seccomp", "pss-volume-types",
			"resources-limits", "resources-requests",
		},
	},
	"pod_from_replicaset": {"allowed": true, "rules": set()},
	"pod_exec": {"allowed": true, "rules": set()},
	"pod_attach": {"allowed": true, "rules": set()},
	"pod_portforward": {"allowed": false, "rules": {"pod-connect-grant"}},
	"pod_ephemeral_debug": {"allowed": true, "rules": {"image-digest"}},
	"pod_status_update": {"allowed": true, "rules": set()},
}

test_every_fixture_has_an_expectation if {
	object.keys(fixtures) == object.keys(fixture_expectations)
}

test_fixtures_decide_as_expected if {
	failed := {name: {"allowed": d.allowed, "rules": rules(d)} |
		some name, want in fixture_expectations
		d := decide(fixtures[name])
		{"allowed": d.allowed, "rules": rules(d)} != want
	}
	print("failed fixtures:", failed)
	count(failed) == 0
}

test_compliant_deployment_decision_is_empty if {
	decide(fixtures.deployment_create) == {"allowed": true, "violations": [], "warnings": [], "notify": [], "break_glass": null}
}

test_violations_carry_rule_message_and_action if {
	d := decide(fixtures.cronjob_create)
	d.violations[0] == {
		"rule": "image-digest",
		"msg": "container \"reconcile\" (spec.jobTemplate.spec.template.spec.containers[0]): image busybox:latest is not pinned by digest; use docker.io/library/busybox@sha256:<digest> so that what runs is what was reviewed",
		"action": "dryrun",
	}
	d.warnings == ["resources-limits: container \"reconcile\" (spec.jobTemplate.spec.template.spec.containers[0]): set resources.limits.memory so one pod cannot starve its node"]
}

# --- Actions come from data ----------------------------------------------------------------------

test_every_rule_has_a_configured_action_and_data_names_no_unknown_rule if {
	object.keys(data.gatehouse.config.admission.rules) == admission.rule_ids
	every id in admission.rule_ids {
		data.gatehouse.config.admission.rules[id].action in {"deny", "warn", "dryrun"}
	}
}

test_warn_action_admits_and_warns if {
	d := decide(fixtures.pod_create_privileged) with data.gatehouse.config.admission.rules as all_rules_set_to("warn")
	d.allowed
	count(d.warnings) == count(d.violations)
	every v in d.violations {
		v.action == "warn"
	}
}

test_dryrun_action_admits_silently_but_records_the_violation if {
	d := decide(fixtures.pod_create_privileged) with data.gatehouse.config.admission.rules as all_rules_set_to("dryrun")
	d.allowed
	d.warnings == []
	"pss-privileged" in rules(d)
}

test_unknown_or_missing_action_denies if {
	# The whole admission config is replaced: the policy reads it as one document.
	broken := object.union(object.remove(data.gatehouse.config.admission, ["rules"]), {"rules": {"image-tag": {"action": "block"}}})
	d := decide(fixtures.cronjob_create) with data.gatehouse.config.admission as broken
	every v in d.violations {
		v.action == "deny"
	}
	not d.allowed
}

all_rules_set_to(action) := {id: {"action": action} | some id in admission.rule_ids}

# --- Exemptions ----------------------------------------------------------------------------------

test_exempt_namespaces_skip_every_rule if {
	review := with_request(fixtures.daemonset_create, {"namespace": "kube-system"})
	decide(review) == {"allowed": true, "violations": [], "warnings": [], "notify": [], "break_glass": null}
}

test_exempt_namespaces_are_patterns if {
	review := with_request(fixtures.daemonset_create, {"namespace": "monitoring"})
	decide(review).allowed with data.gatehouse.config.admission.exempt_namespaces as ["monitor*"]
}

test_a_single_rule_can_be_exempted_per_namespace if {
	rules_cfg := object.union(data.gatehouse.config.admission.rules, {
		"pss-host-path": {"exempt_namespaces": ["monitoring"]},
		"pss-volume-types": {"exempt_namespaces": ["monitoring"]},
	})
	d := decide(fixtures.daemonset_create) with data.gatehouse.config.admission.rules as rules_cfg
	rules(d) == {"image-digest", "pss-host-namespaces", "pss-host-ports"}
}

# --- Input shape ---------------------------------------------------------------------------------

test_input_without_request_is_denied if {
	d := admission.decision with input as {"now": now}
	d.violations == [{
		"rule": "admission-input",
		"msg": "input.request must be the request of an admission.k8s.io/v1 AdmissionReview (uid, kind, operation)",
		"action": "deny",
	}]
	not d.allowed
}

test_unknown_operation_is_denied if {
	d := decide(with_request(fixtures.pod_create, {"operation": "PATCH"}))
	rules(d) == {"admission-input"}
}

test_missing_now_is_denied if {
	d := admission.decision with input as fixtures.pod_create
	d.violations == [{
		"rule": "admission-input",
		"msg": "input.now must be the current time as an RFC 3339 string; the webhook adds it to every review",
		"action": "deny",
	}]
}

test_non_workload_objects_are_not_pod_checked if {
	configmap := {
		"uid": "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d",
		"kind": {"group": "", "version": "v1", "kind": "ConfigMap"},
		"resource": {"group": "", "version": "v1", "resource": "configmaps"},
		"name": "payments-api",
		"namespace": "payments-prod",
		"operation": "CREATE",
		"userInfo": {"username": "zoe", "groups": ["system:authenticated"]},
		"object": {"kind": "ConfigMap", "apiVersion": "v1", "metadata": {"name": "payments-api", "namespace": "payments-prod"}, "data": {"LOG_LEVEL": "debug"}},
		"oldObject": null,
		"dryRun": false,
		"options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
	}
	decide({"request": configmap}).allowed
}

test_workload_kind_in_another_api_group_is_not_a_workload if {
	review := with_request(fixtures.deployment_delete, {"kind": {"group": "example.com"}})
	decide(review).allowed
}

# Every required data path is settings data, present when the library is loaded as laid out.
test_required_data_is_present if {
	every path in admission.required_data {
		keys := split(path, "/")
		array.slice(keys, 0, 2) == ["gatehouse", "config"]
		object.get(data.gatehouse.config, array.slice(keys, 2, count(keys)), null) != null
	}
}
