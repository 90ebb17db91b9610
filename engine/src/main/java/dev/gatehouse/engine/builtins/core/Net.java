package dev.gatehouse.engine.builtins.core;

import static dev.gatehouse.engine.builtins.core.Def.def;
import static dev.gatehouse.engine.types.Types.ANY;
import static dev.gatehouse.engine.types.Types.ANY_ARRAY;
import static dev.gatehouse.engine.types.Types.BOOLEAN;
import static dev.gatehouse.engine.types.Types.STRING;
import static dev.gatehouse.engine.types.Types.any;
import static dev.gatehouse.engine.types.Types.arrayOf;
import static dev.gatehouse.engine.types.Types.objectOf;
import static dev.gatehouse.engine.types.Types.setOf;
import static dev.gatehouse.engine.types.Types.tuple;

import dev.gatehouse.engine.builtins.Builtin;
import dev.gatehouse.engine.builtins.BuiltinContext;
import dev.gatehouse.engine.builtins.BuiltinException;
import dev.gatehouse.engine.value.ArrayValue;
import dev.gatehouse.engine.value.BooleanValue;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.SetValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** net.*: CIDR arithmetic with Go's net package semantics, and host lookups the NetworkPolicy allows. */
final class Net {
  private Net() {}

  static List<Builtin> all() {
    return List.of(
        def("net.cidr_contains", "Checks if a CIDR or IP is contained within another CIDR. `output` is `true` if "
                + "`cidr_or_ip` (e.g. `127.0.0.64/26` or `127.0.0.1`) is contained within `cidr` (e.g. "
                + "`127.0.0.1/24`) and `false` otherwise. Supports both IPv4 and IPv6 notations.")
            .arg("cidr", "CIDR to check against", STRING)
            .arg("cidr_or_ip", "CIDR or IP to check", STRING)
            .returns("result", "`true` if `cidr_or_ip` is contained within `cidr`", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(contains(a[0], a[1]))),
        def("net.cidr_contains_matches", "Checks if collections of cidrs or ips are contained within another collection of cidrs and "
                + "returns matches. This function is similar to `net.cidr_contains` except it allows callers "
                + "to pass collections of CIDRs or IPs as arguments and returns the matches (as opposed to a "
                + "boolean result indicating a match between two CIDRs/IPs).")
            .arg("cidrs", "CIDRs to check against", any(STRING, arrayOf(any(STRING, ANY_ARRAY)), objectOf(STRING, any(STRING, ANY_ARRAY)), setOf(any(STRING, ANY_ARRAY))))
            .arg("cidrs_or_ips", "CIDRs or IPs to check", any(STRING, arrayOf(any(STRING, ANY_ARRAY)), objectOf(STRING, any(STRING, ANY_ARRAY)), setOf(any(STRING, ANY_ARRAY))))
            .returns("output", "tuples identifying matches where `cidrs_or_ips` are contained within `cidrs`", setOf(tuple(ANY, ANY)))
            .impl(Net::containsMatches),
        def("net.cidr_expand", "Expands CIDR to set of hosts  (e.g., `net.cidr_expand(\"192.168.0.0/30\")` generates 4 "
                + "hosts: `{\"192.168.0.0\", \"192.168.0.1\", \"192.168.0.2\", \"192.168.0.3\"}`).")
            .arg("cidr", "CIDR to expand", STRING)
            .returns("hosts", "set of IP addresses the CIDR `cidr` expands to", setOf(STRING))
            .impl(Net::expand),
        def("net.cidr_intersects", "Checks if a CIDR intersects with another CIDR (e.g. `192.168.0.0/16` overlaps with "
                + "`192.168.1.0/24`). Supports both IPv4 and IPv6 notations.")
            .arg("cidr1", "first CIDR", STRING)
            .arg("cidr2", "second CIDR", STRING)
            .returns("result", "`true` if `cidr1` intersects with `cidr2`", BOOLEAN)
            .impl(Net::intersects),
        def("net.cidr_is_valid", "Parses an IPv4/IPv6 CIDR and returns a boolean indicating if the provided CIDR is valid.")
            .arg("cidr", "CIDR to validate", STRING)
            .returns("result", "`true` if `cidr` is a valid CIDR", BOOLEAN)
            .impl((c, a) -> BooleanValue.of(a[0] instanceof StringValue s && GoIp.parseCIDR(s.value()) != null)),
        def("net.cidr_merge", "Merges IP addresses and subnets into the smallest possible list of CIDRs (e.g., "
                + "`net.cidr_merge([\"192.0.128.0/24\", \"192.0.129.0/24\"])` generates "
                + "`{\"192.0.128.0/23\"}`.This function merges adjacent subnets where possible, those "
                + "contained within others and also removes any duplicates.\nSupports both IPv4 and IPv6 "
                + "notations. IPv6 inputs need a prefix length (e.g. \"/128\").")
            .arg("addrs", "CIDRs or IP addresses", any(arrayOf(any(STRING)), setOf(STRING)))
            .returns("output", "smallest possible set of CIDRs obtained after merging the provided list of IP addresses "
                + "and subnets in `addrs`", setOf(STRING))
            .impl(Net::merge),
        def("net.cidr_overlap")
            .arg(STRING)
            .arg(STRING)
            .returns(BOOLEAN)
            .deprecated()
            .impl((c, a) -> BooleanValue.of(contains(a[0], a[1]))),
        def("net.lookup_ip_addr", "Returns the set of IP addresses (both v4 and v6) that the passed-in `name` resolves to "
                + "using the standard name resolution mechanisms available.")
            .arg("name", "domain name to resolve", STRING)
            .returns("addrs", "IP addresses (v4 and v6) that `name` resolves to", setOf(STRING))
            .nondeterministic()
            .impl(Net::lookup),
        def("uri.parse", "Parses a URI and returns an object containing its components according to RFC 3986. Empty "
                + "components are omitted. In addition to the standard components, `raw_query` is returned "
                + "for use with `urlquery` builtins, and `raw_path` is returned to allow detection of "
                + "path-based exploits using percent-encoded characters.")
            .arg("uri", "the URI string to parse", STRING)
            .returns("output", "object containing URI components", objectOf(STRING, STRING))
            .impl(Uris::parse),
        def("uri.is_valid", "Returns true if the input can be parsed as a URI.")
            .arg("uri", "the URI string to validate", STRING)
            .returns("result", "true if `uri` is a valid URI, false otherwise", BOOLEAN)
            .impl(Uris::isValid));
  }

