package dev.gatehouse.engine.eval;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import dev.gatehouse.engine.value.Json;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Indexed evaluation ({@link DataIndex}) must not be observable except in time: every case is
 * evaluated by a policy with indexing on and one with it off, and the solutions (values,
 * bindings, order) or the error must be the same. Focused cases pin the shapes the planner
 * recognises and the ones it must leave alone; the generated cases combine random data (arrays,
 * objects and sets of members with missing fields, numbers written 1 and 1.0, strings, nulls,
 * composites, members that are not objects) with random bodies.
 */
class DataIndexTest {

  /** Outcome of one evaluation, in a form two runs can be compared by. */
  private static String outcome(Policy p, String query, String input, boolean strict) {
    try {
      List<QueryResult> rs = p.prepare(query).eval(EvalOptions.builder()
          .input(input == null ? null : Json.parse(input)).strictBuiltinErrors(strict).build());
      List<String> out = new ArrayList<>();
      for (QueryResult r : rs) {
        List<String> exprs = new ArrayList<>();
        for (QueryResult.ExpressionValue e : r.expressions()) {
          exprs.add(e.value().toJson());
        }
        Map<String, String> bindings = new TreeMap<>();
        r.bindings().forEach((k, v) -> bindings.put(k, v.toJson()));
        out.add(exprs + " " + bindings);
      }
      return out.toString();
    } catch (RegoException e) {
      return "error: " + e.getMessage();
    }
  }

  private static CompiledPolicy compile(String module, String data, boolean indexing) {
    return (CompiledPolicy) Rego.builder().module("p.rego", module).dataJson(data).indexing(indexing).compile();
  }

  /** Asserts indexed and plain evaluation agree; returns whether an index was built. */
  private static boolean same(String module, String data, String query, String input, boolean strict) {
    CompiledPolicy on = compile(module, data, true);
    CompiledPolicy off = compile(module, data, false);
    String expected = outcome(off, query, input, strict);
    assertThat(outcome(on, query, input, strict))
        .as("module:\n%s\ndata: %s\ninput: %s\nquery: %s (strict %s)", module, data, input, query, strict)
        .isEqualTo(expected);
    assertThat(off.dataIndexCount()).isZero();
    return on.dataIndexCount() > 0;
  }

  private static final String GRANTS = """
      {"grants": [
        {"id": 1, "subject": "alice", "service": "db", "actions": ["read"]},
        {"id": 2, "subject": "bob", "service": "db", "actions": ["read", "write"]},
        {"id": 3, "subject": "alice", "service": "web", "actions": ["write"]},
        {"id": 4, "subject": "alice", "service": "db", "actions": ["write"]},
        {"id": 5, "service": "db"},
        "not an object",
        {"id": 6, "subject": 1, "service": "db"},
        {"id": 7, "subject": 1.0, "service": "db"}
      ],
      "byName": {"z": {"name": "alice", "n": 1}, "a": {"name": "bob", "n": 2}, "m": {"name": "alice", "n": 3}},
      "names": ["alice", "bob", "carol"],
      "team": "alice"}
      """;

  @Test
  void someInWithSeveralEqualitiesUsesTheIndexAndKeepsOrder() {
    String m = """
        package p
        ids := [g.id | some g in data.grants; g.subject == input.subject; g.service == input.service]
        allow if {
          some g in data.grants
          g.subject == input.subject
          g.service == input.service
          input.action in g.actions
        }
        """;
    String in = "{\"subject\": \"alice\", \"service\": \"db\", \"action\": \"write\"}";
    assertThat(same(m, GRANTS, "data.p.ids", in, false)).isTrue();
    assertThat(same(m, GRANTS, "data.p.allow", in, false)).isTrue();
    Policy p = compile(m, GRANTS, true);
    assertThat(p.prepare("data.p.ids").evalValue(Json.parse(in)).orElseThrow().toJson()).isEqualTo("[1,4]");
  }

