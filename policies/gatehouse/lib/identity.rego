# METADATA
# title: People, teams and on-call
# description: >-
#   Team membership, ownership of targets and the on-call roster, read from data.gatehouse.teams
#   and data.gatehouse.oncall. Users are compared case-insensitively so that "Alice" and "alice"
#   are the same person everywhere, including in self-approval checks.
package gatehouse.lib.identity

# data.gatehouse.teams: {"<team>": {"members": [user], "groups": [idp group],
#   "services": [service], "namespaces": [namespace], "notify": [channel]}}
default teams := {}

teams := data.gatehouse.teams

# data.gatehouse.oncall: {"<team>": [user]} — who is on call right now, kept current by the caller.
default oncall := {}

oncall := data.gatehouse.oncall

# key(user) is the form in which user names are compared and counted.
key(user) := lower(trim_space(user)) if is_string(user)

# same_user(a, b) holds when two user names denote the same person.
same_user(a, b) if key(a) == key(b)

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

# owners(target) is the set of teams that own a target: the team listing the service, or the
# team listing the target's namespace.
owners(target) := {name |
	some name, team in teams
	owns(team, target)
}

owns(team, target) if {
	target.kind == "service"
	target.service in object.get(team, "services", [])
}

owns(team, target) if target.namespace in object.get(team, "namespaces", [])

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
