package gatehouse.admission_test

# frank holds deploy grant gr-10 for payments-prod from 09:30 to 10:30; zoe holds nothing.
deploy := fixtures.deployment_create

by(review, user) := with_request(review, {"userInfo": {"username": user}})

annotate(review, annotations) := object.union(review, {"request": {"object": {"metadata": {"annotations": annotations}}}})

break_glass_until(review, expires) := annotate(review, {
	"gatehouse.dev/break-glass": "INC-4411 payments down, rolling back to 1.14.1",
	"gatehouse.dev/break-glass-expires": expires,
})

test_deploy_grant_admits if {
	decide(deploy).allowed
}

test_deploy_without_grant_is_denied_and_says_what_to_do if {
	d := decide(by(deploy, "zoe"))
	d.violations == [{
		"rule": "protected-namespace-deploy",
		"msg": "create Deployment payments-api in protected namespace payments-prod needs an active deploy grant for zoe. Ask for one: gatehouse request create --namespace payments-prod --role deploy --for 1h --reason '<why>'. In an emergency, annotate it with gatehouse.dev/break-glass: <reason> and gatehouse.dev/break-glass-expires: <RFC 3339 time at most 1h ahead> (break-glass: security is notified)",
		"action": "deny",
	}]
}

test_expired_deploy_grant_does_not_count if {
	d := decide_at(deploy, "2025-06-02T10:30:00Z")
	rules(d) == {"protected-namespace-deploy"}
}

test_grant_with_another_role_does_not_count if {
	d := decide(by(deploy, "system:serviceaccount:argocd:argocd-application-controller"))
	rules(d) == {"protected-namespace-deploy"}
}

test_deploy_roles_come_from_data if {
	d := decide(by(deploy, "system:serviceaccount:argocd:argocd-application-controller")) with data.gatehouse.config.admission.deploy_grant_roles as ["view"]
	d.allowed
}

test_grant_for_another_namespace_does_not_count if {
	review := with_request(deploy, {"namespace": "search-prod", "object": {"metadata": {"namespace": "search-prod"}}})
	rules(decide(review)) == {"protected-namespace-deploy"}
}

test_unprotected_namespace_needs_no_grant if {
	review := by(with_request(deploy, {"namespace": "payments-staging"}), "zoe")
	decide(review).allowed
}

test_deletes_and_updates_are_deploys_too if {
	rules(decide(fixtures.deployment_delete)) == {"protected-namespace-deploy"}
	update := with_request(deploy, {"operation": "UPDATE", "oldObject": deploy.request.object})
	rules(decide(by(update, "zoe"))) == {"protected-namespace-deploy"}
}

test_deleting_a_pod_by_hand_is_a_deploy if {
	review := {"request": {
		"uid": "9f8e7d6c-5b4a-4392-8170-6f5e4d3c2b1a",
		"kind": {"group": "", "version": "v1", "kind": "Pod"},
		"resource": {"group": "", "version": "v1", "resource": "pods"},
		"name": "payments-api-7d9f8b6c5-x2x4q",
		"namespace": "payments-prod",
		"operation": "DELETE",
		"userInfo": {"username": "zoe", "groups": ["system:authenticated"]},
		"object": null,
		"oldObject": fixtures.pod_from_replicaset.request.object,
		"dryRun": false,
		"options": {"kind": "DeleteOptions", "apiVersion": "meta.k8s.io/v1", "gracePeriodSeconds": 30},
	}}
	rules(decide(review)) == {"protected-namespace-deploy"}
}

test_controllers_are_not_deployers if {
	gc := by(fixtures.deployment_delete, "system:serviceaccount:kube-system:generic-garbage-collector")
	decide(gc).allowed
	decide(fixtures.pod_from_replicaset).allowed
}

test_request_without_user_is_denied if {
	review := object.union(object.remove(deploy, ["request"]), {"request": object.remove(deploy.request, ["userInfo"])})
	d := decide(review)
	rules(d) == {"protected-namespace-deploy"}
	contains(d.violations[0].msg, "needs an active deploy grant for .")
}

test_subresources_are_not_deploys if {
	scale := {"request": {
		"uid": "705ab4f5-6393-11e8-b7cc-42010a800002",
		"kind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
		"resource": {"group": "apps", "version": "v1", "resource": "deployments"},
		"subResource": "scale",
		"requestKind": {"group": "autoscaling", "version": "v1", "kind": "Scale"},
		"requestResource": {"group": "apps", "version": "v1", "resource": "deployments"},
		"requestSubResource": "scale",
		"name": "payments-api",
		"namespace": "payments-prod",
		"operation": "UPDATE",
		"userInfo": {"username": "system:serviceaccount:kube-system:horizontal-pod-autoscaler", "groups": ["system:serviceaccounts"]},
		"object": {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "payments-api", "namespace": "payments-prod"}, "spec": {"replicas": 5}},
		"oldObject": {"kind": "Scale", "apiVersion": "autoscaling/v1", "metadata": {"name": "payments-api", "namespace": "payments-prod"}, "spec": {"replicas": 3}},
		"dryRun": false,
		"options": {"kind": "UpdateOptions", "apiVersion": "meta.k8s.io/v1"},
	}}
	decide(scale).allowed
	decide(fixtures.pod_status_update).allowed
}