  @Test
  void numbersCompareAsEqualityDoes() {
    String m = """
        package p
        ids := [g.id | some g in data.grants; g.subject == input.subject]
        """;
    for (String subject : List.of("1", "1.0", "1.00", "\"1\"", "true", "null", "[1]")) {
      assertThat(same(m, GRANTS, "data.p.ids", "{\"subject\": " + subject + "}", false)).isTrue();
    }
    Policy p = compile(m, GRANTS, true);
    assertThat(p.prepare("data.p.ids").evalValue(Json.parse("{\"subject\": 1}")).orElseThrow().toJson()).isEqualTo("[6,7]");
  }

  @Test
  void assignmentFromARefAndIterationInsideTheEquality() {
    String m = """
        package p
        a := [[k, g.n] | g := data.byName[k]; g.name == input.name]
        b := [k | data.byName[k].name == input.name]
        c := [i | some i; data.names[i] = input.name]
        d contains k if data.byName[k].name = data.team
        e := [x | some k, g in data.byName; g.name == input.name; x := {"k": k, "n": g.n}]
        """;
    for (String q : List.of("a", "b", "c", "d", "e")) {
      assertThat(same(m, GRANTS, "data.p." + q, "{\"name\": \"alice\"}", false)).as(q).isTrue();
    }
    Policy p = compile(m, GRANTS, true);
    assertThat(p.prepare("data.p.b").evalValue(Json.parse("{\"name\": \"alice\"}")).orElseThrow().toJson())
        .isEqualTo("[\"m\",\"z\"]"); // object keys iterate in sorted order
  }

  @Test
  void queriesAndBindingsAgree() {
    String m = "package p\n";
    assertThat(same(m, GRANTS, "some g in data.grants; g.subject == input.subject; x := g.id", "{\"subject\": \"alice\"}", false)).isTrue();
    assertThat(same(m, GRANTS, "data.grants[i].service == \"db\"", "{}", false)).isTrue();
  }

  @Test
  void errorsAfterTheFilterAreTheSameAndComeFromTheSameMember() {
    String m = """
        package p
        one := g.id if { some g in data.grants; g.service == input.service }
        nums := [to_number(g.subject) | some g in data.grants; g.service == input.service]
        """;
    assertThat(same(m, GRANTS, "data.p.one", "{\"service\": \"db\"}", false)).isTrue();
    assertThat(same(m, GRANTS, "data.p.one", "{\"service\": \"web\"}", false)).isTrue();
    assertThat(same(m, GRANTS, "data.p.nums", "{\"service\": \"db\"}", true)).isTrue();
    assertThat(outcome(compile(m, GRANTS, true), "data.p.one", "{\"service\": \"db\"}", false)).startsWith("error:");
  }

  @Test
  void fallsBackWhereTheShapeIsNotProvablyEquivalent() {
    String m = """
        package p
        # with on data: plain iteration under the override
        w := x if {
          x := [g.id | some g in data.grants; g.subject == input.subject] with data.grants as [{"id": 9, "subject": "alice"}]
        }
        # the other side is a variable the equality binds
        b := [s | some g in data.grants; g.id == 1; g.subject = s]
        # virtual documents are not indexed
        v := [r.id | some r in data.p.rules; r.subject == input.subject]
        rules contains {"id": 1, "subject": "alice"}
        rules contains {"id": 2, "subject": "bob"}
        """;
    assertThat(same(m, GRANTS, "data.p.w", "{\"subject\": \"alice\"}", false)).isFalse();
    assertThat(same(m, GRANTS, "data.p.b", "{}", false)).isTrue(); // indexed on id, s bound afterwards
    assertThat(same(m, GRANTS, "data.p.v", "{\"subject\": \"alice\"}", false)).isFalse();
    assertThat(outcome(compile(m, GRANTS, true), "data.p.w", "{\"subject\": \"alice\"}", false)).contains("9");
  }

