package imports

import data.zeta
import data.alpha as a
import input.user

import data.beta
import future.keywords.in
# comment before group
import data.aardvark

x := 1
