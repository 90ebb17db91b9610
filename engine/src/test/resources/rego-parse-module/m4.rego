# METADATA
# title: My package
# description: Does things
package m4.x

import data.lib
import input.request as req

# METADATA
# title: allow rule
# authors:
# - Jane <jane@example.com>
# custom:
#   severity: high
allow if {
	not deny
	x := -1
	y := 1.0
	z := 1e3
	w := 12345678901234567890
	"a" in {"a", "b", x}
	1 in [1, 2]
	k, v in {"x": 1}
	lib.f(req.user) == {y: z, "q": [w | true]}
	s := "esc\n\"quote\"\u00e9"
	count(input.items[_].tags) > 0
	q := {{1}, {2, 1}}
	r := $"a{x}b{y + 1}"
	input.a.b[0]["c"]
}

deny contains msg if {
	some i
	input.x[i] == 1
	msg := sprintf("%d", [i])
}

g(x) = y if { y := x * 2 } else = 3 if { true } else := 4

h := x if { x := [a | some a in [1]; a > 0] }