  private static GoIp.Net net(Value v, int position) {
    if (!(v instanceof StringValue s)) {
      throw BuiltinException.operandType(position, v, "string");
    }
    GoIp.Net n = GoIp.parseCIDR(s.value());
    if (n == null) {
      throw BuiltinException.error("invalid CIDR address: " + s.value());
    }
    return n;
  }

  /** net.cidr_contains: an address, or a whole network, inside the first network. */
  static boolean contains(Value cidr, Value other) {
    GoIp.Net a = net(cidr, 1);
    if (!(other instanceof StringValue os)) {
      throw BuiltinException.operandType(1, other, "string");
    }
    byte[] ip = GoIp.parseIP(os.value());
    if (ip != null) {
      return GoIp.contains(a, ip);
    }
    GoIp.Net b = GoIp.parseCIDR(os.value());
    if (b == null) {
      throw BuiltinException.error("not a valid textual representation of an IP address or CIDR: " + os.value());
    }
    if (plainIPv6(a) && plainIPv6(b)) {
      int aOnes = GoIp.maskSize(a.mask())[0];
      int bOnes = GoIp.maskSize(b.mask())[0];
      return aOnes <= bOnes && Arrays.equals(a.ip(), GoIp.applyMask(b.ip(), a.mask()));
    }
    if (!GoIp.contains(a, b.ip())) {
      return false;
    }
    return GoIp.contains(a, lastIP(b));
  }

  private static boolean plainIPv6(GoIp.Net n) {
    return n.ip().length == 16 && n.mask().length == 16 && GoIp.to4(n.ip()) == null;
  }

