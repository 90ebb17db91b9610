# METADATA
# title: People, teams and on-call
# description: >-
#   Team membership, ownership of targets and the on-call roster, read from data.gatehouse.teams,
#   data.gatehouse.services and data.gatehouse.oncall. User names are the exact strings the
#   authenticator gives (Kubernetes and OIDC names are case-sensitive): "Carol" is not "carol".
#   Only the self-approval and one-vote checks compare look-alikes, to refuse more, never less.
package gatehouse.lib.identity

import data.gatehouse.lib.catalogue

# data.gatehouse.teams: {"<team>": {"members": [user], "groups": [idp group],
#   "namespaces": [namespace], "notify": [channel]}}. Services are owned through the catalogue.
default teams := {}

teams := data.gatehouse.teams

# data.gatehouse.oncall: {"<team>": [user]} — who is on call right now, kept current by the caller.
default oncall := {}

oncall := data.gatehouse.oncall

# same_user(a, b) holds when two user names are the same identity: exactly equal strings.
same_user(a, b) if {
	is_string(a)
	a == b
}

# key(user) folds case and white space. It is used only where treating look-alikes as one person
# refuses more (self-approval, one vote per person, counting distinct approvers), never to grant.
key(user) := lower(regex.replace(user, `\s+`, "")) if is_string(user)

# look_alike(a, b) holds when two user names are the same identity or could pass for it.
look_alike(a, b) if key(a) == key(b)

# nonblank(s) holds for a string with something other than white space in it.
nonblank(s) if {
	is_string(s)
	trim_space(s) != ""
}

# member(person, team) holds when person ({user, groups}) belongs to the team by name or group.
member(person, team) if {
	some m in object.get(teams[team], "members", [])
	same_user(m, person.user)
}

member(person, team) if {
	some g in object.get(person, "groups", [])
	g in object.get(teams[team], "groups", [])
}

# in_groups(person, groups) holds when person belongs to one of the groups.
in_groups(person, groups) if {
	some g in object.get(person, "groups", [])
	g in groups
}

# owners(target) is the set of teams that own a target: for a service, the team the catalogue
# names (whatever namespace the target claims); otherwise the teams listing the namespace.
owners(target) := {t | t := catalogue.team(target.service)} if {
	target.kind == "service"
} else := {name |
	some name, team in teams
	target.namespace in object.get(team, "namespaces", [])
}

# on_call(person, team) holds when person is on the team's current on-call roster.
on_call(person, team) if {
	some u in object.get(oncall, team, [])
	same_user(u, person.user)
}

# channels(team) is where a team wants to hear about requests: its notify list or "team:<name>".
channels(team) := teams[team].notify if {
	is_array(teams[team].notify)
	count(teams[team].notify) > 0
} else := [concat(":", ["team", team])]
