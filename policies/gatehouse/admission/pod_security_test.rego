package gatehouse.admission_test

# A compliant pod (fixture pod_create) changed one way at a time; each case names exactly the
# rules the change must trip. object.union merges nested objects and replaces arrays.

good_pod := fixtures.pod_create.request.object

good_app := good_pod.spec.containers[0]

good_pod_sc := good_pod.spec.securityContext

# pod(patch) is the pod_create review with patch merged into the pod.
pod(patch) := object.union(fixtures.pod_create, {"request": {"object": patch}})

spec(patch) := pod({"spec": patch})

# app(patch) is the pod with its one container merged with patch.
app(patch) := spec({"containers": [object.union(good_app, patch)]})

app_sc(patch) := app({"securityContext": patch})

# pod_sc_exactly(sc) is the pod with its pod-level security context replaced by sc.
pod_sc_exactly(sc) := replace_object(fixtures.pod_create, object.union(
	object.remove(good_pod, ["spec"]),
	{"spec": object.union(object.remove(good_pod.spec, ["securityContext"]), {"securityContext": sc})},
))

# app_patch(patch) merged into a review replaces its containers with the patched container only.
app_patch(patch) := {"request": {"object": {"spec": {"containers": [object.union(good_app, patch)]}}}}

app_sc_exactly(sc) := spec({"containers": [object.union(object.remove(good_app, ["securityContext"]), {"securityContext": sc})]})

restricted_sc := good_app.securityContext

