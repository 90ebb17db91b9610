# Interactive access to running pods (kubectl exec, attach, port-forward and debug, and the API
# server's proxy to a pod) needs an active pod-exec grant for the requesting user that covers the
# pod, and the container and command when the grant names them. The proxy to a service reaches
# whichever pod serves it, so only a grant for every pod of the namespace (no pod named) covers it.
package gatehouse.admission

import data.gatehouse.lib.grants
import data.gatehouse.lib.identity

# The kind of pod access asked for, named by its subresource.
pod_access := req.subResource if {
	req.operation == "CONNECT"
	req.resource.group == ""
	req.resource.resource == "pods"
	req.subResource in {"exec", "attach", "portforward", "proxy"}
} else := "service-proxy" if {
	req.operation == "CONNECT"
	req.resource.group == ""
	req.resource.resource == "services"
	req.subResource == "proxy"
} else := "ephemeralcontainers" if {
	req.operation == "UPDATE"
	req.resource.group == ""
	req.resource.resource == "pods"
	req.subResource == "ephemeralcontainers"
}

commands := {
	"exec": "kubectl exec",
	"attach": "kubectl attach",
	"portforward": "kubectl port-forward",
	"proxy": "the API server proxy (pods/proxy)",
	"service-proxy": "the API server proxy (services/proxy)",
	"ephemeralcontainers": "kubectl debug",
}

pod_name := req.name if identity.nonblank(req.name)

else := "?"

# Grants of this user for pods of this namespace and name, whatever their container or command.
pod_grants := [g |
	some g in grants.of(requester, "pod-exec")
	g.target.namespace == namespace
	pod_matches(g)
]

# The ones whose container and command restrictions this request satisfies. A restriction the
# request cannot show it meets (port-forward has no container) is not met.
covering_pod_grants := [g | some g in pod_grants; container_matches(g); command_matches(g)]

pod_grant_id := min(ids) if {
	ids := {g.id | some g in covering_pod_grants; grants.active(g, input.now)}
	count(ids) > 0
}

pod_matches(g) if not identity.nonblank(object.get(g.target, "pod", ""))

pod_matches(g) if {
	pod_access != "service-proxy"
	glob.match(g.target.pod, [], pod_name)
}

container_matches(g) if not identity.nonblank(object.get(g.target, "container", ""))

container_matches(g) if {
	pod_access in {"exec", "attach"}
	g.target.container == req.object.container
}

command_matches(g) if object.get(g.target, "command", null) == null

command_matches(g) if {
	pod_access == "exec"
	g.target.command == req.object.command
}

finding contains {"rule": "pod-connect-grant", "msg": msg} if {
	pod_access
	pod_access != "service-proxy"
	not pod_grant_id
	msg := sprintf(
		"%s into pod %s/%s needs an active pod-exec grant for %s%s. Ask for one: gatehouse request create --pod-exec %s/%s --for 30m --reason '<why>'",
		[commands[pod_access], namespace, pod_name, requester, pod_grant_note, namespace, pod_name],
	)
}

finding contains {"rule": "pod-connect-grant", "msg": msg} if {
	pod_access == "service-proxy"
	not pod_grant_id
	msg := sprintf(
		"%s to service %s/%s needs an active pod-exec grant for %s for every pod of %s%s. Ask for one: gatehouse request create --pod-exec '%s/*' --for 30m --reason '<why>'",
		[commands[pod_access], namespace, pod_name, requester, namespace, pod_grant_note, namespace],
	)
}

pod_grant_note := sprintf(" (%s)", [grants.why_inactive(covering_pod_grants[0], input.now)]) if {
	count(covering_pod_grants) > 0
} else := sprintf(" (grant %s is limited to another container or command)", [pod_grants[0].id]) if {
	count(pod_grants) > 0
} else := ""
