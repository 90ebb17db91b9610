package dev.gatehouse.engine.builtins.crypto;

import dev.gatehouse.engine.value.NullValue;
import dev.gatehouse.engine.value.Value;
import java.util.ArrayList;
import java.util.List;

/**
 * Go's {@code pkix.Name} as filled from an RDN sequence: the well-known attributes pulled out,
 * every attribute in {@code Names}. Lists are null where Go's slices stay nil.
 */
record DistinguishedName(List<String> country, List<String> organization, List<String> organizationalUnit,
    List<String> locality, List<String> province, List<String> streetAddress, List<String> postalCode,
    String serialNumber, String commonName, List<Attribute> names) {

  /** An attribute type and its string value. */
  record Attribute(int[] type, String value) {}

  static DistinguishedName fromAttributes(List<Attribute> atvs) {
    List<String> c = null, o = null, ou = null, l = null, st = null, street = null, postal = null;
    String serial = "";
    String cn = "";
    List<Attribute> names = null;
    for (Attribute a : atvs) {
      if (names == null) {
        names = new ArrayList<>();
      }
      names.add(a);
      int[] t = a.type();
      if (t.length == 4 && t[0] == 2 && t[1] == 5 && t[2] == 4) {
        switch (t[3]) {
          case 3 -> cn = a.value();
          case 5 -> serial = a.value();
          case 6 -> c = add(c, a.value());
          case 7 -> l = add(l, a.value());
          case 8 -> st = add(st, a.value());
          case 9 -> street = add(street, a.value());
          case 10 -> o = add(o, a.value());
          case 11 -> ou = add(ou, a.value());
          case 17 -> postal = add(postal, a.value());
          default -> { }
        }
      }
    }
    return new DistinguishedName(c, o, ou, l, st, street, postal, serial, cn, names);
  }

  private static List<String> add(List<String> list, String v) {
    List<String> out = list == null ? new ArrayList<>() : list;
    out.add(v);
    return out;
  }

  Value toValue() {
    return GoJson.object()
        .put("Country", GoJson.strings(country))
        .put("Organization", GoJson.strings(organization))
        .put("OrganizationalUnit", GoJson.strings(organizationalUnit))
        .put("Locality", GoJson.strings(locality))
        .put("Province", GoJson.strings(province))
        .put("StreetAddress", GoJson.strings(streetAddress))
        .put("PostalCode", GoJson.strings(postalCode))
        .put("SerialNumber", GoJson.string(serialNumber))
        .put("CommonName", GoJson.string(commonName))
        .put("Names", GoJson.list(names, a -> GoJson.object().put("Type", GoJson.oid(a.type()))
            .put("Value", GoJson.string(a.value())).build()))
        .put("ExtraNames", NullValue.INSTANCE)
        .build();
  }
}