pss_cases := {
	"privileged container": {"review": app_sc({"privileged": true}), "rules": {"pss-privileged"}},
	"privileged false is fine": {"review": app_sc({"privileged": false}), "rules": set()},
	"host network": {"review": spec({"hostNetwork": true}), "rules": {"pss-host-namespaces"}},
	"host PID": {"review": spec({"hostPID": true}), "rules": {"pss-host-namespaces"}},
	"host IPC": {"review": spec({"hostIPC": true}), "rules": {"pss-host-namespaces"}},
	"host namespaces false are fine": {"review": spec({"hostNetwork": false, "hostPID": false, "hostIPC": false}), "rules": set()},
	"windows host process pod": {
		"review": spec({"securityContext": {"windowsOptions": {"hostProcess": true}}}),
		"rules": {"pss-host-process"},
	},
	"windows host process container": {"review": app_sc({"windowsOptions": {"hostProcess": true}}), "rules": {"pss-host-process"}},
	"capability added": {"review": app_sc({"capabilities": {"add": ["SYS_ADMIN"]}}), "rules": {"pss-capabilities-add"}},
	"NET_BIND_SERVICE may be added": {"review": app_sc({"capabilities": {"add": ["NET_BIND_SERVICE"]}}), "rules": set()},
	"drop without ALL": {"review": app_sc({"capabilities": {"drop": ["NET_RAW"]}}), "rules": {"pss-capabilities-drop"}},
	"no capabilities": {
		"review": app_sc_exactly({"allowPrivilegeEscalation": false}),
		"rules": {"pss-capabilities-drop"},
	},
	"hostPath volume": {
		"review": spec({"volumes": [{"name": "docker", "hostPath": {"path": "/var/run/docker.sock", "type": "Socket"}}]}),
		"rules": {"pss-host-path", "pss-volume-types"},
	},
	"nfs volume": {
		"review": spec({"volumes": [{"name": "shared", "nfs": {"server": "10.0.0.5", "path": "/exports"}}]}),
		"rules": {"pss-volume-types"},
	},
	"allowed volume types": {
		"review": spec({"volumes": [
			{"name": "a", "configMap": {"name": "x"}}, {"name": "b", "secret": {"secretName": "x"}},
			{"name": "c", "emptyDir": {}}, {"name": "d", "persistentVolumeClaim": {"claimName": "x"}},
			{"name": "e", "projected": {"sources": []}}, {"name": "f", "downwardAPI": {"items": []}},
			{"name": "g", "csi": {"driver": "secrets-store.csi.k8s.io"}}, {"name": "h", "ephemeral": {"volumeClaimTemplate": {}}},
		]}),
		"rules": set(),
	},
	"host port": {"review": app({"ports": [{"containerPort": 8080, "hostPort": 8080, "protocol": "TCP"}]}), "rules": {"pss-host-ports"}},
	"host port zero is fine": {"review": app({"ports": [{"containerPort": 8080, "hostPort": 0}]}), "rules": set()},
	"AppArmor annotation unconfined": {
		"review": pod({"metadata": {"annotations": {"container.apparmor.security.beta.kubernetes.io/app": "unconfined"}}}),
		"rules": {"pss-apparmor"},
	},
	"AppArmor annotations allowed": {
		"review": pod({"metadata": {"annotations": {
			"container.apparmor.security.beta.kubernetes.io/app": "runtime/default",
			"container.apparmor.security.beta.kubernetes.io/sidecar": "localhost/k8s-nginx",
		}}}),
		"rules": set(),
	},
	"AppArmor pod profile unconfined": {
		"review": spec({"securityContext": {"appArmorProfile": {"type": "Unconfined"}}}),
		"rules": {"pss-apparmor"},
	},
	"AppArmor container profile unconfined": {"review": app_sc({"appArmorProfile": {"type": "Unconfined"}}), "rules": {"pss-apparmor"}},
	"AppArmor profiles allowed": {
		"review": object.union(
			spec({"securityContext": {"appArmorProfile": {"type": "RuntimeDefault"}}}),
			app_patch({"securityContext": {"appArmorProfile": {"type": "Localhost", "localhostProfile": "k8s-apparmor-example"}}}),
		),
		"rules": set(),
	},
	"SELinux type spc_t on the pod": {"review": spec({"securityContext": {"seLinuxOptions": {"type": "spc_t"}}}), "rules": {"pss-selinux"}},
	"SELinux type spc_t on a container": {"review": app_sc({"seLinuxOptions": {"type": "spc_t"}}), "rules": {"pss-selinux"}},
	"SELinux user": {"review": app_sc({"seLinuxOptions": {"user": "system_u"}}), "rules": {"pss-selinux"}},
	"SELinux role": {"review": spec({"securityContext": {"seLinuxOptions": {"role": "system_r"}}}), "rules": {"pss-selinux"}},
	"SELinux allowed type and level": {
		"review": app_sc({"seLinuxOptions": {"type": "container_t", "level": "s0:c123,c456"}}),
		"rules": set(),
	},
	"proc mount unmasked": {"review": app_sc({"procMount": "Unmasked"}), "rules": {"pss-proc-mount"}},
	"proc mount default": {"review": app_sc({"procMount": "Default"}), "rules": set()},
	"seccomp unconfined on the pod": {"review": spec({"securityContext": {"seccompProfile": {"type": "Unconfined"}}}), "rules": {"pss-seccomp"}},
	"seccomp unconfined on a container": {"review": app_sc({"seccompProfile": {"type": "Unconfined"}}), "rules": {"pss-seccomp"}},
	"seccomp nowhere": {
		"review": pod_sc_exactly(object.remove(good_pod_sc, ["seccompProfile"])),
		"rules": {"pss-seccomp"},
	},
	"seccomp on the container only": {
		"review": object.union(
			pod_sc_exactly(object.remove(good_pod_sc, ["seccompProfile"])),
			app_patch({"securityContext": {"seccompProfile": {"type": "Localhost", "localhostProfile": "profiles/audit.json"}}}),
		),
		"rules": set(),
	},
	"unsafe sysctl": {
		"review": spec({"securityContext": {"sysctls": [{"name": "kernel.msgmax", "value": "65536"}]}}),
		"rules": {"pss-sysctls"},
	},
	"safe sysctls": {
		"review": spec({"securityContext": {"sysctls": [
			{"name": "net.ipv4.tcp_syncookies", "value": "1"},
			{"name": "net.ipv4.ip_local_port_range", "value": "1024 65535"},
		]}}),
		"rules": set(),
	},
	"probe to another host": {
		"review": app({"readinessProbe": {"httpGet": {"host": "169.254.169.254", "path": "/latest/meta-data/", "port": 80}}}),
		"rules": {"pss-host-probes"},
	},
	"lifecycle hook to another host": {
		"review": app({"lifecycle": {"preStop": {"tcpSocket": {"host": "10.0.0.1", "port": 22}}}}),
		"rules": {"pss-host-probes"},
	},
	"probe with empty host": {"review": app({"livenessProbe": {"httpGet": {"host": ""}}}), "rules": set()},
	"privilege escalation allowed": {"review": app_sc({"allowPrivilegeEscalation": true}), "rules": {"pss-privilege-escalation"}},
	"privilege escalation unset": {
		"review": app_sc_exactly(object.remove(restricted_sc, ["allowPrivilegeEscalation"])),
		"rules": {"pss-privilege-escalation"},
	},
	"pod runs as root allowed": {"review": spec({"securityContext": {"runAsNonRoot": false}}), "rules": {"pss-run-as-non-root"}},
	"container overrides runAsNonRoot": {"review": app_sc({"runAsNonRoot": false}), "rules": {"pss-run-as-non-root"}},
	"runAsNonRoot nowhere": {
		"review": pod_sc_exactly(object.remove(good_pod_sc, ["runAsNonRoot"])),
		"rules": {"pss-run-as-non-root"},
	},
	"runAsNonRoot on the container only": {
		"review": object.union(pod_sc_exactly(object.remove(good_pod_sc, ["runAsNonRoot"])), app_patch({"securityContext": {"runAsNonRoot": true}})),
		"rules": set(),
	},
	"pod UID 0": {"review": spec({"securityContext": {"runAsUser": 0}}), "rules": {"pss-run-as-user"}},
	"container UID 0": {"review": app_sc({"runAsUser": 0}), "rules": {"pss-run-as-user"}},
	"init container breaks a rule": {
		"review": spec({"initContainers": [object.union(good_app, {"name": "init-db", "securityContext": {"privileged": true}})]}),
		"rules": {"pss-privileged"},
	},
}