# --- Break-glass ---------------------------------------------------------------------------------

# pat is a platform admin (an eligible group); alice is on call for payments, which owns
# payments-prod; zoe is neither.
by_member(review, user, groups) := with_request(review, {"userInfo": {"username": user, "groups": groups}})

glass := break_glass_until(by_member(deploy, "pat", ["platform-admins", "system:authenticated"]), "2025-06-02T10:45:00Z")

test_break_glass_admits_eligible_people_records_and_notifies if {
	d := decide(glass)
	msg := "create Deployment payments-api in payments-prod by pat (INC-4411 payments down, rolling back to 1.14.1) until 2025-06-02T10:45:00Z; security-oncall, platform-admins notified and a post-hoc review is required"
	d == {
		"allowed": true,
		"violations": [{"rule": "break-glass", "msg": msg, "action": "warn"}],
		"warnings": [concat(": ", ["break-glass", msg])],
		"notify": ["platform-admins", "security-oncall", "slack:#payments-oncall"],
		"break_glass": {
			"user": "pat",
			"reason": "INC-4411 payments down, rolling back to 1.14.1",
			"expires": "2025-06-02T10:45:00Z",
			"operation": "CREATE",
			"kind": "Deployment",
			"namespace": "payments-prod",
			"name": "payments-api",
		},
	}
}

test_break_glass_by_the_owning_team_on_call if {
	d := decide(break_glass_until(by_member(deploy, "alice", ["payments-devs"]), "2025-06-02T10:45:00Z"))
	d.allowed
	d.break_glass.user == "alice"
	"security-oncall" in d.notify
}

test_break_glass_eligible_users_come_from_data if {
	review := break_glass_until(by(deploy, "zoe"), "2025-06-02T10:45:00Z")
	d := decide(review) with data.gatehouse.config.admission.break_glass.eligible_users as ["zoe"]
	d.allowed
	d.break_glass.user == "zoe"
}

test_break_glass_is_refused_to_everyone_else if {
	failed := {name: d |
		some name, review in {
			"outsider": break_glass_until(by(deploy, "zoe"), "2025-06-02T10:45:00Z"),
			"look-alike of an eligible user": break_glass_until(by_member(deploy, "Alice", []), "2025-06-02T10:45:00Z"),
			"member not on call": break_glass_until(by_member(deploy, "bob", ["payments-devs"]), "2025-06-02T10:45:00Z"),
			"on call for another team": break_glass_until(by_member(deploy, "erin", []), "2025-06-02T10:45:00Z"),
		}
		d := decide(review)
		not refused_break_glass(d)
	}
	print("failed cases:", failed)
	count(failed) == 0
}

refused_break_glass(d) if {
	not d.allowed
	d.notify == []
	d.break_glass == null
	rules(d) == {"protected-namespace-deploy"}
	contains(d.violations[0].msg, "; break-glass is limited to members of platform-admins, sre-oncall or whoever is on call for a team owning payments-prod")
}

test_break_glass_off_for_the_owning_team_on_call if {
	review := break_glass_until(by_member(deploy, "alice", ["payments-devs"]), "2025-06-02T10:45:00Z")
	d := decide(review) with data.gatehouse.config.admission.break_glass.owning_team_on_call as false
	not d.allowed
	contains(d.violations[0].msg, "; break-glass is limited to members of platform-admins, sre-oncall.")
}

test_break_glass_refusal_names_who_may if {
	review := break_glass_until(by(deploy, "zoe"), "2025-06-02T10:45:00Z")
	nobody := {"eligible_users": [], "eligible_groups": [], "owning_team_on_call": false}
	users := {"eligible_users": ["carol", "dave"], "eligible_groups": [], "owning_team_on_call": false}
	contains(
		decide(review).violations[0].msg,
		"; break-glass is limited to nobody: data.gatehouse.config.admission.break_glass lists no one.",
	) with data.gatehouse.config.admission.break_glass as object.union(data.gatehouse.config.admission.break_glass, nobody)
	contains(
		decide(review).violations[0].msg,
		"; break-glass is limited to carol or dave.",
	) with data.gatehouse.config.admission.break_glass as object.union(data.gatehouse.config.admission.break_glass, users)
}

test_break_glass_dry_run_notifies_nobody if {
	d := decide(with_request(glass, {"dryRun": true}))
	d.allowed
	d.notify == []
	rules(d) == {"break-glass"}
	d.break_glass.user == "pat"
}

