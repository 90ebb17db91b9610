// Talks to an OPA REST API with @styra/opa, the TypeScript client applications use, and prints
// what it got as one JSON object so StyraOpaClientTest can check it. Usage: node styra-client.mjs URL
import { OPAClient } from "@styra/opa";

const url = process.argv[2];
const opa = new OPAClient(url);
const out = {};

async function attempt(name, fn) {
  try {
    const v = await fn();
    out[name] = v === undefined ? { undefined: true } : { ok: v };
  } catch (e) {
    out[name] = {
      error: {
        name: e?.constructor?.name ?? "Error",
        code: e?.code ?? e?.data$?.code ?? null,
        message: String(e?.message ?? e),
        status: e?.statusCode ?? e?.rawResponse?.status ?? null,
      },
    };
  }
}

const probe = {
  request: { method: "GET", path: "/readyz", headers: { "user-agent": "kube-probe/1.31" } },
  service: "payments-api",
  namespace: "payments-prod",
  now: "2025-06-02T10:00:00Z",
};
const refund = {
  request: { method: "POST", path: "/v1/refunds", headers: {} },
  subject: "bob",
  service: "payments-api",
  namespace: "payments-prod",
  now: "2025-06-02T10:00:00Z",
};

await attempt("probe", () => opa.evaluate("gatehouse/sidecar/decision", probe));
await attempt("refund", () => opa.evaluate("gatehouse/sidecar/decision", refund));
await attempt("no_input", () => opa.evaluate("gatehouse/config/sidecar/method_actions"));
await attempt("default", () => opa.evaluateDefault({ x: 41 }));
await attempt("undefined", () => opa.evaluate("gatehouse/nothing/here", {}));
await attempt("conflict", () => opa.evaluate("other/conflict/f", { a: true, b: true }));
await attempt("batch", () =>
  opa.evaluateBatch("gatehouse/sidecar/decision", { probe, refund }, { fallback: true }),
);
await attempt("health", async () => {
  const r = await fetch(url + "/health?bundles");
  return r.status;
});

process.stdout.write(JSON.stringify(out) + "\n");
