# METADATA
# title: JIT access requests
# description: >-
#   Decides whether an access request may be filed and what it needs: how long it may last, how
#   many approvals, whether it is approved automatically, whether it is break-glass and who hears
#   about it. Input: {request, now}. Settings: data.gatehouse.config.jit.
package gatehouse.jit.request

import data.gatehouse.lib.catalogue
import data.gatehouse.lib.clock
import data.gatehouse.lib.identity

cfg := data.gatehouse.config.jit

req := input.request

decision := {
	"valid": count(violation) == 0,
	"violations": sort(violation),
	"max_duration": max_duration,
	"required_approvals": required_approvals,
	"auto_approve": auto_approve,
	"break_glass": break_glass,
	"notify": sort(notify),
	"post_hoc_review": break_glass,
	"target_class": target_class.name,
	"access_level": level,
}

# --- What is asked for -------------------------------------------------------------------------

target_kinds := {"service", "namespace", "pod-exec"}

# The risk levels an access asks for; a service request may ask for several actions.
levels contains cfg.service_action_levels[action] if {
	req.target.kind == "service"
	some action in req.target.actions
}

levels contains cfg.namespace_role_levels[req.target.role] if req.target.kind == "namespace"

levels contains "exec" if req.target.kind == "pod-exec"

# The riskiest level asked for. A target we cannot read counts as the riskiest.
default level := "exec"

level := [l | some l in ["exec", "write", "read"]; l in levels][0]

# The namespaces the access is for, which decide its class. A service's come from the catalogue:
# the one the request names if the service runs there, else every namespace it runs in, so a
# made-up or mistyped namespace never picks a weaker class. Other targets are namespaces
# themselves; the API server knows them by exact (lower-case) name.
class_namespaces := {req.target.namespace} if {
	req.target.kind == "service"
	req.target.namespace in service_namespaces
} else := service_namespaces if {
	req.target.kind == "service"
	count(service_namespaces) > 0
} else := {req.target.namespace} if {
	namespace_named
} else := set()

service_namespaces := catalogue.namespaces(req.target.service)

# The first class in data whose namespace patterns match one of those namespaces (the strictest,
# as classes are listed strictest first), else the default class.
class_matches contains i if {
	some ns in class_namespaces
	some i, class in cfg.classes
	some pattern in class.namespaces
	glob.match(pattern, [], ns)
}

target_class := cfg.classes[min(class_matches)] if count(class_matches) > 0

else := cfg.default_class

owning_teams := identity.owners(req.target)

default break_glass := false

break_glass if req.break_glass == true

# --- What the request gets ---------------------------------------------------------------------

# Break-glass access is the shortest there is, whatever the target's class allows.
max_duration := cfg.break_glass.max_duration if {
	break_glass
	clock.duration_ns(cfg.break_glass.max_duration) < clock.duration_ns(target_class.max_duration)
} else := target_class.max_duration

# How many distinct approvals the risk calls for; at least one, and two if data forgot the level.
# For break-glass requests this is the quorum of the post-hoc review.
risk_approvals := max([1, object.get(target_class.approvals, level, 2)])

required_approvals := 0 if auto_approve

else := 0 if break_glass

else := risk_approvals

# Low-risk requests from someone on call for a team owning the target need no human approval.
default auto_approve := false

auto_approve if {
	count(violation) == 0
	not break_glass
	level in target_class.auto_approve_levels
	some team in owning_teams
	identity.member(req.requester, team)
	identity.on_call(req.requester, team)
}

notify contains channel if {
	some team in owning_teams
	some channel in identity.channels(team)
}

notify contains channel if {
	break_glass
	some channel in cfg.break_glass.notify
}

# --- Violations: each says what is wrong and how to fix it -------------------------------------

violation contains {"rule": "input", "msg": "input.request must be an access request object"} if {
	not request_is_object
}

violation contains {"rule": "now", "msg": "input.now must be the current time as an RFC 3339 string"} if {
	not now_ok
}

violation contains {"rule": "requester", "msg": "request.requester.user must name the person asking for access"} if {
	not requester_named
}

violation contains {"rule": "target", "msg": "request.target.kind must be one of: namespace, pod-exec, service"} if {
	not kind_known
}

violation contains {"rule": "target", "msg": "request.target.namespace must name the namespace the access is for"} if {
	req.target.kind != "service"
	not namespace_named
}

violation contains {"rule": "target", "msg": msg} if {
	namespace_named
	not catalogue.namespace_name(req.target.namespace)
	msg := sprintf("request.target.namespace %q is not a Kubernetes namespace name (lower-case letters, digits and -)", [req.target.namespace])
}

# A service request may name the namespace; if it does, the catalogue must agree.
violation contains {"rule": "target", "msg": msg} if {
	req.target.kind == "service"
	namespace_named
	count(service_namespaces) > 0
	not req.target.namespace in service_namespaces
	msg := sprintf(
		"request.target.namespace %s is not where %s runs (%s); leave it out or name one of those",
		[req.target.namespace, req.target.service, concat(", ", sort(service_namespaces))],
	)
}

violation contains {"rule": "target", "msg": "request.target.service must name the service for a service request"} if {
	req.target.kind == "service"
	not service_named
}

