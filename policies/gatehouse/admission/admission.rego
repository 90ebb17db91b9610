# METADATA
# title: Admission guardrails
# description: >-
#   Decides an AdmissionReview request. Each rule in this package adds findings {rule, msg}; the
#   decision gives every finding the action configured for its rule (deny, warn or dryrun) in
#   data.gatehouse.config.admission.rules, so a new rule can run in shadow mode first.
#   Input: {request: <AdmissionReview.request>, now: RFC 3339}; a whole AdmissionReview with `now`
#   added works as is. Grants: data.gatehouse.grants.
package gatehouse.admission

import data.gatehouse.lib.clock
import data.gatehouse.lib.identity
import data.gatehouse.lib.k8s

cfg := data.gatehouse.config.admission

# required_data lists the data paths this package cannot work without: the webhook refuses to
# become ready on policies loaded without them (a layout that lost data.json's place), instead of
# admitting everything with most rules undefined.
required_data := ["gatehouse/config/admission/rules"]

req := input.request

default namespace := ""

namespace := req.namespace

decision := {
	"allowed": count(denials) == 0,
	"violations": violations,
	"warnings": warnings,
	"notify": sort(notify),
	"break_glass": break_glass_record,
}

# Every rule id this package can report. A test keeps it equal to the rules configured in data,
# so a typo in data or a rule without an action fails the build.
rule_ids := {
	"admission-input",
	"pss-host-process",
	"pss-host-namespaces",
	"pss-privileged",
	"pss-capabilities-add",
	"pss-capabilities-drop",
	"pss-host-path",
	"pss-host-ports",
	"pss-apparmor",
	"pss-selinux",
	"pss-proc-mount",
	"pss-seccomp",
	"pss-sysctls",
	"pss-host-probes",
	"pss-volume-types",
	"pss-privilege-escalation",
	"pss-run-as-non-root",
	"pss-run-as-user",
	"image-registry",
	"image-tag",
	"image-digest",
	"resources-requests",
	"resources-limits",
	"ownership-labels",
	"protected-namespace-deploy",
	"break-glass",
	"sidecar-override",
	"pod-connect-grant",
}

# Findings that are not exempt, ordered by rule then message, each with its action.
violations := [{"rule": pair[0], "msg": pair[1], "action": action(pair[0])} |
	some pair in sort([[f.rule, f.msg] | some f in finding; not exempt(f.rule)])
]

denials := [v | some v in violations; v.action == "deny"]

# Warn-mode findings go back to kubectl as warnings; dryrun findings only reach the decision log.
warnings := [sprintf("%s: %s", [v.rule, v.msg]) | some v in violations; v.action == "warn"]

# action(rule) is the configured action, or deny when data has none or an unknown one: a rule
# whose setting is broken fails closed.
action(rule) := a if {
	a := cfg.rules[rule].action
	a in {"deny", "warn", "dryrun"}
} else := "deny"

# Namespaces exempt from every rule, and from single rules, as glob patterns.
exempt(_) if {
	some pattern in cfg.exempt_namespaces
	glob.match(pattern, [], namespace)
}

exempt(rule) if {
	some pattern in object.get(cfg.rules, [rule, "exempt_namespaces"], [])
	glob.match(pattern, [], namespace)
}

# --- What the request is about -------------------------------------------------------------------

subresource := object.get(req, "subResource", "")

# Pod specs are checked when a workload is created or updated, and when ephemeral containers are
# added to a pod (kubectl debug). Status and other subresource updates are not pod spec changes.
template := k8s.pod_template(req.object, req.kind) if {
	req.operation in {"CREATE", "UPDATE"}
	subresource in {"", "ephemeralcontainers"}
}

# For kubectl debug only the new ephemeral containers are checked: the pod itself was admitted
# when it was created, and pod-level fields cannot change.
checked_fields := ["ephemeralContainers"] if subresource == "ephemeralcontainers"

else := k8s.container_fields

pod_level_checks if subresource == ""

containers := k8s.containers(template, checked_fields)

# Containers inherit the pod's security context, so it is read even when only containers are checked.
pod_security_context := object.get(template.spec, "securityContext", {})

sc(c) := object.get(c.spec, "securityContext", {})

# --- Input shape ---------------------------------------------------------------------------------

finding contains {"rule": "admission-input", "msg": msg} if {
	not well_formed
	msg := "input.request must be the request of an admission.k8s.io/v1 AdmissionReview (uid, kind, operation)"
}

finding contains {"rule": "admission-input", "msg": msg} if {
	not now_ok
	msg := "input.now must be the current time as an RFC 3339 string; the webhook adds it to every review"
}

well_formed if {
	identity.nonblank(req.uid)
	is_string(req.kind.kind)
	req.operation in {"CREATE", "UPDATE", "DELETE", "CONNECT"}
}

now_ok if clock.ns(input.now)