  /** The last address of a network, in the length of its mask. */
  private static byte[] lastIP(GoIp.Net n) {
    int[] size = GoIp.maskSize(n.mask());
    if (size[1] == 0) {
      throw BuiltinException.error("CIDR mask is in non-standard format");
    }
    if (size[0] == size[1]) {
      return n.ip();
    }
    BigInteger host = BigInteger.ONE.shiftLeft(size[1] - size[0]).subtract(BigInteger.ONE);
    return GoIp.fromBig(GoIp.toBig(n.ip()).or(host), size[1] / 8);
  }

  private static Value intersects(BuiltinContext c, Value[] a) {
    GoIp.Net x = net(a[0], 1);
    GoIp.Net y = net(a[1], 1);
    return BooleanValue.of(GoIp.contains(x, y.ip()) || GoIp.contains(y, x.ip()));
  }

  private record Entry(Value cidr, Value index) {}

  /** The (cidr, index) pairs of one net.cidr_contains_matches operand. */
  private static List<Entry> entries(Value v, int operand) {
    List<Entry> out = new ArrayList<>();
    if (v instanceof StringValue) {
      out.add(new Entry(v, v));
    } else if (v instanceof ArrayValue arr) {
      for (int i = 0; i < arr.size(); i++) {
        out.add(new Entry(matchTerm(arr.get(i), operand), NumberValue.of(i)));
      }
    } else if (v instanceof SetValue s) {
      for (Value e : s) {
        out.add(new Entry(matchTerm(e, operand), e));
      }
    } else if (v instanceof ObjectValue o) {
      o.forEach((k, e) -> out.add(new Entry(matchTerm(e, operand), k)));
    }
    return out;
  }

  private static Value matchTerm(Value e, int operand) {
    if (e instanceof StringValue) {
      return e;
    }
    if (e instanceof ArrayValue arr && arr.size() > 0) {
      return arr.get(0);
    }
    throw BuiltinException.error("operand " + operand + ": element must be string or non-empty array");
  }

  private static Value containsMatches(BuiltinContext c, Value[] a) {
    List<Entry> xs = entries(a[0], 1);
    List<Entry> ys = entries(a[1], 2);
    SetValue.Builder out = SetValue.builder();
    for (Entry x : xs) {
      for (Entry y : ys) {
        if (contains(x.cidr(), y.cidr())) {
          out.add(ArrayValue.of(x.index(), y.index()));
        }
      }
    }
    return out.build();
  }

  private static Value expand(BuiltinContext c, Value[] a) {
    String s = Args.str(a, 0);
    GoIp.Net n = GoIp.parseCIDR(s);
    if (n == null) {
      throw BuiltinException.error("invalid CIDR address: " + s);
    }
    SetValue.Builder out = SetValue.builder();
    BigInteger first = GoIp.toBig(n.ip());
    int len = n.ip().length;
    int[] size = GoIp.maskSize(n.mask());
    BigInteger count = BigInteger.ONE.shiftLeft(size[1] - size[0]);
    BigInteger limit = first.add(count);
    for (BigInteger i = first; i.compareTo(limit) < 0; i = i.add(BigInteger.ONE)) {
      out.add(StringValue.of(GoIp.toString(GoIp.fromBig(i, len))));
      if ((out.size() & 0x3FF) == 0) {
        c.checkCancelled();
      }
    }
    return out.build();
  }

  /** A range of the unified 16-byte address space, remembering its network when it is one unmerged. */
  private record Range(BigInteger first, BigInteger last, GoIp.Net network) {}

  private static final BigInteger V4_BASE = GoIp.toBig(GoIp.v4to16(new byte[4]));