violation contains {"rule": "target", "msg": msg} if {
	req.target.kind == "service"
	not actions_listed
	msg := sprintf("request.target.actions must list what you need to do, from: %s", [known(cfg.service_action_levels)])
}

violation contains {"rule": "target", "msg": msg} if {
	req.target.kind == "service"
	some action in req.target.actions
	not cfg.service_action_levels[action]
	msg := sprintf("request.target.actions: unknown action %v; use one of: %s", [action, known(cfg.service_action_levels)])
}

violation contains {"rule": "target", "msg": msg} if {
	req.target.kind == "namespace"
	not role_known
	msg := sprintf("request.target.role: unknown role %v; use one of: %s", [req.target.role, known(cfg.namespace_role_levels)])
}

violation contains {"rule": "eligibility", "msg": msg} if {
	requester_named
	target_identified
	not eligible
	count(owning_teams) > 0
	msg := sprintf(
		"%s is not in a team that owns this target (owners: %s); ask one of them to add you to data.gatehouse.teams",
		[req.requester.user, concat(", ", sort(owning_teams))],
	)
}

violation contains {"rule": "eligibility", "msg": msg} if {
	requester_named
	target_identified
	not eligible
	count(owning_teams) == 0
	msg := unowned
}

violation contains {"rule": "duration", "msg": msg} if {
	not duration_ok
	msg := sprintf("request.duration %v is not a duration such as \"30m\" or \"2h\"", [req.duration])
}

violation contains {"rule": "duration", "msg": "request.duration must be longer than zero"} if {
	clock.duration_ns(req.duration) == 0
}

violation contains {"rule": "duration", "msg": msg} if {
	clock.duration_ns(req.duration) > clock.duration_ns(max_duration)
	msg := sprintf(
		"request.duration %s is longer than the %s allowed for %s; ask for %s or less and renew if you still need it",
		[req.duration, max_duration, allowance_of, max_duration],
	)
}

violation contains {"rule": "justification", "msg": msg} if {
	not justified
	msg := sprintf("request.justification must say why you need access (at least %d characters)", [cfg.min_justification_length])
}

violation contains {"rule": "ticket", "msg": msg} if {
	target_class.require_ticket == true
	not break_glass
	not ticket_ok
	msg := sprintf(
		"%s access needs request.ticket naming the change or incident (matching %s)",
		[target_class.name, cfg.ticket_pattern],
	)
}

violation contains {"rule": "schedule", "msg": "request.start_at must be an RFC 3339 time such as 2025-06-02T14:00:00Z"} if {
	scheduled
	not start_ok
}

violation contains {"rule": "schedule", "msg": "request.start_at is in the past; leave it out to start now"} if {
	clock.ns(req.start_at) < clock.ns(input.now) - clock.duration_ns(cfg.clock_skew)
}

violation contains {"rule": "schedule", "msg": msg} if {
	clock.ns(req.start_at) > clock.ns(input.now) + clock.duration_ns(cfg.max_schedule_ahead)
	msg := sprintf("request.start_at is more than %s ahead; file the request closer to the time", [cfg.max_schedule_ahead])
}

violation contains {"rule": "schedule", "msg": "break-glass access starts now; remove request.start_at"} if {
	break_glass
	clock.ns(req.start_at) > clock.ns(input.now) + clock.duration_ns(cfg.clock_skew)
}

# --- Helpers -------------------------------------------------------------------------------------

# Checks are rules, not function calls under `not`: OPA evaluates a function's arguments outside
# the negation, so `not f(input.missing)` is undefined rather than true.
request_is_object if is_object(req)

now_ok if clock.ns(input.now)

requester_named if identity.nonblank(req.requester.user)

kind_known if req.target.kind in target_kinds

namespace_named if identity.nonblank(req.target.namespace)

service_named if identity.nonblank(req.target.service)

actions_listed if non_empty_array(req.target.actions)

role_known if cfg.namespace_role_levels[req.target.role]

duration_ok if clock.duration_ns(req.duration)

justified if long_enough(req.justification, cfg.min_justification_length)

start_ok if clock.ns(req.start_at)

# Who owns a target can only be asked once the target says what it is.
target_identified if {
	req.target.kind == "service"
	service_named
}

target_identified if {
	req.target.kind != "service"
	namespace_named
}

eligible if {
	some team in owning_teams
	identity.member(req.requester, team)
}

eligible if identity.in_groups(req.requester, cfg.admin_groups)

scheduled if req.start_at != null

ticket_ok if {
	is_string(req.ticket)
	regex.match(cfg.ticket_pattern, req.ticket)
}

allowance_of := "break-glass access" if break_glass

else := concat(" ", [target_class.name, "targets"])

non_empty_array(a) if {
	is_array(a)
	count(a) > 0
}

long_enough(s, n) if {
	is_string(s)
	count(trim_space(s)) >= n
}

known(levels_by_name) := concat(", ", sort(object.keys(levels_by_name)))

unowned := sprintf(
	"service %v is not in the service catalogue; register it with its team and namespaces in data.gatehouse.services",
	[req.target.service],
) if {
	req.target.kind == "service"
} else := sprintf("no team owns namespace %v; list it under a team's namespaces in data.gatehouse.teams", [req.target.namespace])
