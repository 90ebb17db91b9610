package gatehouse.admission_test

# frank deploys payments-api to payments-prod (a namespace that requires the sidecar) with his
# deploy grant; each case adds one way of switching the sidecar off or pointing it elsewhere.
template_meta(review, meta) := object.union(review, {"request": {"object": {"spec": {"template": {"metadata": meta}}}}})

override_cases := {
	"opt-out label": {"labels": {"gatehouse.dev/inject": "false"}},
	"opt-out annotation": {"annotations": {"gatehouse.dev/inject": "false"}},
	"sidecar image": {"annotations": {"sidecar.gatehouse.dev/image": "ghcr.io/someone-else/gatehouse:0.1.0"}},
	"bundle URL": {"annotations": {"sidecar.gatehouse.dev/bundle-service-url": "https://evil.example/bundles/allow-all"}},
}

test_overrides_are_refused_where_the_sidecar_is_required if {
	failed := {name: rules(d) |
		some name, meta in override_cases
		d := decide(template_meta(deploy, meta))
		rules(d) != {"sidecar-override"}
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_override_message_names_the_override_and_the_fix if {
	d := decide(template_meta(deploy, override_cases["sidecar image"]))
	d.violations == [{
		"rule": "sidecar-override",
		"msg": "Deployment payments-api (spec.template.metadata): annotation sidecar.gatehouse.dev/image overrides the Gatehouse sidecar image, which namespace payments-prod pins; remove it (admission.sidecar_overrides.allowed lists who may override what, where)",
		"action": "deny",
	}]
}

test_a_bare_pod_cannot_opt_out_either if {
	pod := with_request(fixtures.pod_create, {"namespace": "payments-prod", "userInfo": {"username": "frank"}})
	d := decide(object.union(pod, {"request": {"object": {"metadata": {"labels": {"gatehouse.dev/inject": "false"}}}}}))
	"sidecar-override" in rules(d)
}

test_overrides_elsewhere_are_not_this_rules_business if {
	review := with_request(template_meta(fixtures.job_create, override_cases["opt-out label"]), {})
	decide(review).allowed
	inject_true := template_meta(deploy, {"labels": {"gatehouse.dev/inject": "true"}})
	decide(inject_true).allowed
}

test_allowed_overrides_come_from_data if {
	allowed := [{"overrides": ["opt-out"], "namespaces": ["payments-*"], "users": [], "groups": ["payments-devs"]}]
	frank := with_request(template_meta(deploy, override_cases["opt-out label"]), {"userInfo": {"username": "frank", "groups": ["payments-devs"]}})
	decide(frank).allowed with data.gatehouse.config.admission.sidecar_overrides.allowed as allowed

	# the entry covers the opt-out only, for its groups and namespaces only
	image := with_request(template_meta(deploy, override_cases["sidecar image"]), {"userInfo": {"username": "frank", "groups": ["payments-devs"]}})
	not decide(image).allowed with data.gatehouse.config.admission.sidecar_overrides.allowed as allowed
	other := with_request(template_meta(deploy, override_cases["opt-out label"]), {"userInfo": {"username": "frank", "groups": []}})
	not decide(other).allowed with data.gatehouse.config.admission.sidecar_overrides.allowed as allowed
	by_user := [{"overrides": ["opt-out"], "namespaces": ["*"], "users": ["frank"]}]
	decide(other).allowed with data.gatehouse.config.admission.sidecar_overrides.allowed as by_user
	search := [{"overrides": ["opt-out"], "namespaces": ["search-*"], "users": ["frank"]}]
	not decide(other).allowed with data.gatehouse.config.admission.sidecar_overrides.allowed as search
}

test_pods_made_by_controllers_are_not_override_checked if {
	# The template was checked on the workload, with the identity of whoever wrote it.
	review := object.union(fixtures.pod_from_replicaset, {"request": {"object": {"metadata": {"labels": {"gatehouse.dev/inject": "false"}}}}})
	decide(review).allowed
}
