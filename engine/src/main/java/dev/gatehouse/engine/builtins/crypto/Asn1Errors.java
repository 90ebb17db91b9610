package dev.gatehouse.engine.builtins.crypto;

import java.util.Arrays;

/**
 * The messages Go's reflection-based {@code encoding/asn1} gives when an element of a structure
 * is missing, cut short or of the wrong type. Parsers built on it (CSRs, private keys) surface
 * these to OPA users, e.g. {@code asn1: structure error: tags don't match (16 vs ...)}. Offsets
 * are relative to the enclosing element's contents, as in Go.
 */
final class Asn1Errors {
  private static final String PARAMS = "{optional:false explicit:false application:false private:false "
      + "defaultValue:<nil> tag:<nil> stringType:0 timeType:0 set:false omitEmpty:false}";

  private Asn1Errors() {}

  /** The error for a whole input that should be a SEQUENCE for the named Go struct type. */
  static String structure(byte[] der, String goType) {
    return field(der, 0, Der.SEQUENCE, goType);
  }

  /**
   * The error for the field expected at offset of contents (the enclosing element's contents),
   * when it is absent or not of the expected universal tag.
   */
  static String field(byte[] contents, int offset, int expectedTag, String goType) {
    if (offset >= contents.length) {
      return "asn1: syntax error: sequence truncated";
    }
    int b = contents[offset++] & 0xff;
    int cls = b >> 6;
    boolean compound = (b & 0x20) != 0;
    long tag = b & 0x1f;
    if (tag == 0x1f) {
      tag = 0;
      int shifted = 0;
      while (true) {
        if (offset >= contents.length) {
          return "asn1: syntax error: truncated tag or length";
        }
        int c = contents[offset++] & 0xff;
        if (shifted == 0 && c == 0x80) {
          return "asn1: structure error: integer is not minimally encoded";
        }
        tag = (tag << 7) | (c & 0x7f);
        shifted++;
        if (shifted > 4) {
          return "asn1: structure error: base 128 integer too large";
        }
        if ((c & 0x80) == 0) {
          break;
        }
      }
      if (tag < 0x1f) {
        return "asn1: syntax error: non-minimal tag";
      }
    }
    if (offset >= contents.length) {
      return "asn1: syntax error: truncated tag or length";
    }
    int lb = contents[offset++] & 0xff;
    long length;
    if ((lb & 0x80) == 0) {
      length = lb;
    } else {
      int n = lb & 0x7f;
      if (n == 0) {
        return "asn1: syntax error: indefinite length found (not DER)";
      }
      length = 0;
      for (int i = 0; i < n; i++) {
        if (offset >= contents.length) {
          return "asn1: syntax error: truncated tag or length";
        }
        int c = contents[offset++] & 0xff;
        if (length >= 1L << 23) {
          return "asn1: structure error: length too large";
        }
        length = (length << 8) | c;
        if (length == 0) {
          return "asn1: structure error: superfluous leading zeros in length";
        }
      }
      if (length < 0x80) {
        return "asn1: structure error: non-minimal length";
      }
    }
    int wantTag = expectedTag & 0x1f;
    boolean wantCompound = (expectedTag & 0x20) != 0;
    if (!(cls == 0 && tag == wantTag && compound == wantCompound)) {
      return "asn1: structure error: tags don't match (" + wantTag + " vs {class:" + cls + " tag:" + tag + " length:"
          + length + " isCompound:" + compound + "}) " + PARAMS + " " + goType + " @" + offset;
    }
    if (length > contents.length - offset) {
      return "asn1: syntax error: data truncated";
    }
    if (length == 0 && wantCompound) {
      return "asn1: syntax error: sequence truncated";
    }
    return "asn1: structure error: malformed " + goType;
  }

  /** The error for the first of a structure's fields that a reader failed to read. */
  static String firstBadField(Der.Element parent, int[] tags, String[] goTypes) {
    byte[] contents = parent.content();
    Der.Reader r = new Der.Reader(contents);
    for (int i = 0; i < tags.length; i++) {
      int offset = contents.length - r.remaining();
      Der.Element e = r.read(tags[i]);
      if (e == null) {
        return field(contents, offset, tags[i], goTypes[i]);
      }
    }
    return "asn1: structure error: malformed " + Arrays.toString(goTypes);
  }
}
