package authz

import data.roles

default allow := false

allow if {
	some r in roles.admins
	r == input.user
}
