# METADATA
# title: Active grants
# description: >-
#   Grants issued by the control plane, read from data.gatehouse.grants (an array, or an object
#   keyed by grant id). Their JWS signature is verified by the enforcer before they are loaded as
#   data; here a grant counts only for its subject and only while not_before <= now < expires_at.
package gatehouse.lib.grants

import data.gatehouse.lib.clock
import data.gatehouse.lib.identity

default issued := []

issued := data.gatehouse.grants

# of(subject, kind) are the grants for subject whose target has the given kind, active or not.
of(subject, kind) := [g |
	some g in issued
	identity.same_user(g.subject, subject)
	g.target.kind == kind
]

# active(grant, now) holds when the grant is in force at now and was not revoked.
active(grant, now) if {
	not grant.revoked
	clock.within(grant.not_before, grant.expires_at, now)
}

# why_inactive(grant, now) explains, for a denial, why a grant does not count at now.
why_inactive(grant, now) := sprintf("grant %v was revoked", [grant.id]) if {
	grant.revoked
} else := sprintf("grant %v expired at %v", [grant.id, grant.expires_at]) if {
	clock.ns(grant.expires_at) <= clock.ns(now)
} else := sprintf("grant %v starts at %v", [grant.id, grant.not_before]) if {
	clock.ns(now) < clock.ns(grant.not_before)
} else := sprintf("grant %v has no valid validity window", [grant.id])
