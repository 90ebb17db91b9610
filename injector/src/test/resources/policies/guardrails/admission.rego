# Test fixture for the webhook (not the shipped guardrails, which live in policies/): a small
# policy that follows the decision contract {allowed, violations[{rule, msg, action}], warnings[]}.
package gatehouse.admission

decision := {
	"allowed": count([v | some v in violations; v.action == "deny"]) == 0,
	"violations": violations,
	"warnings": notes,
}

# The pod spec of a Pod, or of a workload's template.
pod_spec := input.request.object.spec if input.request.kind.kind == "Pod"

pod_spec := input.request.object.spec.template.spec if {
	input.request.kind.kind in {"Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job"}
}

pod_spec := input.request.object.spec.jobTemplate.spec.template.spec if input.request.kind.kind == "CronJob"

containers contains c if {
	some c in pod_spec.containers
}

containers contains c if {
	some c in pod_spec.initContainers
}

violations contains {"rule": "privileged-container", "msg": sprintf("container %q is privileged", [c.name]), "action": "deny"} if {
	input.request.operation in {"CREATE", "UPDATE"}
	some c in containers
	c.securityContext.privileged == true
}

violations contains {"rule": "image-latest", "msg": sprintf("container %q uses %q; pin a version", [c.name, c.image]), "action": "warn"} if {
	input.request.operation in {"CREATE", "UPDATE"}
	some c in containers
	latest(c.image)
}

latest(image) if endswith(image, ":latest")

latest(image) if not contains(image, ":")

violations contains {"rule": "owner-label", "msg": "workloads need an owner label", "action": "dryrun"} if {
	input.request.operation in {"CREATE", "UPDATE"}
	input.request.kind.kind in {"Deployment", "StatefulSet", "DaemonSet"}
	not input.request.object.metadata.labels.owner
}

violations contains {"rule": "protected-delete", "msg": sprintf("deleting %s %q in protected namespace %q needs a break-glass", [input.request.kind.kind, input.request.name, input.request.namespace]), "action": "deny"} if {
	input.request.operation == "DELETE"
	input.request.namespace in data.gatehouse.protected_namespaces
	not input.request.oldObject.metadata.annotations["gatehouse.dev/break-glass"]
}

violations contains {"rule": "exec-needs-grant", "msg": sprintf("%s needs an active pod-exec grant for %s/%s", [input.request.userInfo.username, input.request.namespace, input.request.name]), "action": "deny"} if {
	input.request.operation == "CONNECT"
	input.request.subResource in {"exec", "attach", "portforward"}
	not exec_granted
}

violations contains {"rule": "ephemeral-needs-grant", "msg": "ephemeral containers need an active pod-exec grant", "action": "deny"} if {
	input.request.subResource == "ephemeralcontainers"
	not exec_granted
}

exec_granted if {
	some g in data.gatehouse.grants
	g.subject == input.request.userInfo.username
	g.target.kind == "pod-exec"
	g.target.namespace == input.request.namespace
	object.get(g.target, "pod", input.request.name) == input.request.name
	now := time.parse_rfc3339_ns(input.now)
	time.parse_rfc3339_ns(g.not_before) <= now
	now < time.parse_rfc3339_ns(g.expires_at)
}

notes contains "this request is a dry run" if input.request.dryRun == true

# Policy bug on purpose: two different decisions for the same input are a conflict error.
decision := {"allowed": true} if input.request.object.metadata.annotations["fixture/conflict"] == "yes"
