package gatehouse.kubernetes.authz_test

import data.gatehouse.kubernetes.authz
import data.gatehouse.testdata

now := "2025-06-02T10:00:00Z"

# alice's view grant in payments-prod, in force at now; tests change it where they need to.
alice_view := {
	"id": "gr-30",
	"request_id": "req-30",
	"subject": "alice",
	"target": {"kind": "namespace", "namespace": "payments-prod", "role": "view"},
	"not_before": "2025-06-02T09:45:00Z",
	"expires_at": "2025-06-02T10:45:00Z",
	"approvers": [],
	"policy_revision": "3f2c1a9e",
}

# The SubjectAccessReview the API server sends for `kubectl get pods -n payments-prod` as alice.
list_pods := testdata.kubernetes.alice_list_pods

sar(attrs) := object.union(list_pods, {"spec": {"resourceAttributes": attrs}})

as_user(review, user) := object.union(review, {"spec": {"user": user}})

decide(review, issued) := d if {
	d := authz.decision with input as object.union(review, {"now": now})
		with data.gatehouse.grants as issued
}

cases := {
	"list pods with a view grant": {"review": list_pods, "grants": [alice_view], "allowed": true},
	"get one pod": {"review": sar({"verb": "get", "name": "payments-api-0"}), "grants": [alice_view], "allowed": true},
	"read pod logs": {"review": sar({"verb": "get", "resource": "pods", "subresource": "log"}), "grants": [alice_view], "allowed": true},
	"watch deployments": {"review": sar({"verb": "watch", "group": "apps", "resource": "deployments"}), "grants": [alice_view], "allowed": true},
	"deployments in the core group": {"review": sar({"verb": "list", "group": "", "resource": "deployments"}), "grants": [alice_view], "allowed": false},
	"secrets with view": {"review": sar({"verb": "get", "resource": "secrets"}), "grants": [alice_view], "allowed": false},
	"delete a pod with view": {"review": sar({"verb": "delete"}), "grants": [alice_view], "allowed": false},
	"exec with view": {"review": sar({"verb": "create", "subresource": "exec"}), "grants": [alice_view], "allowed": false},
	"another namespace": {"review": sar({"namespace": "payments-staging"}), "grants": [alice_view], "allowed": false},
	"cluster scope": {"review": sar({"namespace": ""}), "grants": [alice_view], "allowed": false},
	"someone else": {"review": as_user(list_pods, "bob"), "grants": [alice_view], "allowed": false},
	"a look-alike name": {"review": as_user(list_pods, "Alice"), "grants": [alice_view], "allowed": false},
	"no grants at all": {"review": list_pods, "grants": [], "allowed": false},
	"revoked": {"review": list_pods, "grants": [object.union(alice_view, {"revoked": true})], "allowed": false},
	"expired": {"review": list_pods, "grants": [object.union(alice_view, {"expires_at": "2025-06-02T10:00:00Z"})], "allowed": false},
	"not yet started": {"review": list_pods, "grants": [object.union(alice_view, {"not_before": "2025-06-02T10:00:01Z"})], "allowed": false},
	"a service grant is no namespace grant": {"review": list_pods, "grants": [object.union(alice_view, {"target": {"kind": "service", "service": "payments-api", "namespace": "payments-prod", "actions": ["read"]}})], "allowed": false},
	"a role with no rules": {"review": list_pods, "grants": [object.union(alice_view, {"target": {"role": "owner"}})], "allowed": false},
	"edit reads secrets": {"review": sar({"verb": "get", "resource": "secrets"}), "grants": [object.union(alice_view, {"target": {"role": "edit"}})], "allowed": true},
	"edit lists pods (included view)": {"review": list_pods, "grants": [object.union(alice_view, {"target": {"role": "edit"}})], "allowed": true},
	"deploy scales a deployment": {"review": sar({"verb": "patch", "group": "apps", "resource": "deployments", "subresource": "scale"}), "grants": [object.union(alice_view, {"target": {"role": "deploy"}})], "allowed": true},
	"deploy reads no secrets": {"review": sar({"verb": "get", "resource": "secrets"}), "grants": [object.union(alice_view, {"target": {"role": "deploy"}})], "allowed": false},
	"admin reads rolebindings": {"review": sar({"verb": "list", "group": "rbac.authorization.k8s.io", "resource": "rolebindings"}), "grants": [object.union(alice_view, {"target": {"role": "admin"}})], "allowed": true},
	"admin writes no rolebindings": {"review": sar({"verb": "create", "group": "rbac.authorization.k8s.io", "resource": "rolebindings"}), "grants": [object.union(alice_view, {"target": {"role": "admin"}})], "allowed": false},
	"a service account's grant": {"review": as_user(list_pods, "system:serviceaccount:argocd:argocd-application-controller"), "grants": testdata.grants, "allowed": true},
	"frank's deploy grant of the fixtures": {"review": as_user(sar({"verb": "update", "group": "apps", "resource": "deployments"}), "frank"), "grants": testdata.grants, "allowed": true},
}

