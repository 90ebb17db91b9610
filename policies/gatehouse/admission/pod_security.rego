# Pod Security Standards, "restricted" profile (which includes "baseline"), applied to the pod
# template of every workload kind. Lists that teams commonly adjust (capabilities, volume types,
# sysctls, SELinux types) live in data.gatehouse.config.admission.pss.
package gatehouse.admission

pss := cfg.pss

volumes := object.get(template.spec, "volumes", []) if pod_level_checks

else := []

seccomp_types := {"RuntimeDefault", "Localhost"}

apparmor_types := {"RuntimeDefault", "Localhost"}

finding contains {"rule": "pss-host-process", "msg": msg} if {
	pod_level_checks
	pod_security_context.windowsOptions.hostProcess == true
	msg := sprintf("%s.securityContext.windowsOptions.hostProcess: Windows host process pods are not allowed; remove it or set it to false", [template.path])
}

finding contains {"rule": "pss-host-process", "msg": msg} if {
	some c in containers
	sc(c).windowsOptions.hostProcess == true
	msg := sprintf("%s: Windows host process containers are not allowed; remove securityContext.windowsOptions.hostProcess or set it to false", [c.label])
}

finding contains {"rule": "pss-host-namespaces", "msg": msg} if {
	pod_level_checks
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	template.spec[field] == true
	msg := sprintf("%s.%s: sharing the node's namespaces is not allowed; remove %s or set it to false", [template.path, field, field])
}

finding contains {"rule": "pss-privileged", "msg": msg} if {
	some c in containers
	sc(c).privileged == true
	msg := sprintf("%s: privileged containers are not allowed; remove securityContext.privileged or set it to false", [c.label])
}

finding contains {"rule": "pss-capabilities-add", "msg": msg} if {
	some c in containers
	some capability in object.get(sc(c), ["capabilities", "add"], [])
	not capability in pss.allowed_capabilities
	msg := sprintf(
		"%s: capability %v may not be added; securityContext.capabilities.add may only hold %s",
		[c.label, capability, concat(", ", pss.allowed_capabilities)],
	)
}

finding contains {"rule": "pss-capabilities-drop", "msg": msg} if {
	some c in containers
	not "ALL" in object.get(sc(c), ["capabilities", "drop"], [])
	msg := sprintf("%s: set securityContext.capabilities.drop to [\"ALL\"] and add back only what the process needs", [c.label])
}

finding contains {"rule": "pss-host-path", "msg": msg} if {
	some i, volume in volumes
	"hostPath" in object.keys(volume)
	msg := sprintf(
		"%s.volumes[%d] %q: hostPath volumes are not allowed; use a persistentVolumeClaim, emptyDir, configMap or secret instead",
		[template.path, i, object.get(volume, "name", "")],
	)
}

finding contains {"rule": "pss-host-ports", "msg": msg} if {
	some c in containers
	some port in object.get(c.spec, "ports", [])
	object.get(port, "hostPort", 0) != 0
	msg := sprintf("%s: hostPort %v is not allowed; remove ports[].hostPort and expose the port through a Service", [c.label, port.hostPort])
}

finding contains {"rule": "pss-apparmor", "msg": msg} if {
	pod_level_checks
	some key, value in object.get(template.metadata, "annotations", {})
	startswith(key, "container.apparmor.security.beta.kubernetes.io/")
	not apparmor_annotation_allowed(value)
	msg := sprintf("%s.annotations[%q]: AppArmor profile %v is not allowed; use runtime/default or localhost/<profile>", [template.metadata_path, key, value])
}

finding contains {"rule": "pss-apparmor", "msg": msg} if {
	pod_level_checks
	profile := pod_security_context.appArmorProfile.type
	not profile in apparmor_types
	msg := sprintf("%s.securityContext.appArmorProfile.type %v is not allowed; use RuntimeDefault or Localhost", [template.path, profile])
}

finding contains {"rule": "pss-apparmor", "msg": msg} if {
	some c in containers
	profile := sc(c).appArmorProfile.type
	not profile in apparmor_types
	msg := sprintf("%s: securityContext.appArmorProfile.type %v is not allowed; use RuntimeDefault or Localhost", [c.label, profile])
}

apparmor_annotation_allowed("runtime/default")

apparmor_annotation_allowed(value) if startswith(value, "localhost/")

# Where SELinux options are set: [where, options] for the pod and each checked container.
selinux_options contains [concat("", [template.path, ".securityContext"]), pod_security_context.seLinuxOptions] if {
	pod_level_checks
}

selinux_options contains [c.label, sc(c).seLinuxOptions] if some c in containers

