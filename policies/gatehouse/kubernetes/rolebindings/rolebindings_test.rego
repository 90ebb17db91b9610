package gatehouse.kubernetes.rolebindings_test

import data.gatehouse.kubernetes.rolebindings
import data.gatehouse.testdata

now := "2025-06-02T10:00:00Z"

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

desired(issued) := d if {
	d := rolebindings.desired with input as {"now": now} with data.gatehouse.grants as issued
}

test_an_active_grant_gets_its_binding if {
	desired([alice_view]) == [{
		"name": "gatehouse-gr-30",
		"namespace": "payments-prod",
		"grant_id": "gr-30",
		"role": "view",
		"cluster_role": "view",
		"subject": {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": "alice"},
		"expires_at": "2025-06-02T10:45:00Z",
	}]
}

test_the_cluster_role_comes_from_data_not_the_request if {
	[b] := desired([object.union(alice_view, {"target": {"role": "deploy"}})])
	b.cluster_role == "edit"
	[a] := desired([object.union(alice_view, {"target": {"role": "admin"}})])
	a.cluster_role == "admin"
	desired([object.union(alice_view, {"target": {"role": "cluster-admin"}})]) == []
}

test_inactive_grants_get_none if {
	desired([object.union(alice_view, {"revoked": true})]) == []
	desired([object.union(alice_view, {"expires_at": now})]) == []
	desired([object.union(alice_view, {"not_before": "2025-06-02T10:30:00Z"})]) == []
}

test_only_namespace_grants if {
	# the fixtures at 10:00: frank's deploy grant and the argocd service account's view grant
	bindings := desired(testdata.grants)
	{b.grant_id | some b in bindings} == {"gr-10", "gr-11"}
	some b in bindings
	b.grant_id == "gr-11"
	b.subject == {"kind": "ServiceAccount", "namespace": "argocd", "name": "argocd-application-controller"}
}

test_unmapped_roles_are_reported if {
	ids := rolebindings.unmapped with input as {"now": now}
		with data.gatehouse.grants as [alice_view, object.union(alice_view, {"id": "gr-31", "target": {"role": "owner"}})]
	ids == {"gr-31"}
}

test_a_malformed_service_account_name_is_a_user if {
	[b] := desired([object.union(alice_view, {"subject": "system:serviceaccount:argocd"})])
	b.subject.kind == "User"
}
