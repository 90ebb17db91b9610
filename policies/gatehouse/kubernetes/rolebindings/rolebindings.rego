# METADATA
# title: RoleBindings for namespace grants
# description: >-
#   The RoleBindings the control plane keeps in the cluster (with --kube-rolebindings): one per
#   active {kind: namespace} grant whose role maps to a ClusterRole in
#   data.gatehouse.config.kubernetes.namespace_roles, binding the grant's subject to that
#   ClusterRole in the grant's namespace. The ClusterRole comes from this data, never from what the
#   requester typed; a role with no mapping gets no binding (listed in unmapped).
package gatehouse.kubernetes.rolebindings

import data.gatehouse.lib.grants

roles := data.gatehouse.config.kubernetes.namespace_roles

sa_prefix := "system:serviceaccount:"

# desired is the list of RoleBindings that should exist at input.now, by grant id.
desired := [b |
	some g in grants.issued
	g.target.kind == "namespace"
	grants.active(g, input.now)
	cluster_role := roles[g.target.role].cluster_role
	b := {
		"name": concat("", ["gatehouse-", lower(g.id)]),
		"namespace": g.target.namespace,
		"grant_id": g.id,
		"role": g.target.role,
		"cluster_role": cluster_role,
		"subject": subject(g.subject),
		"expires_at": g.expires_at,
	}
]

# unmapped is the set of ids of active namespace grants whose role names no ClusterRole.
unmapped contains g.id if {
	some g in grants.issued
	g.target.kind == "namespace"
	grants.active(g, input.now)
	not roles[g.target.role].cluster_role
}

# subject(name) is the RBAC subject for a grant's subject: a ServiceAccount for
# system:serviceaccount:NS:NAME, a User otherwise (the name as the authenticator gives it).
subject(name) := {"kind": "ServiceAccount", "namespace": parts[2], "name": parts[3]} if {
	startswith(name, sa_prefix)
	parts := split(name, ":")
	count(parts) == 4
} else := {"kind": "User", "apiGroup": "rbac.authorization.k8s.io", "name": name}
