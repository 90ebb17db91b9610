package gatehouse.admission_test

digest := "sha256:4c1b7f0e2d9a8b6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d"

image_cases := {
	"allowed registry, tag and digest": {"image": concat("@", ["ghcr.io/acme/payments-api:1.14.2", digest]), "rules": set()},
	"digest without tag": {"image": concat("@", ["ghcr.io/acme/payments-api", digest]), "rules": set()},
	"latest pinned by digest": {"image": concat("@", ["ghcr.io/acme/payments-api:latest", digest]), "rules": set()},
	"version tag without digest": {"image": "ghcr.io/acme/payments-api:1.14.2", "rules": {"image-digest"}},
	"latest tag": {"image": "ghcr.io/acme/payments-api:latest", "rules": {"image-tag", "image-digest"}},
	"no tag": {"image": "ghcr.io/acme/payments-api", "rules": {"image-tag", "image-digest"}},
	"Docker Hub short name": {"image": "nginx:1.27.0", "rules": {"image-registry", "image-digest"}},
	"Docker Hub user image": {"image": "acme/payments-api:1.14.2", "rules": {"image-registry", "image-digest"}},
	"look-alike registry": {"image": concat("@", ["ghcr.io.evil.example/acme/app:1.0", digest]), "rules": {"image-registry"}},
	"registry with port": {"image": concat("@", ["localhost:5000/app:1.0", digest]), "rules": {"image-registry"}},
	"registry k8s.io": {"image": concat("@", ["registry.k8s.io/pause:3.10", digest]), "rules": set()},
}

test_image_cases_trip_exactly_their_rules if {
	failed := {name: rules(d) |
		some name, c in image_cases
		d := decide(app({"image": c.image}))
		rules(d) != c.rules
	}
	print("failed cases:", failed)
	count(failed) == 0
}

test_image_digest_runs_in_shadow_mode if {
	d := decide(app({"image": "ghcr.io/acme/payments-api:1.14.2"}))
	d.allowed
	d.warnings == []
	d.violations[0].action == "dryrun"
}

test_registry_allow_list_takes_paths_and_trailing_slashes if {
	acme := concat("@", ["ghcr.io/acme/payments-api:1.14.2", digest])
	other := concat("@", ["ghcr.io/other/app:1.0", digest])
	decide(app({"image": acme})).allowed with data.gatehouse.config.admission.allowed_registries as ["ghcr.io/acme/"]
	not decide(app({"image": other})).allowed with data.gatehouse.config.admission.allowed_registries as ["ghcr.io/acme"]
}

test_init_and_ephemeral_container_images_are_checked if {
	d := decide(spec({"initContainers": [object.union(good_app, {"name": "init", "image": "busybox:1.36"})]}))
	"image-registry" in rules(d)
	e := decide(with_debugger({"image": "busybox:1.36"}))
	"image-registry" in rules(e)
}

test_registry_message_lists_the_allowed_registries if {
	d := decide(app({"image": concat("@", ["nginx:1.27.0", digest])}))
	d.violations == [{
		"rule": "image-registry",
		"msg": "container \"app\" (spec.containers[0]): image nginx:1.27.0@sha256:4c1b7f0e2d9a8b6c5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d is not from an allowed registry (registry.k8s.io, ghcr.io, quay.io); push it to one of them and deploy it from there",
		"action": "deny",
	}]
}

# --- Resources -----------------------------------------------------------------------------------

test_missing_cpu_request_is_denied if {
	d := decide(app({"resources": {"requests": {"cpu": ""}}}))
	d.violations == [{
		"rule": "resources-requests",
		"msg": "container \"app\" (spec.containers[0]): set resources.requests.cpu so the scheduler can place the pod",
		"action": "deny",
	}]
}

test_missing_memory_limit_warns_but_admits if {
	no_limits := object.remove(good_app, ["resources"])
	d := decide(spec({"containers": [object.union(no_limits, {"resources": {"requests": {"cpu": "100m", "memory": "128Mi"}}})]}))
	d.allowed
	d.warnings == ["resources-limits: container \"app\" (spec.containers[0]): set resources.limits.memory so one pod cannot starve its node"]
}

test_init_containers_need_resources_too if {
	init := object.union(object.remove(good_app, ["resources"]), {"name": "init"})
	d := decide(spec({"initContainers": [init]}))
	rules(d) == {"resources-requests", "resources-limits"}
}

test_required_resources_come_from_data if {
	d := decide(app({"resources": {"limits": {"cpu": ""}}})) with data.gatehouse.config.admission.required_limits as ["memory", "cpu"]
	rules(d) == {"resources-limits"}
}

# --- Ownership labels ----------------------------------------------------------------------------

test_missing_team_label_is_denied if {
	d := decide(pod({"metadata": {"labels": {"gatehouse.dev/team": ""}}}))
	d.violations == [{
		"rule": "ownership-labels",
		"msg": "Pod payments-api-canary has no gatehouse.dev/team label; add it under metadata.labels so its owner can be found",
		"action": "deny",
	}]
}

test_workload_labels_are_read_from_the_workload if {
	review := replace_object(fixtures.job_create, object.union(
		object.remove(fixtures.job_create.request.object, ["metadata"]),
		{"metadata": {"name": "ledger-migrate-20250602", "namespace": "payments-staging"}},
	))
	rules(decide(review)) == {"ownership-labels"}
}

test_pods_made_by_controllers_are_not_label_checked if {
	# pod_from_replicaset has no team label: it inherited the template's labels, checked on the Deployment.
	decide(fixtures.pod_from_replicaset).allowed
	not fixtures.pod_from_replicaset.request.object.metadata.labels["gatehouse.dev/team"]
}

test_pods_with_a_non_controller_owner_are_label_checked if {
	owned := object.union(fixtures.pod_from_replicaset, {"request": {"object": {"metadata": {"ownerReferences": [{
		"apiVersion": "v1", "kind": "ConfigMap", "name": "x", "uid": "1", "controller": false,
	}]}}}})
	"ownership-labels" in rules(decide(owned))
}

# Anyone can write an ownerReference claiming a controller: the API server does not check it.
# Only a pod created by a controller (controller_users) skips the label check.
test_a_claimed_controller_does_not_let_a_bare_pod_skip_labels if {
	review := with_request(fixtures.pod_from_replicaset, {"namespace": "payments-staging", "userInfo": {"username": "zoe", "groups": []}})
	rules(decide(review)) == {"ownership-labels"}
}

test_generated_names_are_shown_with_a_star if {
	review := with_request(fixtures.pod_from_replicaset, {"userInfo": {"username": "zoe"}})
	d := decide(review)
	some v in d.violations
	v.rule == "protected-namespace-deploy"
	contains(v.msg, "Pod payments-api-7d9f8b6c5-* in protected namespace payments-prod")
}
