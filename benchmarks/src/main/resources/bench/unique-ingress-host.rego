# Gatekeeper's unique-ingress-host check (k8suniqueingresshost), over the replicated inventory:
# data.inventory.namespace[ns][apiVersion][kind][name]. The equality on the other ingress's hosts
# comes right after the iteration, so the engine can look the host up instead of scanning.
package k8suniqueingresshost

violation contains {"msg": msg} if {
	input.review.kind.kind == "Ingress"
	regex.match(`^(extensions|networking.k8s.io)$`, input.review.kind.group)
	some rule in input.review.object.spec.rules
	host := rule.host
	other := data.inventory.namespace[ns][otherapiversion].Ingress[name]
	other.spec.rules[_].host == host
	regex.match(`^(extensions|networking.k8s.io)/.+$`, otherapiversion)
	not identical(other, input.review)
	msg := sprintf("ingress host conflicts with an existing ingress <%v>", [host])
}

identical(obj, review) if {
	obj.metadata.namespace == review.object.metadata.namespace
	obj.metadata.name == review.object.metadata.name
}