  private static Value merge(BuiltinContext c, Value[] a) {
    List<Value> elems;
    if (a[0] instanceof ArrayValue arr) {
      elems = arr.elements();
    } else if (a[0] instanceof SetValue s) {
      elems = s.sorted();
    } else {
      throw BuiltinException.error("operand must be an array");
    }
    List<Range> ranges = new ArrayList<>();
    for (Value e : elems) {
      if (!(e instanceof StringValue s)) {
        throw BuiltinException.error("element must be string");
      }
      GoIp.Net n;
      byte[] ip = GoIp.parseIP(s.value());
      if (ip == null) {
        n = GoIp.parseCIDR(s.value());
        if (n == null) {
          throw BuiltinException.error("invalid CIDR address: " + s.value());
        }
      } else if (GoIp.to4(ip) != null) {
        n = new GoIp.Net(ip, GoIp.defaultMask(ip));
      } else {
        throw BuiltinException.error("IPv6 invalid: needs prefix length");
      }
      ranges.add(range(n));
    }
    // sorted by last address, then first; overlapping or adjacent neighbours merge, from the end
    ranges.sort((x, y) -> {
      int r = x.last().compareTo(y.last());
      return r != 0 ? r : x.first().compareTo(y.first());
    });
    for (int i = ranges.size() - 1; i > 0; i--) {
      Range cur = ranges.get(i);
      Range prev = ranges.get(i - 1);
      if (previous(cur.first()).compareTo(prev.last()) <= 0) {
        BigInteger first = prev.first().min(cur.first());
        ranges.set(i - 1, new Range(first, cur.last(), null));
        ranges.remove(i);
      }
    }
    SetValue.Builder out = SetValue.builder();
    for (Range r : ranges) {
      if (r.network() != null) {
        out.add(StringValue.of(GoIp.toString(r.network())));
      } else {
        for (String cidr : rangeToCidrs(r.first(), r.last())) {
          out.add(StringValue.of(cidr));
        }
      }
    }
    return out.build();
  }

  private static Range range(GoIp.Net n) {
    byte[] masked = GoIp.applyMask(n.ip(), n.mask());
    byte[] first16 = masked.length == 4 ? GoIp.v4to16(masked) : masked;
    BigInteger first = GoIp.toBig(first16);
    int hostBits = n.mask().length * 8 - GoIp.maskSize(n.mask())[0];
    BigInteger last = first.or(BigInteger.ONE.shiftLeft(hostBits).subtract(BigInteger.ONE));
    return new Range(first, last, n);
  }

  /** The address before ip; the lowest IPv4 and IPv6 addresses are their own predecessors. */
  private static BigInteger previous(BigInteger ip) {
    if (ip.signum() == 0 || ip.equals(V4_BASE)) {
      return ip;
    }
    return ip.subtract(BigInteger.ONE);
  }

  /** The aligned CIDR blocks that exactly cover [first, last], largest first. */
  private static List<String> rangeToCidrs(BigInteger first, BigInteger last) {
    boolean v4 = first.compareTo(V4_BASE) >= 0 && last.compareTo(V4_BASE.add(BigInteger.ONE.shiftLeft(32))) < 0;
    BigInteger base = v4 ? V4_BASE : BigInteger.ZERO;
    int bits = v4 ? 32 : 128;
    BigInteger lo = first.subtract(base);
    BigInteger hi = last.subtract(base);
    List<String> out = new ArrayList<>();
    while (lo.compareTo(hi) <= 0) {
      int size = lo.signum() == 0 ? bits : lo.getLowestSetBit();
      while (size > 0 && lo.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE).compareTo(hi) > 0) {
        size--;
      }
      byte[] ip = v4 ? GoIp.fromBig(lo, 4) : GoIp.fromBig(lo, 16);
      out.add(GoIp.toString(ip) + "/" + (bits - size));
      lo = lo.add(BigInteger.ONE.shiftLeft(size));
    }
    return out;
  }

  /** net.lookup_ip_addr: literal addresses need no lookup; names only when the NetworkPolicy allows them. */
  private static Value lookup(BuiltinContext c, Value[] a) {
    String name = Args.str(a, 0);
    byte[] literal = GoIp.parseIP(name);
    if (literal != null) {
      return SetValue.of(StringValue.of(GoIp.toString(literal)));
    }
    if (!c.network().allows(name)) {
      throw BuiltinException.error("disallowed host: " + name);
    }
    return (Value) c.queryCache().computeIfAbsent(new LookupKey(name), k -> {
      try {
        SetValue.Builder out = SetValue.builder();
        for (InetAddress addr : InetAddress.getAllByName(name)) {
          byte[] b = addr.getAddress();
          out.add(StringValue.of(GoIp.toString(b.length == 4 ? GoIp.v4to16(b) : b)));
        }
        return out.build();
      } catch (UnknownHostException e) {
        throw BuiltinException.error("lookup " + name + ": no such host");
      }
    });
  }

  private record LookupKey(String name) {}
}
