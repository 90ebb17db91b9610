package keywords

import rego.v1

deny contains msg if {
    some x in input.items
    some k, v in input.map
    x == v
    msg := sprintf("bad %v", [k])
}
every_example if {
    every x in input.items { x > 0 }
    every k, v in input.map {
        k != v
        v > 1
    }
}
membership if 1 in [1, 2]
pairs if "a", 1 in {"a": 1}
decl if {
    some a, b
    a := 1
    b := a
}
