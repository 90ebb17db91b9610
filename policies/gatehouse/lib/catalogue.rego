# METADATA
# title: Service catalogue
# description: >-
#   Where each service runs and which team owns it, read from data.gatehouse.services. This is
#   the only source of both: a namespace or owner typed into a request is checked against it,
#   never believed.
package gatehouse.lib.catalogue

# data.gatehouse.services: {"<service>": {"team": "<team>", "namespaces": [namespace]}}
default services := {}

services := data.gatehouse.services

# namespaces(service) is the set of namespaces the service runs in (empty when it is unknown).
namespaces(service) := {ns |
	some ns in object.get(services, [service, "namespaces"], [])
	is_string(ns)
}

# team(service) is the team that owns the service; undefined when the catalogue names none.
team(service) := t if {
	t := services[service].team
	is_string(t)
}

# known(service) holds when the catalogue lists the service with at least one namespace.
known(service) if count(namespaces(service)) > 0

# namespace_name(ns) holds for a valid Kubernetes namespace name (an RFC 1123 label): lower-case,
# so "PAYMENTS-PROD" is not a spelling of "payments-prod" but no namespace at all.
namespace_name(ns) if {
	is_string(ns)
	count(ns) <= 63
	regex.match(`^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, ns)
}
