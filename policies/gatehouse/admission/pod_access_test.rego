package gatehouse.admission_test

# Grants: gr-20 carol, pods payments-api-* in payments-prod, container app, until 10:29:30;
# gr-21 dave, any pod in search-prod; gr-22 erin, search-api-0, only `cat /var/log/app.log`.
exec := fixtures.pod_exec

exec_with(patch) := object.union(exec, {"request": {"object": patch}})

pod_access_cases := {
	"exec within the grant": {"review": exec, "allowed": true},
	"attach to any pod of the namespace": {"review": fixtures.pod_attach, "allowed": true},
	"debug container with a namespace-wide grant": {"review": fixtures.pod_ephemeral_debug, "allowed": true},
	"exec into another container": {"review": exec_with({"container": "istio-proxy"}), "allowed": false},
	"exec without naming the container": {"review": replace_object(exec, object.remove(exec.request.object, ["container"])), "allowed": false},
	"exec into a pod the grant does not name": {"review": with_request(exec, {"name": "ledger-0"}), "allowed": false},
	"exec after the grant expired": {"review": object.union(exec, {"now": "2025-06-02T10:29:30Z"}), "allowed": false},
	"exec by someone else": {"review": with_request(exec, {"userInfo": {"username": "zoe"}}), "allowed": false},
	"port-forward with a command-only grant": {"review": fixtures.pod_portforward, "allowed": false},
	"exec of the granted command": {
		"review": object.union(
			with_request(exec, {"name": "search-api-0", "namespace": "search-prod", "userInfo": {"username": "erin"}}),
			{"request": {"object": {"container": "search", "command": ["cat", "/var/log/app.log"]}}},
		),
		"allowed": true,
	},
	"exec of another command": {
		"review": object.union(
			with_request(exec, {"name": "search-api-0", "namespace": "search-prod", "userInfo": {"username": "erin"}}),
			{"request": {"object": {"container": "search", "command": ["sh"]}}},
		),
		"allowed": false,
	},
	"attach with a command-only grant": {
		"review": with_request(fixtures.pod_attach, {"userInfo": {"username": "erin"}}),
		"allowed": false,
	},
	"debug with a container-only grant": {
		"review": with_request(fixtures.pod_ephemeral_debug, {"name": "payments-api-7d9f8b6c5-x2x4q", "namespace": "payments-prod", "userInfo": {"username": "carol"}}),
		"allowed": false,
	},
}

test_pod_access_cases if {
	failed := {name: d.violations |
		some name, c in pod_access_cases
		d := decide_at(c.review, object.get(c.review, "now", now))
		d.allowed != c.allowed
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_denied_exec_says_how_to_ask if {
	d := decide(with_request(exec, {"userInfo": {"username": "zoe"}}))
	d.violations == [{
		"rule": "pod-connect-grant",
		"msg": "kubectl exec into pod payments-prod/payments-api-7d9f8b6c5-x2x4q needs an active pod-exec grant for zoe. Ask for one: gatehouse request create --pod-exec payments-prod/payments-api-7d9f8b6c5-x2x4q --for 30m --reason '<why>'",
		"action": "deny",
	}]
}

test_denied_exec_names_the_expired_grant if {
	d := decide_at(exec, "2025-06-02T10:29:30Z")
	contains(d.violations[0].msg, "for carol (grant gr-20 expired at 2025-06-02T10:29:30Z).")
}

test_denied_exec_names_the_narrower_grant if {
	d := decide(exec_with({"container": "istio-proxy"}))
	contains(d.violations[0].msg, "for carol (grant gr-20 is limited to another container or command).")
}

test_each_pod_access_is_named if {
	d := decide(with_request(fixtures.pod_attach, {"userInfo": {"username": "zoe"}}))
	startswith(d.violations[0].msg, "kubectl attach into pod search-prod/search-api-0")
	startswith(decide(fixtures.pod_portforward).violations[0].msg, "kubectl port-forward into pod search-prod/search-api-0")
	e := decide(with_request(fixtures.pod_ephemeral_debug, {"userInfo": {"username": "zoe"}}))
	some v in e.violations
	v.rule == "pod-connect-grant"
	startswith(v.msg, "kubectl debug into pod search-prod/search-api-0")
}

test_pod_access_without_a_pod_name_is_denied if {
	d := decide(with_request(exec, {"name": ""}))
	startswith(d.violations[0].msg, "kubectl exec into pod payments-prod/? needs")
}

test_connect_to_other_resources_is_not_pod_access if {
	proxy := with_request(exec, {"resource": {"group": "", "version": "v1", "resource": "services"}, "subResource": "proxy", "userInfo": {"username": "zoe"}})
	decide(proxy).allowed
	crd := with_request(exec, {"resource": {"group": "example.com"}, "userInfo": {"username": "zoe"}})
	decide(crd).allowed
}

test_exempt_namespaces_need_no_pod_exec_grant if {
	d := decide(with_request(exec, {"namespace": "kube-system", "userInfo": {"username": "zoe"}}))
	d.allowed
}