test_pod_security_cases_trip_exactly_their_rules if {
	failed := {name: rules(d) |
		some name, c in pss_cases
		d := decide(c.review)
		rules(d) != c.rules
	}
	print("failed cases:", failed)
	count(failed) == 0
}

privileged(containers) := [object.union(c, {"securityContext": {"privileged": true}}) | some c in containers]

# Each workload kind keeps its pod template somewhere else; the check must find it in all of them.
workload_patches := {
	"deployment_create": {"spec": {"template": {"spec": {"containers": privileged(fixtures.deployment_create.request.object.spec.template.spec.containers)}}}},
	"statefulset_update": {"spec": {"template": {"spec": {"containers": privileged(fixtures.statefulset_update.request.object.spec.template.spec.containers)}}}},
	"daemonset_create": {"spec": {"template": {"spec": {"containers": privileged(fixtures.daemonset_create.request.object.spec.template.spec.containers)}}}},
	"job_create": {"spec": {"template": {"spec": {"containers": privileged(fixtures.job_create.request.object.spec.template.spec.containers)}}}},
	"cronjob_create": {"spec": {"jobTemplate": {"spec": {"template": {"spec": {"containers": privileged(fixtures.cronjob_create.request.object.spec.jobTemplate.spec.template.spec.containers)}}}}}},
	"pod_create": {"spec": {"containers": privileged(fixtures.pod_create.request.object.spec.containers)}},
}

test_pod_security_applies_to_every_workload_kind if {
	missed := {name |
		some name, patch in workload_patches
		d := decide(object.union(fixtures[name], {"request": {"object": patch}}))
		not "pss-privileged" in rules(d)
	}
	print("workload kinds without the check:", missed)
	count(missed) == 0
}

test_messages_name_the_container_and_path if {
	d := decide(spec({"initContainers": [object.union(good_app, {"name": "init-db", "securityContext": {"privileged": true}})]}))
	d.violations == [{
		"rule": "pss-privileged",
		"msg": "container \"init-db\" (spec.initContainers[0]): privileged containers are not allowed; remove securityContext.privileged or set it to false",
		"action": "deny",
	}]
}

test_pod_level_messages_name_the_field if {
	d := decide(object.union(fixtures.deployment_create, {"request": {"object": {"spec": {"template": {"spec": {"hostIPC": true}}}}}}))
	d.violations == [{
		"rule": "pss-host-namespaces",
		"msg": "spec.template.spec.hostIPC: sharing the node's namespaces is not allowed; remove hostIPC or set it to false",
		"action": "deny",
	}]
}

# --- kubectl debug: only the new ephemeral containers are checked ---------------------------------

debug := fixtures.pod_ephemeral_debug

debugger := debug.request.object.spec.ephemeralContainers[0]

with_debugger(patch) := object.union(debug, {"request": {"object": {"spec": {"ephemeralContainers": [object.union(debugger, patch)]}}}})

test_privileged_debug_container_is_denied if {
	d := decide(with_debugger({"securityContext": {"privileged": true}}))
	rules(d) == {"image-digest", "pss-privileged"}
	not d.allowed
}

test_debug_container_without_resources_is_fine if {
	d := decide(debug)
	d.allowed
	not "resources-requests" in rules(d)
}

test_debug_checks_skip_pod_level_fields if {
	d := decide(object.union(debug, {"request": {"object": {"spec": {"hostNetwork": true, "volumes": [{"name": "h", "hostPath": {"path": "/"}}]}}}}))
	rules(d) == {"image-digest"}
}

test_debug_container_inherits_the_pod_seccomp_profile if {
	no_profile := object.remove(debugger.securityContext, ["seccompProfile"])
	d := decide(object.union(debug, {"request": {"object": {"spec": {"ephemeralContainers": [object.union(object.remove(debugger, ["securityContext"]), {"securityContext": no_profile})]}}}}))
	rules(d) == {"image-digest"}
}
