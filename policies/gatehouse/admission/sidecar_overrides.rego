# Sidecar overrides: in namespaces that require the Gatehouse sidecar, a pod may not switch it
# off (gatehouse.dev/inject: "false") or point it elsewhere (another image, another bundle
# service), unless admission.sidecar_overrides.allowed lets this user or group do this override
# in this namespace. The injector pins the image and bundle URL too; this rule also refuses what
# the injector cannot see (a template changed after injection, a namespace not labelled for it).
package gatehouse.admission

import data.gatehouse.lib.identity

overrides_cfg := cfg.sidecar_overrides

sidecar_required if {
	some pattern in overrides_cfg.required_namespaces
	glob.match(pattern, [], namespace)
}

# Each override a pod template asks for: [id, where, what it does].
overrides contains ["opt-out", sprintf("%s %s", [kind, "gatehouse.dev/inject=false"]), "switches off the Gatehouse sidecar, which"] if {
	some kind in ["label", "annotation"]
	object.get(template.metadata, [concat("", [kind, "s"]), "gatehouse.dev/inject"], "") == "false"
}

overrides contains ["image", "annotation sidecar.gatehouse.dev/image", "overrides the Gatehouse sidecar image, which"] if {
	object.get(template.metadata, ["annotations", "sidecar.gatehouse.dev/image"], null) != null
}

overrides contains ["bundle-url", "annotation sidecar.gatehouse.dev/bundle-service-url", "points the Gatehouse sidecar at another policy bundle service, which"] if {
	object.get(template.metadata, ["annotations", "sidecar.gatehouse.dev/bundle-service-url"], null) != null
}

# override_allowed(id) holds when an entry {overrides, namespaces, users?, groups?} of
# sidecar_overrides.allowed covers this override, namespace and requesting user.
override_allowed(id) if {
	some entry in overrides_cfg.allowed
	id in entry.overrides
	some pattern in entry.namespaces
	glob.match(pattern, [], namespace)
	override_by(entry)
}

override_by(entry) if requester in object.get(entry, "users", [])

override_by(entry) if identity.in_groups(requester_person, object.get(entry, "groups", []))

finding contains {"rule": "sidecar-override", "msg": msg} if {
	subresource == ""
	not controlled_pod
	sidecar_required
	some [id, where, what] in overrides
	not override_allowed(id)
	msg := sprintf(
		"%s %s (%s): %s %s namespace %s %s; remove it (admission.sidecar_overrides.allowed lists who may override what, where)",
		[req.kind.kind, object_name, template.metadata_path, where, what, namespace, pins[id]],
	)
}

pins := {"opt-out": "requires", "image": "pins", "bundle-url": "pins"}