test_break_glass_on_delete_is_read_from_the_old_object if {
	old := object.union(fixtures.deployment_delete.request.oldObject, {"metadata": {"annotations": {
		"gatehouse.dev/break-glass": "INC-4411 remove the broken release",
		"gatehouse.dev/break-glass-expires": "2025-06-02T10:30:00Z",
	}}})
	d := decide(by_member(with_request(fixtures.deployment_delete, {"oldObject": old}), "quinn", ["platform-admins"]))
	d.allowed
	"security-oncall" in d.notify
	d.break_glass.reason == "INC-4411 remove the broken release"
}

test_break_glass_is_not_needed_with_a_grant if {
	d := decide(break_glass_until(deploy, "2025-06-02T10:45:00Z"))
	d == {"allowed": true, "violations": [], "warnings": [], "notify": [], "break_glass": null}
}

break_glass_problems := {
	"expired": {
		"review": break_glass_until(by_member(deploy, "zoe", ["platform-admins"]), "2025-06-02T09:59:59Z"),
		"problem": "; the break-glass window ended at 2025-06-02T09:59:59Z.",
	},
	"too far ahead": {
		"review": break_glass_until(by_member(deploy, "zoe", ["platform-admins"]), "2025-06-02T11:00:01Z"),
		"problem": "; the break-glass expiry 2025-06-02T11:00:01Z is more than 1h ahead.",
	},
	"not a time": {
		"review": break_glass_until(by_member(deploy, "zoe", ["platform-admins"]), "in an hour"),
		"problem": "; the break-glass annotation gatehouse.dev/break-glass-expires must be an RFC 3339 time.",
	},
	"no expiry": {
		"review": annotate(by_member(deploy, "zoe", ["platform-admins"]), {"gatehouse.dev/break-glass": "INC-4411"}),
		"problem": "; the break-glass annotation gatehouse.dev/break-glass-expires must be an RFC 3339 time.",
	},
	"no reason": {
		"review": annotate(by_member(deploy, "zoe", ["platform-admins"]), {"gatehouse.dev/break-glass": " ", "gatehouse.dev/break-glass-expires": "2025-06-02T10:30:00Z"}),
		"problem": "; the break-glass annotation gatehouse.dev/break-glass needs a reason.",
	},
}

test_invalid_break_glass_is_denied_and_explained if {
	failed := {name: d.violations |
		some name, c in break_glass_problems
		d := decide(c.review)
		not explained(d, c.problem)
	}
	print("failed cases:", failed)
	count(failed) == 0
}

explained(d, problem) if {
	not d.allowed
	d.notify == []
	some v in d.violations
	v.rule == "protected-namespace-deploy"
	contains(v.msg, concat("", ["for zoe", problem]))
}

# A pod deleted in a protected namespace: by a person it is a deploy; the kubelet finishing the
# deletion of its node's pod, and the controllers that own pods, are not.
pod_delete(user, groups) := json.patch(fixtures.pod_create, [
	{"op": "replace", "path": "/request/operation", "value": "DELETE"},
	{"op": "replace", "path": "/request/namespace", "value": "payments-prod"},
	{"op": "add", "path": "/request/name", "value": "payments-api-7d9f8b6c5-x2x4q"},
	{"op": "add", "path": "/request/oldObject", "value": fixtures.pod_create.request.object},
	{"op": "replace", "path": "/request/object", "value": null},
	{"op": "replace", "path": "/request/userInfo", "value": {"username": user, "groups": groups}},
])

test_pod_delete_in_a_protected_namespace if {
	rules(decide(pod_delete("zoe", ["system:authenticated"]))) == {"protected-namespace-deploy"}
	decide(pod_delete("frank", ["system:authenticated"])).allowed
	decide(pod_delete("system:node:worker-1", ["system:nodes", "system:authenticated"])).allowed
	decide(pod_delete("system:serviceaccount:kube-system:replication-controller", ["system:serviceaccounts"])).allowed
	decide(pod_delete("system:serviceaccount:kube-system:ttl-after-finished-controller", ["system:serviceaccounts"])).allowed
	decide(pod_delete("system:serviceaccount:kube-system:pod-garbage-collector", ["system:serviceaccounts"])).allowed
}

test_ttl_controller_deletes_finished_jobs if {
	job := json.patch(fixtures.job_create, [
		{"op": "replace", "path": "/request/operation", "value": "DELETE"},
		{"op": "replace", "path": "/request/namespace", "value": "payments-prod"},
		{"op": "add", "path": "/request/oldObject", "value": fixtures.job_create.request.object},
		{"op": "replace", "path": "/request/object", "value": null},
		{"op": "replace", "path": "/request/userInfo", "value": {"username": "system:serviceaccount:kube-system:ttl-after-finished-controller"}},
	])
	decide(job).allowed
	rules(decide(by(job, "zoe"))) == {"protected-namespace-deploy"}
}
