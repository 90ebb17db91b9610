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
	# services/proxy is (see below); a node's proxy is not a pod in a namespace
	node_proxy := with_request(exec, {"resource": {"group": "", "version": "v1", "resource": "nodes"}, "subResource": "proxy", "userInfo": {"username": "zoe"}})
	decide(node_proxy).allowed
	crd := with_request(exec, {"resource": {"group": "example.com"}, "userInfo": {"username": "zoe"}})
	decide(crd).allowed
}

test_exempt_namespaces_need_no_pod_exec_grant if {
	d := decide(with_request(exec, {"namespace": "kube-system", "userInfo": {"username": "zoe"}}))
	d.allowed
}

# --- The API server's proxy to pods and services -------------------------------------------------

# proxy(resource, user, ns, name) is the CONNECT the API server sends for
# GET /api/v1/namespaces/NS/{pods|services}/NAME/proxy/metrics, shaped as the port-forward fixture.
proxy(resource, user, ns, name) := json.patch(fixtures.pod_portforward, [
	{"op": "replace", "path": "/request/kind/kind", "value": options_kind[resource]},
	{"op": "replace", "path": "/request/requestKind/kind", "value": options_kind[resource]},
	{"op": "replace", "path": "/request/resource/resource", "value": resource},
	{"op": "replace", "path": "/request/requestResource/resource", "value": resource},
	{"op": "replace", "path": "/request/subResource", "value": "proxy"},
	{"op": "replace", "path": "/request/requestSubResource", "value": "proxy"},
	{"op": "replace", "path": "/request/name", "value": name},
	{"op": "replace", "path": "/request/namespace", "value": ns},
	{"op": "replace", "path": "/request/userInfo/username", "value": user},
	{"op": "replace", "path": "/request/object", "value": {"kind": options_kind[resource], "apiVersion": "v1", "path": "/metrics"}},
])

options_kind := {"pods": "PodProxyOptions", "services": "ServiceProxyOptions"}

proxy_cases := {
	"pods/proxy with a namespace-wide grant": {"review": proxy("pods", "dave", "search-prod", "search-api-0"), "allowed": true},
	"pods/proxy with a command-only grant": {"review": proxy("pods", "erin", "search-prod", "search-api-0"), "allowed": false},
	"pods/proxy with a container-only grant": {"review": proxy("pods", "carol", "payments-prod", "payments-api-7d9f8b6c5-x2x4q"), "allowed": false},
	"pods/proxy without a grant": {"review": proxy("pods", "zoe", "search-prod", "search-api-0"), "allowed": false},
	"services/proxy with a namespace-wide grant": {"review": proxy("services", "dave", "search-prod", "search-api"), "allowed": true},
	"services/proxy with a grant for some pods": {"review": proxy("services", "carol", "payments-prod", "payments-api"), "allowed": false},
	"services/proxy in another namespace": {"review": proxy("services", "dave", "payments-prod", "payments-api"), "allowed": false},
}

test_proxy_cases if {
	failed := {name: d.violations |
		some name, c in proxy_cases
		d := decide(c.review)
		d.allowed != c.allowed
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_denied_pod_proxy_says_how_to_ask if {
	d := decide(proxy("pods", "zoe", "search-prod", "search-api-0"))
	d.violations == [{
		"rule": "pod-connect-grant",
		"msg": "the API server proxy (pods/proxy) into pod search-prod/search-api-0 needs an active pod-exec grant for zoe. Ask for one: gatehouse request create --pod-exec search-prod/search-api-0 --for 30m --reason '<why>'",
		"action": "deny",
	}]
}

test_denied_service_proxy_needs_a_namespace_wide_grant if {
	d := decide(proxy("services", "carol", "payments-prod", "payments-api"))
	d.violations == [{
		"rule": "pod-connect-grant",
		"msg": "the API server proxy (services/proxy) to service payments-prod/payments-api needs an active pod-exec grant for carol for every pod of payments-prod. Ask for one: gatehouse request create --pod-exec 'payments-prod/*' --for 30m --reason '<why>'",
		"action": "deny",
	}]
}