test_decision_cases if {
	failed := {name: d |
		some name, c in cases
		d := decide(c.review, c.grants)
		d.allowed != c.allowed
	}
	print("failed cases:", failed)
	count(failed) == 0
}

# Gatehouse never says denied: what it does not allow is left to RBAC.
test_never_denies if {
	every _, c in cases {
		decide(c.review, c.grants).denied == false
	}
}

test_allowed_names_the_grant if {
	decide(list_pods, [alice_view]) == {
		"allowed": true,
		"denied": false,
		"grant_id": "gr-30",
		"reason": "gatehouse grant gr-30 (role view in payments-prod, until 2025-06-02T10:45:00Z) lets alice list pods",
	}
}

test_the_lowest_covering_grant_is_named if {
	other := object.union(alice_view, {"id": "gr-29", "target": {"role": "edit"}})
	decide(list_pods, [alice_view, other]).grant_id == "gr-29"
}

test_no_opinion_says_why if {
	decide(list_pods, [object.union(alice_view, {"revoked": true})]).reason == "grant gr-30 was revoked; RBAC decides"
	decide(sar({"verb": "delete"}), [alice_view]).reason == `grant gr-30 (role view) does not cover delete pods (group ""); RBAC decides`
	decide(list_pods, []).reason == "no gatehouse grant for alice in namespace payments-prod; RBAC decides"
	decide(sar({"namespace": ""}), [alice_view]).reason == "gatehouse decides only namespaced resource requests of a named user"
}

test_non_resource_requests_get_no_opinion if {
	review := object.union(object.remove(list_pods, ["spec"]), {"spec": {"user": "alice", "nonResourceAttributes": {"path": "/healthz", "verb": "get"}}})
	decide(review, [alice_view]) == {"allowed": false, "denied": false, "reason": "gatehouse decides only namespaced resource requests of a named user"}
}

test_malformed_input_gets_no_opinion if {
	d := authz.decision with input as {"spec": "nonsense"} with data.gatehouse.grants as [alice_view]
	d.allowed == false
	d.denied == false
	d2 := authz.decision with input as {"spec": {"user": 7, "resourceAttributes": {"namespace": "payments-prod", "verb": "list", "resource": "pods"}}}
		with data.gatehouse.grants as [alice_view]
	d2.allowed == false
}

test_wildcard_rules_match if {
	star := {"owner": {"cluster_role": "admin", "rules": [{"api_groups": ["*"], "resources": ["*"], "verbs": ["*"]}]}}
	d := authz.decision with input as object.union(sar({"verb": "delete", "group": "apps", "resource": "deployments"}), {"now": now})
		with data.gatehouse.grants as [object.union(alice_view, {"target": {"role": "owner"}})]
		with data.gatehouse.config.kubernetes.namespace_roles as star
	d.allowed
}

# Every role names a ClusterRole and only includes roles that exist.
test_roles_are_well_formed if {
	every _, role in authz.roles {
		is_string(role.cluster_role)
		every inc in object.get(role, "includes", []) {
			authz.roles[inc]
		}
	}
}