  @Test
  void gatekeeperStyleInventoryWithNestedIterationAndElementFields() {
    String inventory = """
        {"inventory": {"namespace": {
          "prod": {"networking.k8s.io/v1": {"Ingress": {
            "web": {"metadata": {"name": "web"}, "spec": {"rules": [{"host": "a.example.com"}, {"host": "b.example.com"}]}},
            "api": {"metadata": {"name": "api"}, "spec": {"rules": [{"host": "api.example.com"}]}}}}},
          "dev": {"extensions/v1beta1": {"Ingress": {
            "old": {"metadata": {"name": "old"}, "spec": {"rules": [{"host": "a.example.com"}, {"host": "a.example.com"}]}}}},
            "v1": {"Service": {"s": {"spec": {}}}}}}}}
        """;
    String m = """
        package k8suniqueingresshost
        violation contains {"msg": msg} if {
          input.review.kind.kind == "Ingress"
          some rule in input.review.object.spec.rules
          host := rule.host
          other := data.inventory.namespace[ns][otherapiversion].Ingress[name]
          other.spec.rules[_].host == host
          regex.match("^(extensions|networking.k8s.io)/.+$", otherapiversion)
          not identical(other, input.review)
          msg := sprintf("ingress host conflicts with an existing ingress <%v> <%v>", [host, [ns, name]])
        }
        identical(obj, review) if {
          obj.metadata.namespace == review.object.metadata.namespace
          obj.metadata.name == review.object.metadata.name
        }
        hosts := [[ns, n] | data.inventory.namespace[ns][_].Ingress[n].spec.rules[_].host == input.host]
        """;
    String review = "{\"review\": {\"kind\": {\"kind\": \"Ingress\"}, \"object\": {\"metadata\": {\"name\": \"new\","
        + " \"namespace\": \"x\"}, \"spec\": {\"rules\": [{\"host\": \"a.example.com\"}, {\"host\": \"api.example.com\"}]}}},"
        + " \"host\": \"a.example.com\"}";
    assertThat(same(m, inventory, "data.k8suniqueingresshost.violation", review, false)).isTrue();
    assertThat(same(m, inventory, "data.k8suniqueingresshost.hosts", review, false)).isTrue();
    Policy p = compile(m, inventory, true);
    assertThat(p.prepare("data.k8suniqueingresshost.violation").evalValue(Json.parse(review)).orElseThrow().toJson())
        .contains("[\\\"dev\\\", \\\"old\\\"]").contains("[\\\"prod\\\", \\\"web\\\"]")
        .contains("[\\\"prod\\\", \\\"api\\\"]");
  }