finding contains {"rule": "pss-selinux", "msg": msg} if {
	some [where, options] in selinux_options
	object.get(options, "type", "") != ""
	not options.type in pss.allowed_selinux_types
	msg := sprintf(
		"%s: seLinuxOptions.type %v is not allowed; leave it unset or use one of %s",
		[where, options.type, concat(", ", pss.allowed_selinux_types)],
	)
}

finding contains {"rule": "pss-selinux", "msg": msg} if {
	some [where, options] in selinux_options
	some field in ["user", "role"]
	object.get(options, field, "") != ""
	msg := sprintf("%s: seLinuxOptions.%s may not be set; remove it", [where, field])
}

finding contains {"rule": "pss-proc-mount", "msg": msg} if {
	some c in containers
	object.get(sc(c), "procMount", "Default") != "Default"
	msg := sprintf("%s: securityContext.procMount %v is not allowed; remove it or set it to Default", [c.label, sc(c).procMount])
}

finding contains {"rule": "pss-seccomp", "msg": msg} if {
	pod_level_checks
	profile := pod_security_context.seccompProfile.type
	not profile in seccomp_types
	msg := sprintf("%s.securityContext.seccompProfile.type %v is not allowed; use RuntimeDefault or Localhost", [template.path, profile])
}

finding contains {"rule": "pss-seccomp", "msg": msg} if {
	some c in containers
	profile := sc(c).seccompProfile.type
	not profile in seccomp_types
	msg := sprintf("%s: securityContext.seccompProfile.type %v is not allowed; use RuntimeDefault or Localhost", [c.label, profile])
}

finding contains {"rule": "pss-seccomp", "msg": msg} if {
	some c in containers
	not sc(c).seccompProfile.type
	not pod_security_context.seccompProfile.type
	msg := sprintf("%s: no seccomp profile; set securityContext.seccompProfile.type: RuntimeDefault on the pod or the container", [c.label])
}

finding contains {"rule": "pss-sysctls", "msg": msg} if {
	pod_level_checks
	some sysctl in object.get(pod_security_context, "sysctls", [])
	not sysctl.name in pss.allowed_sysctls
	msg := sprintf("%s.securityContext.sysctls: %v is not a safe sysctl; remove it", [template.path, sysctl.name])
}

# Probes and lifecycle hooks must not reach other hosts (baseline since Kubernetes 1.34).
finding contains {"rule": "pss-host-probes", "msg": msg} if {
	some c in containers
	some where in [["livenessProbe"], ["readinessProbe"], ["startupProbe"], ["lifecycle", "postStart"], ["lifecycle", "preStop"]]
	some handler in ["httpGet", "tcpSocket"]
	host := object.get(c.spec, array.concat(where, [handler, "host"]), "")
	host != ""
	msg := sprintf("%s: %s.%s.host %v is not allowed; probes and hooks must target the pod itself, so remove host", [c.label, concat(".", where), handler, host])
}

finding contains {"rule": "pss-volume-types", "msg": msg} if {
	some i, volume in volumes
	some source in object.keys(volume)
	source != "name"
	not source in pss.allowed_volume_types
	msg := sprintf(
		"%s.volumes[%d] %q: %s volumes are not allowed; use one of %s",
		[template.path, i, object.get(volume, "name", ""), source, concat(", ", pss.allowed_volume_types)],
	)
}

finding contains {"rule": "pss-privilege-escalation", "msg": msg} if {
	some c in containers
	object.get(sc(c), "allowPrivilegeEscalation", true) != false
	msg := sprintf("%s: set securityContext.allowPrivilegeEscalation: false", [c.label])
}

# A container runs as non-root when it says so, or inherits it from the pod and does not override it.
finding contains {"rule": "pss-run-as-non-root", "msg": msg} if {
	some c in containers
	object.get(sc(c), "runAsNonRoot", object.get(pod_security_context, "runAsNonRoot", false)) != true
	msg := sprintf("%s: set securityContext.runAsNonRoot: true on the pod or the container, and run the image as a non-zero UID", [c.label])
}

finding contains {"rule": "pss-run-as-user", "msg": msg} if {
	pod_level_checks
	pod_security_context.runAsUser == 0
	msg := sprintf("%s.securityContext.runAsUser: 0 (root) is not allowed; use a non-zero UID", [template.path])
}

finding contains {"rule": "pss-run-as-user", "msg": msg} if {
	some c in containers
	sc(c).runAsUser == 0
	msg := sprintf("%s: securityContext.runAsUser 0 (root) is not allowed; use a non-zero UID", [c.label])
}
