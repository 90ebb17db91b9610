package futurekw

import future.keywords.if
import future.keywords.contains

p contains x if { x := 1 }
q if { true }
r { input.a }
