# METADATA
# title: Sidecar access
# description: >-
#   Decides each HTTP request a sidecar sees in front of a service. Health checks and a service's
#   declared read-only paths are standing rules; anything else needs an active grant for this
#   subject, service and action. A denial says why and how to ask for access.
#   Input: {request: {method, path, headers}, subject, service, namespace?, now}.
#   Settings: data.gatehouse.config.sidecar. Grants: data.gatehouse.grants.
package gatehouse.sidecar

import data.gatehouse.lib.catalogue
import data.gatehouse.lib.grants
import data.gatehouse.lib.identity

cfg := data.gatehouse.config.sidecar

method := input.request.method

# Query strings and fragments never decide access.
path := regex.split(`[?#]`, input.request.path)[0]

service_cfg := object.get(cfg.services, input.service, {})

subject := input.subject

decision := {"allow": false, "reason": malformed} if {
	malformed
} else := {"allow": false, "reason": sprintf("path %q is not canonical (dot segments, empty segments or encoded separators); send the normalised path", [path])} if {
	not canonical
} else := {"allow": true, "reason": sprintf("standing rule %s", [public_rule])} if {
	public_rule
} else := {"allow": false, "reason": "unauthenticated: this path needs a caller identity (mTLS or token) and none was given"} if {
	not authenticated
} else := {"allow": false, "reason": sprintf("method %v is not allowed by this sidecar", [method])} if {
	not cfg.method_actions[method]
} else := {"allow": true, "reason": sprintf("standing read-only rule %s of %s", [read_only_rule, input.service])} if {
	read_only_rule
} else := {"allow": true, "reason": sprintf("grant %s lets %s %s on %s", [grant_id, subject, action, input.service]), "grant_id": grant_id} if {
	grant_id
} else := {"allow": false, "reason": denial, "request_access_hint": hint}

# --- Standing rules ------------------------------------------------------------------------------

# matches(rule) holds when a standing rule {id, methods, paths} covers this request.
matches(rule) if {
	method in rule.methods
	some pattern in rule.paths
	glob.match(pattern, ["/"], path)
}

# The first matching rule wins, so two overlapping rules never conflict.
public_rule := [r.id | some r in cfg.public; matches(r)][0]

read_only_rule := [r.id | some r in object.get(service_cfg, "read_only", []); matches(r)][0]

# --- Grants --------------------------------------------------------------------------------------

# The action the request needs: a service's path rule ({paths, action}) first, else by method.
action := path_action if {
	path_action
} else := cfg.method_actions[method]

path_action := [pa.action |
	some pa in object.get(service_cfg, "path_actions", [])
	some pattern in pa.paths
	glob.match(pattern, ["/"], path)
][0]

# Grants for this subject and service, whatever their action or validity.
for_service := [g |
	some g in grants.of(subject, "service")
	g.target.service == input.service
	namespace_matches(g)
]

# A grant counts in the namespace it names, or wherever the catalogue says the service runs when
# it names none. A call names the sidecar's namespace (from the downward API); a call that omits
# it is only served by a grant for a namespace the catalogue lists for the service, so a grant
# obtained with a made-up namespace opens nothing.
namespace_matches(g) if count(grant_namespaces(g) & call_namespaces) > 0

grant_namespaces(g) := {g.target.namespace} if identity.nonblank(g.target.namespace)

else := catalogue.namespaces(input.service)

call_namespaces := {input.namespace} if identity.nonblank(input.namespace)

else := catalogue.namespaces(input.service)

covering := [g | some g in for_service; action in g.target.actions]

# Several active grants may cover a request; report the one with the smallest id.
grant_id := min(active_ids) if count(active_ids) > 0

active_ids := {g.id | some g in covering; grants.active(g, input.now)}

denial := sprintf("%s; no active grant lets %s %s on %s", [grants.why_inactive(covering[0], input.now), subject, action, input.service]) if {
	count(covering) > 0
} else := sprintf("grant %s covers %s, not %s, on %s", [for_service[0].id, concat(", ", for_service[0].target.actions), action, input.service]) if {
	count(for_service) > 0
} else := sprintf("no grant lets %s %s on %s", [subject, action, input.service])

hint := sprintf("gatehouse request create --service %s --actions %s%s --for %s --reason '<why you need it>'", [
	input.service,
	action,
	namespace_flag,
	cfg.hint_duration,
])

namespace_flag := sprintf(" --namespace %s", [input.namespace]) if identity.nonblank(input.namespace)

else := ""

# --- Input checks --------------------------------------------------------------------------------

malformed := "malformed request: input.request.method and input.request.path must be strings" if {
	not request_fields
} else := "malformed request: input.request.path must start with /" if {
	not startswith(input.request.path, "/")
} else := "malformed request: input.service must name the service behind this sidecar" if {
	not service_named
}

request_fields if {
	is_string(input.request.method)
	is_string(input.request.path)
}

service_named if identity.nonblank(input.service)

authenticated if identity.nonblank(subject)

# Paths are matched as given, so any form a server might normalise differently is refused:
# "." or ".." segments, "//", backslashes and percent-encoded dots, slashes, backslashes, NULs or
# percent signs (double encoding).
canonical if not regex.match(`//|(^|/)\.\.?(/|$)|\\|(?i:%2e|%2f|%5c|%00|%25)`, path)
