package stress.deep["x-y"].z

import future.keywords.not
import future.keywords.and
import future.keywords.or
import data.a.b.c as abc
import input.request


# METADATA
# title: A rule
# description: Does things
allow if {
  some i
  input.items[i].kind == "pod"
  not input.items[i].privileged
  x := {k: v | some k, v in input.labels; startswith(k, "app")}
  y := [z | some z in x; z != ""]
  s := {a | a := input.set[_]}
  count(y) > 0; count(s) >= 1
  r := object.union({"a": 1}, {"b": {"c": [1, 2, {"d": 3}]}})
  r.a == 1
}
# METADATA
# title: second
deny[msg] if {
  false
  msg := "m"
} # trailing

f(x, y) = z if {
  z := x * y
} else = 0

g(x) := true if { x == 1 } else := false

h := input.a.b["c"][0].d[_]
kw := input.in.every.contains
long_call := sprintf("%s-%s-%s-%s-%s-%s-%s-%s", ["aaaaaaaaaaaa", "bbbbbbbbbbbbbb", "cccccccccccccc", "ddddddddddddd"])
multi_obj := {
  "a": 1,
  "b": 2, "c": 3,
  "d": [
    1,
    2
  ]
}
test_with if {
  allow with input as {"items": []} with data.x as {"y": 1}
       with data.z as 2
  deny with input.a as 1
}
neg := -1.5e10
z := 1
    + 2
w if not {
  input.a
  input.b
}
l if input.a or input.b
m if {
  input.a and not input.b
  {input.c} or {
    input.d
    input.e
  }
}
n if { (input.a or input.b) and input.c }
o if input.a and
  input.b and
  input.c
