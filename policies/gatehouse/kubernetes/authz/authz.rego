# METADATA
# title: Kubernetes authorization webhook
# description: >-
#   Decides the API server's SubjectAccessReviews (authorization.k8s.io/v1) from the live grants:
#   a request is allowed when an active {kind: namespace} grant of the requesting user, in the
#   request's namespace, has a role whose rules (data.gatehouse.config.kubernetes.namespace_roles)
#   cover the verb, API group and resource. Everything else gets no opinion (allowed and denied
#   both false), so the next authorizer (RBAC) decides: grants only ever add access, and when
#   Gatehouse cannot answer, what it granted is simply not there (fail closed for what it governs,
#   without overriding RBAC bindings the cluster's administrators manage).
package gatehouse.kubernetes.authz

import data.gatehouse.lib.grants

roles := data.gatehouse.config.kubernetes.namespace_roles

default spec := {}

spec := input.spec if is_object(input.spec)

default attrs := {}

attrs := spec.resourceAttributes if is_object(spec.resourceAttributes)

default user := ""

user := spec.user if is_string(spec.user)

default namespace := ""

namespace := attrs.namespace if is_string(attrs.namespace)

group := object.get(attrs, "group", "")

verb := object.get(attrs, "verb", "")

# The resource as RBAC rules name it: "pods", or "pods/log" for a subresource.
resource := attrs.resource if object.get(attrs, "subresource", "") == ""

resource := concat("/", [attrs.resource, attrs.subresource]) if object.get(attrs, "subresource", "") != ""

# Only requests for a namespaced resource by a named user can be covered by a namespace grant.
namespaced_request if {
	user != ""
	namespace != ""
	verb != ""
	is_string(resource)
}

# role_rules(role) are the role's rules and those of every role it lists in "includes" (not
# followed further: a role lists everything it includes).
role_rules(role) := array.concat(
	object.get(roles[role], "rules", []),
	[r | some inc in object.get(roles[role], "includes", []); some r in object.get(roles[inc], "rules", [])],
)

matches(values, _) if "*" in values

matches(values, v) if v in values

covers(rule) if {
	matches(rule.api_groups, group)
	matches(rule.resources, resource)
	matches(rule.verbs, verb)
}

# The user's namespace grants for this request's namespace, in force or not.
candidates := [g |
	namespaced_request
	some g in grants.of(user, "namespace")
	g.target.namespace == namespace
]

# covering is the set of ids of the active grants whose role covers the request.
covering contains g.id if {
	some g in candidates
	grants.active(g, input.now)
	some rule in role_rules(g.target.role)
	covers(rule)
}

# Always defined: allowed with the covering grant, else no opinion with the reason.
decision := {"allowed": true, "denied": false, "reason": reason, "grant_id": id} if {
	id := min(covering)
	some g in candidates
	g.id == id
	reason := sprintf(
		"gatehouse grant %s (role %s in %s, until %s) lets %s %s %s",
		[id, g.target.role, namespace, g.expires_at, user, verb, resource],
	)
} else := {"allowed": false, "denied": false, "reason": no_opinion}

# Why Gatehouse has no opinion (RBAC decides), for the API server's audit log.
no_opinion := "gatehouse decides only namespaced resource requests of a named user" if {
	not namespaced_request
} else := msg if {
	some g in candidates
	not grants.active(g, input.now)
	msg := sprintf("%s; RBAC decides", [grants.why_inactive(g, input.now)])
} else := msg if {
	some g in candidates
	msg := sprintf(
		"grant %s (role %s) does not cover %s %s (group %q); RBAC decides",
		[g.id, g.target.role, verb, resource, group],
	)
} else := sprintf("no gatehouse grant for %s in namespace %s; RBAC decides", [user, namespace])
