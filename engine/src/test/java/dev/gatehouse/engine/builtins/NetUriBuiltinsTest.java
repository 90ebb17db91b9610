package dev.gatehouse.engine.builtins;

import static dev.gatehouse.engine.builtins.RegoEval.eval;
import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.EvalOptions;
import dev.gatehouse.engine.Rego;
import dev.gatehouse.engine.RegoException;
import org.junit.jupiter.api.Test;

/** CIDR arithmetic with Go's net semantics, uri.parse with net/url's. Recorded with OPA v1.22.2. */
class NetUriBuiltinsTest {

  @Test
  void containmentWorksForAddressesNetworksAndIpv4MappedIpv6() {
    assertThat(eval("net.cidr_contains(\"10.0.0.0/8\", \"10.1.0.0/16\")")).isEqualTo("true");
    assertThat(eval("net.cidr_contains(\"::ffff:10.0.0.0/104\", \"10.1.2.3\")")).isEqualTo("true");
    assertThat(eval("net.cidr_contains(\"010.0.0.0/8\", \"10.0.0.1\")"))
        .isEqualTo("ERR eval_builtin_error net.cidr_contains: invalid CIDR address: 010.0.0.0/8");
  }

  @Test
  void containsMatchesReportsIndexesKeysAndMembers() {
    assertThat(eval("net.cidr_contains_matches({\"a\": \"10.0.0.0/8\", \"b\": [\"192.168.0.0/16\", \"x\"]}, "
        + "{\"10.1.2.3\", \"192.168.1.1\"})")).isEqualTo("[[\"a\",\"10.1.2.3\"],[\"b\",\"192.168.1.1\"]]");
  }

  @Test
  void mergeJoinsAdjacentBlocksForBothFamilies() {
    assertThat(eval("net.cidr_merge([\"10.0.0.0/24\", \"10.0.1.0/24\"])")).isEqualTo("[\"10.0.0.0/23\"]");
    assertThat(eval("net.cidr_merge([\"192.0.128.0/24\", \"192.0.129.0/24\", \"192.0.130.0/24\"])"))
        .isEqualTo("[\"192.0.128.0/23\",\"192.0.130.0/24\"]");
    assertThat(eval("net.cidr_merge({\"2001:db8::/33\", \"2001:db8:8000::/33\"})")).isEqualTo("[\"2001:db8::/32\"]");
    assertThat(eval("net.cidr_merge([\"::1\"])"))
        .isEqualTo("ERR eval_builtin_error net.cidr_merge: IPv6 invalid: needs prefix length");
  }

  @Test
  void expandListsIpv6AddressesInCanonicalForm() {
    assertThat(eval("net.cidr_expand(\"2001:db8::/126\")"))
        .isEqualTo("[\"2001:db8::\",\"2001:db8::1\",\"2001:db8::2\",\"2001:db8::3\"]");
  }

  @Test
  void lookingUpALiteralAddressNeedsNoNetwork() {
    assertThat(eval("net.lookup_ip_addr(\"::ffff:1.2.3.4\")")).isEqualTo("[\"1.2.3.4\"]");
  }

  @Test
  void lookingUpANameIsDeniedUnlessTheNetworkPolicyAllowsIt() {
    var q = Rego.builder().module("x.rego", "package x\n").compile().prepare("x := net.lookup_ip_addr(\"example.com\")");
    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> q.eval(EvalOptions.builder().strictBuiltinErrors(true).build()))
        .isInstanceOf(RegoException.class)
        .hasMessageContaining("net.lookup_ip_addr: disallowed host: example.com");
  }

  @Test
  void uriParseDecodesPathAndFragmentAndSplitsThePort() {
    assertThat(eval("uri.parse(\"https://user:pw@example.com:8080/a%20b/c?x=1&y=2#frag%20x\")")).isEqualTo(RegoEval.normalize(
        "{\"fragment\":\"frag x\",\"hostname\":\"example.com\",\"path\":\"/a b/c\",\"port\":\"8080\","
            + "\"raw_path\":\"/a b/c\",\"raw_query\":\"x=1&y=2\",\"scheme\":\"https\"}"));
    assertThat(eval("uri.parse(\"http://[fe80::1%25en0]:8080/\")"))
        .isEqualTo("{\"hostname\":\"fe80::1%en0\",\"path\":\"/\",\"port\":\"8080\",\"raw_path\":\"/\",\"scheme\":\"http\"}");
  }

  @Test
  void uriParseIsStrictAboutColonsOnlyForHttp() {
    assertThat(eval("uri.parse(\"http://a:b:c/\")"))
        .isEqualTo("ERR eval_builtin_error uri.parse: parse \"http://a:b:c/\": invalid port \":b:c\" after host");
    assertThat(eval("uri.parse(\"mongodb://a:1,b:2/\")"))
        .isEqualTo("{\"hostname\":\"a:1,b\",\"path\":\"/\",\"port\":\"2\",\"raw_path\":\"/\",\"scheme\":\"mongodb\"}");
  }
}
