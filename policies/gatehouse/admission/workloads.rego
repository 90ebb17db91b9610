# Supply chain, resources and ownership: where images come from and how they are pinned, what a
# container asks of its node, and who owns a workload.
package gatehouse.admission

import data.gatehouse.lib.identity
import data.gatehouse.lib.k8s

# --- Images --------------------------------------------------------------------------------------

images contains [c.label, c.spec.image, k8s.image(c.spec.image)] if some c in containers

finding contains {"rule": "image-registry", "msg": msg} if {
	some [where, ref, image] in images
	not registry_allowed(image.name)
	msg := sprintf(
		"%s: image %v is not from an allowed registry (%s); push it to one of them and deploy it from there",
		[where, ref, concat(", ", cfg.allowed_registries)],
	)
}

# An allowed entry is a registry ("ghcr.io") or a registry path ("ghcr.io/acme"); it matches whole
# path segments only, so "ghcr.io.evil.example" is not "ghcr.io".
registry_allowed(name) if {
	some allowed in cfg.allowed_registries
	startswith(name, concat("", [trim_suffix(allowed, "/"), "/"]))
}

finding contains {"rule": "image-tag", "msg": msg} if {
	some [where, ref, image] in images
	image.digest == ""
	image.tag in {"", "latest"}
	msg := sprintf("%s: image %v follows a moving tag; pin a version tag or a digest (%s:1.2.3 or %s@sha256:...)", [where, ref, image.name, image.name])
}

finding contains {"rule": "image-digest", "msg": msg} if {
	some [where, ref, image] in images
	image.digest == ""
	msg := sprintf("%s: image %v is not pinned by digest; use %s@sha256:<digest> so that what runs is what was reviewed", [where, ref, image.name])
}

# --- Resources -----------------------------------------------------------------------------------

# Ephemeral containers cannot declare resources, so only regular and init containers are checked.
finding contains {"rule": "resources-requests", "msg": msg} if {
	some c in containers
	c.field != "ephemeralContainers"
	some resource in cfg.required_requests
	object.get(c.spec, ["resources", "requests", resource], "") == ""
	msg := sprintf("%s: set resources.requests.%s so the scheduler can place the pod", [c.label, resource])
}

finding contains {"rule": "resources-limits", "msg": msg} if {
	some c in containers
	c.field != "ephemeralContainers"
	some resource in cfg.required_limits
	object.get(c.spec, ["resources", "limits", resource], "") == ""
	msg := sprintf("%s: set resources.limits.%s so one pod cannot starve its node", [c.label, resource])
}

# --- Ownership -----------------------------------------------------------------------------------

# Labels are checked on the object people write: the workload, or a pod nobody controls. Pods
# made by a controller carry the template's labels, which were checked on the workload.
labels_checked if {
	template
	subresource == ""
	not controlled_pod
}

# A controlled pod is one a controller created: the API server does not verify ownerReferences
# (anyone may write "controller: true"), so the claim counts only when the request comes from one
# of the controller_users.
controlled_pod if {
	req.kind.kind == "Pod"
	controller
	some owner in object.get(req.object, ["metadata", "ownerReferences"], [])
	owner.controller == true
}

finding contains {"rule": "ownership-labels", "msg": msg} if {
	labels_checked
	some label in cfg.required_labels
	not identity.nonblank(object.get(req.object, ["metadata", "labels", label], ""))
	msg := sprintf("%s %s has no %s label; add it under metadata.labels so its owner can be found", [req.kind.kind, object_name, label])
}
