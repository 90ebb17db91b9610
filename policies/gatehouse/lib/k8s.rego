# METADATA
# title: Kubernetes objects
# description: >-
#   Finds the pod template inside the workloads an AdmissionReview can carry, lists its containers
#   with the JSON path a user can fix, and splits image references the way the container runtime
#   resolves them.
package gatehouse.lib.k8s

# Where each workload kind keeps its pod template, keyed by "group/Kind" ("Kind" for the core group).
template_paths := {
	"Pod": [],
	"ReplicationController": ["spec", "template"],
	"apps/Deployment": ["spec", "template"],
	"apps/ReplicaSet": ["spec", "template"],
	"apps/StatefulSet": ["spec", "template"],
	"apps/DaemonSet": ["spec", "template"],
	"batch/Job": ["spec", "template"],
	"batch/CronJob": ["spec", "jobTemplate", "spec", "template"],
}

# kind_key(gvk) is "group/Kind", or just "Kind" for the core group.
kind_key(gvk) := gvk.kind if gvk.group == ""

else := concat("/", [gvk.group, gvk.kind])

# workload(request) holds when the request is about an object that carries a pod template.
workload(request) if kind_key(request.kind) in object.keys(template_paths)

# pod_template(object, gvk) is {metadata, spec, path, metadata_path}: the pod template of a
# workload object and the dotted paths of its spec and metadata ("spec.template.spec"), used in
# messages.
pod_template(obj, gvk) := {
	"metadata": object.get(tpl, "metadata", {}),
	"spec": tpl.spec,
	"path": concat(".", array.concat(path, ["spec"])),
	"metadata_path": concat(".", array.concat(path, ["metadata"])),
} if {
	path := template_paths[kind_key(gvk)]
	tpl := object.get(obj, path, null)
	is_object(tpl.spec)
}

container_fields := ["initContainers", "containers", "ephemeralContainers"]

# containers(template, fields) lists the containers of a pod template found under the given
# fields, each as {field, spec, label}; label names the container and where it is.
containers(tpl, fields) := [c |
	some field in fields
	some i, spec in object.get(tpl.spec, field, [])
	c := {
		"field": field,
		"spec": spec,
		"label": sprintf("container %q (%s.%s[%d])", [object.get(spec, "name", ""), tpl.path, field, i]),
	}
]

# image(ref) splits an image reference into the parts the runtime uses: registry ("docker.io"
# when none is given), name (with registry and Docker Hub's "library/" filled in), tag and digest
# ("" when absent).
image(ref) := {"registry": registry, "name": name, "tag": tag, "digest": digest} if {
	is_string(ref)
	[without_digest, digest] := split_once(ref, "@")
	segments := split(without_digest, "/")
	[last, tag] := split_once(segments[count(segments) - 1], ":")
	short := concat("/", array.concat(array.slice(segments, 0, count(segments) - 1), [last]))
	registry := registry_of(segments)
	name := full_name(short, segments)
}

# split_once(s, sep) is [before, after] the first sep in s, or [s, ""] without one.
split_once(s, sep) := [substring(s, 0, i), substring(s, i + count(sep), -1)] if {
	i := indexof(s, sep)
	i >= 0
} else := [s, ""]

# The first segment is a registry only when it looks like a host: has a dot or a port, or is localhost.
registry_host(first) if contains(first, ".")

registry_host(first) if contains(first, ":")

registry_host("localhost")

registry_of(segments) := segments[0] if {
	count(segments) > 1
	registry_host(segments[0])
} else := "docker.io"

full_name(short, segments) := short if {
	count(segments) > 1
	registry_host(segments[0])
} else := concat("/", ["docker.io", "library", short]) if {
	count(segments) == 1
} else := concat("/", ["docker.io", short])
