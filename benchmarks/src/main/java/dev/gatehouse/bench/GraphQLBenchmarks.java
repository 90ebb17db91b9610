package dev.gatehouse.bench;

import dev.gatehouse.engine.Policy;
import dev.gatehouse.engine.PreparedQuery;
import dev.gatehouse.engine.QueryResult;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The GraphQL builtins on queries of growing size ({@code fields} selections with an argument
 * each): time per op should grow linearly with {@code fields}. {@code isValid} validates against
 * a schema that is parsed once and then cached, as in a long-running policy.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GraphQLBenchmarks {
  private static final String SCHEMA = """
      type Query { user(id: ID!): User users(first: Int = 10): [User!]! }
      type User { id: ID! name: String friends(first: Int): [User!]! }
      """;

  @Param({"100", "1000", "10000"})
  public int fields;

  private PreparedQuery parseQuery;
  private PreparedQuery isValid;
  private Value input;

  @Setup
  public void setup() {
    Policy policy = Rego.builder().module("empty.rego", "package bench\n").compile();
    parseQuery = policy.prepare("graphql.parse_query(input.query)");
    isValid = policy.prepare("graphql.is_valid(input.query, input.schema)");
    StringBuilder q = new StringBuilder("query Q($id: ID!) { user(id: $id) {");
    for (int i = 0; i < fields; i++) {
      q.append(" f").append(i).append(": friends(first: ").append(i).append(") { id name }");
    }
    q.append(" } }");
    input = ObjectValue.of("query", StringValue.of(q.toString()), "schema", StringValue.of(SCHEMA));
    if (!BooleanValue.TRUE.equals(isValid.eval(input).get(0).value()) || parseQuery.eval(input).isEmpty()) {
      throw new IllegalStateException("benchmark query does not validate");
    }
  }

  @Benchmark public List<QueryResult> parseQuery() { return parseQuery.eval(input); }

  @Benchmark public List<QueryResult> isValid() { return isValid.eval(input); }
}
