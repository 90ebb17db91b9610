package modern

import data.legacy

allow if legacy.allow