  @Test
  void manyThreadsShareOneIndex() throws Exception {
    StringBuilder data = new StringBuilder("{\"grants\": [");
    for (int i = 0; i < 5_000; i++) {
      data.append(i == 0 ? "" : ",").append("{\"id\": ").append(i).append(", \"subject\": \"u").append(i % 500).append("\"}");
    }
    data.append("]}");
    CompiledPolicy p = compile("package p\nids := [g.id | some g in data.grants; g.subject == input.subject]\n",
        data.toString(), true);
    var q = p.prepare("data.p.ids");
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> fs = new ArrayList<>();
      for (int t = 0; t < 64; t++) {
        int u = t % 500;
        fs.add(pool.submit(() -> q.evalValue(Json.parse("{\"subject\": \"u" + u + "\"}")).orElseThrow().toJson()));
      }
      for (int t = 0; t < 64; t++) {
        StringBuilder want = new StringBuilder("[");
        for (int i = t % 500; i < 5_000; i += 500) {
          want.append(want.length() == 1 ? "" : ",").append(i);
        }
        assertThat(fs.get(t).get()).isEqualTo(want.append("]").toString());
      }
    } finally {
      pool.shutdown();
    }
    assertThat(p.dataIndexCount()).isEqualTo(1);
  }

  // ---- generated cases

  private static final String[] SCALARS = {"1", "1.0", "2", "\"1\"", "\"a\"", "\"b\"", "true", "false", "null",
      "[1]", "{\"k\": 1}", "1e0", "-0"};

  private static String randomMember(Random r, int id) {
    if (r.nextInt(12) == 0) {
      return SCALARS[r.nextInt(SCALARS.length)];
    }
    StringBuilder sb = new StringBuilder("{\"id\": " + id);
    if (r.nextInt(6) != 0) {
      sb.append(", \"a\": ").append(SCALARS[r.nextInt(SCALARS.length)]);
    }
    if (r.nextInt(6) != 0) {
      sb.append(", \"b\": ").append(SCALARS[r.nextInt(5)]);
    }
    if (r.nextInt(4) != 0) {
      sb.append(", \"n\": ").append(r.nextInt(5) == 0 ? "\"x\"" : "{\"x\": " + SCALARS[r.nextInt(6)] + "}");
    }
    if (r.nextInt(3) == 0) {
      sb.append(", \"s\": ").append(r.nextBoolean() ? "\"12\"" : "\"twelve\"");
    }
    if (r.nextInt(3) != 0) {
      sb.append(", \"t\": [");
      for (int i = 0, n = r.nextInt(4); i < n; i++) {
        sb.append(i == 0 ? "" : ", ").append(r.nextInt(4) == 0 ? "{\"x\": 1}" : SCALARS[r.nextInt(6)]);
      }
      sb.append(']');
    }
    return sb.append('}').toString();
  }

  private static String randomData(Random r) {
    String d = "{\"n1\": " + randomCollection(r) + ", \"n0\": " + randomCollection(r) + ", \"n2\": 5}";
    return "{\"other\": {\"v\": " + SCALARS[r.nextInt(6)] + "}, \"d\": " + d + ", \"c\": " + randomCollection(r) + "}";
  }

  private static String randomCollection(Random r) {
    int n = r.nextInt(14);
    StringBuilder sb = new StringBuilder();
    int kind = r.nextInt(5);
    if (kind == 4) {
      return SCALARS[r.nextInt(SCALARS.length)]; // not a collection
    }
    sb.append(kind == 0 ? "{" : "[");
    for (int i = 0; i < n; i++) {
      if (i > 0) {
        sb.append(", ");
      }
      if (kind == 0) {
        sb.append("\"k").append(r.nextInt(40)).append("\": ");
      }
      sb.append(randomMember(r, i));
    }
    return sb.append(kind == 0 ? "}" : "]").toString();
  }

  private static final String[] KNOWN = {"input.x", "input.y", "1", "\"a\"", "1.0", "y", "data.other.v", "input.missing",
      "null", "[1]"};
  private static final String[] FIELDS = {"a", "b", "n.x", "id", "t[_]", "t[_].x", "t[0]"};

  private static String known(Random r) {
    return KNOWN[r.nextInt(KNOWN.length)];
  }

  private static String eq(Random r, String lhs, String rhs) {
    String op = r.nextInt(3) == 0 ? " = " : " == ";
    return r.nextBoolean() ? lhs + op + rhs : rhs + op + lhs;
  }

  private static String randomBody(Random r) {
    List<String> exprs = new ArrayList<>();
    exprs.add("y := input.y");
    int shape = r.nextInt(6);
    String member = "g";
    String inline = "data.c[k]";
    switch (shape) {
      case 0 -> exprs.add("some g in data.c");
      case 1 -> exprs.add("some k, g in data.c");
      case 2 -> exprs.add("g := data.c[k]");
      case 3 -> exprs.add("g := data.d[ns][k]");
      case 4 -> {
        member = null;
        inline = "data.d[ns][k]";
      }
      default -> member = null;
    }
    if (member == null) {
      String field = FIELDS[r.nextInt(4)];
      exprs.add(eq(r, inline + "." + field, known(r)));
    }
    if (member != null) {
      int filters = 1 + r.nextInt(3);
      for (int i = 0; i < filters; i++) {
        String field = r.nextInt(8) == 0 ? "g" : "g." + FIELDS[r.nextInt(FIELDS.length)];
        exprs.add(r.nextInt(10) == 0 ? eq(r, field, "z" + i) : eq(r, field, known(r)));
      }
    }
    String target = member != null ? member : inline;
    switch (r.nextInt(5)) {
      case 0 -> exprs.add("to_number(" + target + ".s) > 5");
      case 1 -> exprs.add(target + ".id != 3");
      default -> { }
    }
    return String.join("\n    ", exprs);
  }

  private static String randomModule(Random r) {
    String body = randomBody(r);
    boolean hasK = body.contains("k ") || body.contains("[k]") || body.contains("k,");
    String out = body.contains("[ns]") ? "[ns, k]" : hasK ? "k" : "g";
    StringBuilder m = new StringBuilder("package p\n");
    switch (r.nextInt(6)) {
      case 0 -> m.append("r := [").append(out).append(" | \n    ").append(body).append("\n]\n");
      case 1 -> m.append("r contains ").append(out).append(" if {\n    ").append(body).append("\n}\n");
      case 2 -> m.append("r := ").append(out).append(" if {\n    ").append(body).append("\n}\n"); // may conflict
      case 3 -> m.append("r if {\n    ").append(body).append("\n}\n");
      case 4 -> m.append("f(x) := [").append(out).append(" | \n    ").append(body.replace("input.x", "x"))
          .append("\n]\nr := f(input.x)\n");
      default -> m.append("r := x if {\n  x := {").append(out).append(": true | \n    ").append(body)
          .append("\n  } with input.y as 1.0\n}\n");
    }
    return m.toString();
  }

  private static String randomInput(Random r) {
    if (r.nextInt(15) == 0) {
      return null;
    }
    return "{\"x\": " + SCALARS[r.nextInt(SCALARS.length)] + ", \"y\": " + SCALARS[r.nextInt(7)] + "}";
  }

  @Test
  void generatedPoliciesAndDataGiveTheSameOutcomeIndexedOrNot() {
    Random r = new Random(Long.getLong("dataindex.seed", 14));
    int cases = Integer.getInteger("dataindex.cases", 3_000);
    int indexed = 0;
    int nonEmpty = 0;
    int errors = 0;
    for (int i = 0; i < cases; i++) {
      String module = randomModule(r);
      String data = randomData(r);
      String input = randomInput(r);
      boolean strict = r.nextBoolean();
      CompiledPolicy on;
      CompiledPolicy off;
      try {
        on = compile(module, data, true);
        off = compile(module, data, false);
      } catch (RegoException e) {
        continue; // e.g. an unsafe variable in the generated body: both would fail to compile alike
      }
      String expected = outcome(off, "data.p.r", input, strict);
      assertThat(outcome(on, "data.p.r", input, strict))
          .as("case %d\nmodule:\n%s\ndata: %s\ninput: %s (strict %s)", i, module, data, input, strict)
          .isEqualTo(expected);
      indexed += on.dataIndexCount() > 0 ? 1 : 0;
      nonEmpty += expected.startsWith("[[") && !expected.contains("[[]]") && !expected.contains("[[false]]") ? 1 : 0;
      errors += expected.startsWith("error") ? 1 : 0;
    }
    System.out.printf("data index cases: %d, indexed %d, with solutions %d, errors %d%n", cases, indexed, nonEmpty, errors);
    // the generator must exercise the index, solutions and errors, not only the fallbacks
    assertThat(indexed).isGreaterThan(cases / 3);
    assertThat(nonEmpty).isGreaterThan(cases / 5);
    assertThat(errors).isGreaterThan(cases / 100);
  }
}
