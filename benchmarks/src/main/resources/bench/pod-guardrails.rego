# A compact Kubernetes pod guardrail set: the checks most clusters start with.
package guardrails

containers contains c if some c in input.request.object.spec.containers

containers contains c if some c in input.request.object.spec.initContainers

violations contains {"rule": "privileged", "msg": msg} if {
	some c in containers
	c.securityContext.privileged
	msg := sprintf("container %q must not run privileged: remove securityContext.privileged", [c.name])
}

violations contains {"rule": "run-as-non-root", "msg": msg} if {
	some c in containers
	not c.securityContext.runAsNonRoot
	not input.request.object.spec.securityContext.runAsNonRoot
	msg := sprintf("container %q must set securityContext.runAsNonRoot: true", [c.name])
}

violations contains {"rule": "host-namespaces", "msg": "pod must not share host namespaces"} if {
	some field in ["hostNetwork", "hostPID", "hostIPC"]
	input.request.object.spec[field]
}

violations contains {"rule": "host-path", "msg": msg} if {
	some v in input.request.object.spec.volumes
	v.hostPath
	msg := sprintf("volume %q must not use hostPath", [v.name])
}

violations contains {"rule": "image-tag", "msg": msg} if {
	some c in containers
	not contains(c.image, "@sha256:")
	endswith(c.image, ":latest")
	msg := sprintf("container %q must pin its image by tag or digest, not :latest", [c.name])
}

violations contains {"rule": "registry", "msg": msg} if {
	some c in containers
	not allowed_registry(c.image)
	msg := sprintf("image %q is not from an allowed registry", [c.image])
}

violations contains {"rule": "resources", "msg": msg} if {
	some c in containers
	some kind in ["requests", "limits"]
	some res in ["cpu", "memory"]
	not c.resources[kind][res]
	msg := sprintf("container %q must set resources.%s.%s", [c.name, kind, res])
}

allowed_registry(image) if {
	some prefix in data.allowed_registries
	startswith(image, prefix)
}

decision := {"allowed": count(violations) == 0, "violations": violations}
