package gatehouse.lib_test

import data.gatehouse.lib.catalogue
import data.gatehouse.lib.clock
import data.gatehouse.lib.identity
import data.gatehouse.lib.k8s

# --- clock ---------------------------------------------------------------------------------------

test_rfc3339_instants_parse if {
	clock.ns("2025-06-02T10:00:00Z") == 1748858400000000000
	clock.ns("2025-06-02T12:00:00+02:00") == clock.ns("2025-06-02T10:00:00Z")
	clock.ns("2025-06-02T10:00:00.5Z") == 1748858400500000000
}

test_malformed_instants_are_undefined if {
	bad := {"2025-06-02", "2025-06-02 10:00:00Z", "yesterday", "2025-06-02T10:00:00"}
	parsed := {t | some t in bad; clock.ns(t)}
	count(parsed) == 0
	not clock.ns(1748858400)
}

test_durations_parse_and_signs_are_refused if {
	clock.duration_ns("1h30m") == 5400000000000
	clock.duration_ns("0s") == 0
	not clock.duration_ns("-1h")
	not clock.duration_ns("+1h")
	not clock.duration_ns("1 hour")
	not clock.duration_ns(3600)
}

test_within_includes_the_start_and_excludes_the_end if {
	clock.within("2025-06-02T09:00:00Z", "2025-06-02T10:00:00Z", "2025-06-02T09:00:00Z")
	not clock.within("2025-06-02T09:00:00Z", "2025-06-02T10:00:00Z", "2025-06-02T10:00:00Z")
	not clock.within("2025-06-02T09:00:00Z", "2025-06-02T10:00:00Z", "not a time")
}

# --- identity ------------------------------------------------------------------------------------

test_without_team_data_nobody_owns_anything if {
	identity.owners({"kind": "service", "service": "payments-api", "namespace": "payments-prod"}) == set()
	not identity.on_call({"user": "alice"}, "payments")
	identity.teams == {}
	identity.oncall == {}
}

test_user_names_compare_exactly if {
	identity.same_user("alice", "alice")
	not identity.same_user("Alice", "alice")
	not identity.same_user("alice ", "alice")
	not identity.same_user("alice", "alicia")
	not identity.same_user(null, null)
}

test_look_alikes_fold_case_and_white_space if {
	identity.look_alike("Alice ", "alice")
	identity.look_alike("A lice", "alice")
	not identity.look_alike("alice", "alicia")
	not identity.look_alike("alice", null)
}

# --- catalogue -----------------------------------------------------------------------------------

test_catalogue_lists_namespaces_and_owner if {
	services := {"api": {"team": "core", "namespaces": ["core-prod", 7]}, "orphan": {"namespaces": []}}
	catalogue.namespaces("api") == {"core-prod"} with data.gatehouse.services as services
	catalogue.team("api") == "core" with data.gatehouse.services as services
	catalogue.known("api") with data.gatehouse.services as services
	not catalogue.known("orphan") with data.gatehouse.services as services
	not catalogue.team("orphan") with data.gatehouse.services as services
	catalogue.namespaces("api") == set()
}

test_namespace_names_are_rfc1123_labels if {
	catalogue.namespace_name("payments-prod")
	not catalogue.namespace_name("PAYMENTS-PROD")
	not catalogue.namespace_name("payments-prod ")
	not catalogue.namespace_name("-prod")
	catalogue.namespace_name("a23456789012345678901234567890123456789012345678901234567890123")
	not catalogue.namespace_name("a234567890123456789012345678901234567890123456789012345678901234")
	not catalogue.namespace_name(42)
}

# --- k8s -----------------------------------------------------------------------------------------

image_refs := {
	"nginx": {"registry": "docker.io", "name": "docker.io/library/nginx", "tag": "", "digest": ""},
	"nginx:1.27": {"registry": "docker.io", "name": "docker.io/library/nginx", "tag": "1.27", "digest": ""},
	"acme/app:2": {"registry": "docker.io", "name": "docker.io/acme/app", "tag": "2", "digest": ""},
	"ghcr.io/acme/app:1.0@sha256:ab": {"registry": "ghcr.io", "name": "ghcr.io/acme/app", "tag": "1.0", "digest": "sha256:ab"},
	"localhost/app:1": {"registry": "localhost", "name": "localhost/app", "tag": "1", "digest": ""},
	"localhost:5000/team/app": {"registry": "localhost:5000", "name": "localhost:5000/team/app", "tag": "", "digest": ""},
}

test_image_references_split_like_the_runtime_does if {
	failed := {ref: k8s.image(ref) | some ref, want in image_refs; k8s.image(ref) != want}
	print("failed references:", failed)
	count(failed) == 0
}

test_kind_keys if {
	k8s.kind_key({"group": "", "version": "v1", "kind": "Pod"}) == "Pod"
	k8s.kind_key({"group": "apps", "version": "v1", "kind": "Deployment"}) == "apps/Deployment"
}

test_pod_template_of_unknown_kinds_is_undefined if {
	not k8s.pod_template({"spec": {}}, {"group": "", "kind": "ConfigMap"})
	not k8s.pod_template({"spec": {"template": {}}}, {"group": "apps", "kind": "Deployment"})
}
