# Protected namespaces: creating, changing or deleting workloads there needs an active deploy
# grant for the requesting user, or a time-boxed break-glass annotation, which notifies.
package gatehouse.admission

import data.gatehouse.lib.clock
import data.gatehouse.lib.grants
import data.gatehouse.lib.identity
import data.gatehouse.lib.k8s

default requester := ""

requester := req.userInfo.username

protected if {
	some pattern in cfg.protected_namespaces
	glob.match(pattern, [], namespace)
}

# Controllers act on objects that were admitted already (a ReplicaSet creating the pods of an
# admitted Deployment, the garbage collector deleting them); their requests are not deploys.
controller if requester in cfg.controller_users

# Kubelets finish deleting the pods of their node (after the grace period) as system:node:NAME.
controller if {
	some g in object.get(req.userInfo, "groups", [])
	g in object.get(cfg, "controller_groups", [])
}

deploy_request if {
	k8s.workload(req)
	req.operation in {"CREATE", "UPDATE", "DELETE"}
	subresource == ""
	protected
	not controller
}

deploy_grant_id := min(ids) if {
	ids := {g.id |
		some g in grants.of(requester, "namespace")
		g.target.namespace == namespace
		g.target.role in cfg.deploy_grant_roles
		grants.active(g, input.now)
	}
	count(ids) > 0
}

finding contains {"rule": "protected-namespace-deploy", "msg": msg} if {
	deploy_request
	not deploy_grant_id
	not break_glass
	msg := sprintf(
		"%s %s %s in protected namespace %s needs an active deploy grant for %s%s. Ask for one: gatehouse request create --namespace %s --role deploy --for 1h --reason '<why>'. In an emergency, annotate it with %s: <reason> and %s: <RFC 3339 time at most %s ahead> (break-glass: security is notified)",
		[
			lower(req.operation), req.kind.kind, object_name, namespace, requester, break_glass_problem,
			namespace, cfg.break_glass.annotation, cfg.break_glass.expires_annotation, cfg.break_glass.max_duration,
		],
	)
}

# --- Break-glass ---------------------------------------------------------------------------------

# The object the request is about: the new one, or the old one when it is being deleted.
annotated := req.object if is_object(req.object)

else := req.oldObject if is_object(req.oldObject)

else := {}

object_name := req.name if identity.nonblank(req.name)

else := annotated.metadata.name if identity.nonblank(annotated.metadata.name)

else := concat("", [object.get(annotated, ["metadata", "generateName"], ""), "*"])

break_glass_annotations := object.get(annotated, ["metadata", "annotations"], {})

break_glass_reason := object.get(break_glass_annotations, cfg.break_glass.annotation, "")

break_glass_expires := object.get(break_glass_annotations, cfg.break_glass.expires_annotation, "")

# Break-glass needs a reason and an expiry no further ahead than allowed, so an annotation left
# on an object cannot open the namespace again later, and someone the policy trusts with it.
break_glass if {
	break_glass_window
	break_glass_eligible
}

break_glass_window if {
	identity.nonblank(break_glass_reason)
	clock.ns(input.now) < clock.ns(break_glass_expires)
	clock.ns(break_glass_expires) <= clock.ns(input.now) + clock.duration_ns(cfg.break_glass.max_duration)
}

# Who may break glass: listed users and groups (exact names, as the authenticator gives them),
# and, when owning_team_on_call is set, whoever is on call for a team owning the namespace.
requester_person := {"user": requester, "groups": object.get(req, ["userInfo", "groups"], [])}

break_glass_eligible if requester in object.get(cfg.break_glass, "eligible_users", [])

break_glass_eligible if identity.in_groups(requester_person, object.get(cfg.break_glass, "eligible_groups", []))

break_glass_eligible if {
	cfg.break_glass.owning_team_on_call == true
	some team in identity.owners({"kind": "namespace", "namespace": namespace})
	identity.on_call(requester_person, team)
}

break_glass_problem := "" if {
	break_glass_reason == ""
	break_glass_expires == ""
} else := sprintf("; break-glass is limited to %s", [break_glass_who]) if {
	not break_glass_eligible
} else := sprintf("; the break-glass annotation %s needs a reason", [cfg.break_glass.annotation]) if {
	not identity.nonblank(break_glass_reason)
} else := sprintf("; the break-glass annotation %s must be an RFC 3339 time", [cfg.break_glass.expires_annotation]) if {
	not clock.ns(break_glass_expires)
} else := sprintf("; the break-glass window ended at %s", [break_glass_expires]) if {
	clock.ns(break_glass_expires) <= clock.ns(input.now)
} else := sprintf("; the break-glass expiry %s is more than %s ahead", [break_glass_expires, cfg.break_glass.max_duration])

break_glass_who := concat(" or ", who_may_break_glass) if count(who_may_break_glass) > 0

else := "nobody: data.gatehouse.config.admission.break_glass lists no one"

who_may_break_glass := array.concat(
	array.concat(object.get(cfg.break_glass, "eligible_users", []), eligible_groups_named),
	on_call_named,
)

eligible_groups_named := [sprintf("members of %s", [concat(", ", cfg.break_glass.eligible_groups)])] if {
	count(object.get(cfg.break_glass, "eligible_groups", [])) > 0
} else := []

on_call_named := [sprintf("whoever is on call for a team owning %s", [namespace])] if {
	cfg.break_glass.owning_team_on_call == true
} else := []

break_glass_used if {
	deploy_request
	not deploy_grant_id
	break_glass
}

# The decision records every break-glass use, so the webhook can annotate, log and notify.
default break_glass_record := null

break_glass_record := {
	"user": requester,
	"reason": break_glass_reason,
	"expires": break_glass_expires,
	"operation": req.operation,
	"kind": req.kind.kind,
	"namespace": namespace,
	"name": object_name,
} if break_glass_used

dry_run if req.dryRun == true

# A dry run changes nothing, so nobody is paged for it.
notify contains channel if {
	break_glass_used
	not dry_run
	some channel in cfg.break_glass.notify
}

notify contains channel if {
	break_glass_used
	not dry_run
	team := object.get(annotated, ["metadata", "labels", "gatehouse.dev/team"], "")
	identity.teams[team]
	some channel in identity.channels(team)
}

# Break-glass is a finding of its own (warn by default), so every use is in the decision log,
# in the webhook's audit annotations and in front of the user.
finding contains {"rule": "break-glass", "msg": msg} if {
	break_glass_used
	msg := sprintf(
		"%s %s %s in %s by %s (%s) until %s; %s notified and a post-hoc review is required",
		[
			lower(req.operation), req.kind.kind, object_name, namespace, requester, break_glass_reason,
			break_glass_expires, concat(", ", cfg.break_glass.notify),
		],
	)
}
