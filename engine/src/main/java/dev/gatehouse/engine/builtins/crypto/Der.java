package dev.gatehouse.engine.builtins.crypto;

import java.math.BigInteger;
import java.util.Arrays;

/**
 * A strict DER reader with the acceptance rules of Go's {@code cryptobyte}, which Go's x509
 * parser is built on: definite minimal lengths, low tag numbers only, minimally encoded integers
 * and OIDs. Read methods return null (or false) on malformed input so that each caller can raise
 * the error message Go raises at that point.
 */
final class Der {
  static final int BOOLEAN = 0x01;
  static final int INTEGER = 0x02;
  static final int BIT_STRING = 0x03;
  static final int OCTET_STRING = 0x04;
  static final int NULL = 0x05;
  static final int OBJECT_IDENTIFIER = 0x06;
  static final int UTF8_STRING = 0x0c;
  static final int NUMERIC_STRING = 0x12;
  static final int PRINTABLE_STRING = 0x13;
  static final int T61_STRING = 0x14;
  static final int IA5_STRING = 0x16;
  static final int UTC_TIME = 0x17;
  static final int GENERALIZED_TIME = 0x18;
  static final int BMP_STRING = 0x1e;
  static final int SEQUENCE = 0x30;
  static final int SET = 0x31;

  static final byte[] NULL_BYTES = {0x05, 0x00};

  private Der() {}

  /** [n] IMPLICIT, primitive. */
  static int context(int n) {
    return 0x80 | n;
  }

  /** [n], constructed. */
  static int constructed(int n) {
    return 0xa0 | n;
  }

  /** One TLV: the tag, and offsets of the whole element and of its contents in buf. */
  record Element(int tag, byte[] buf, int start, int contentStart, int end) {
    byte[] content() {
      return Arrays.copyOfRange(buf, contentStart, end);
    }

    byte[] encoded() {
      return Arrays.copyOfRange(buf, start, end);
    }

    int contentLength() {
      return end - contentStart;
    }

    Reader reader() {
      return new Reader(buf, contentStart, end);
    }
  }

  record BitString(byte[] bytes, int bitLength) {
    /** The bits shifted so that padding is at the front, as Go's BitString.RightAlign. */
    byte[] rightAlign() {
      int shift = 8 - (bitLength % 8);
      if (shift == 8 || bytes.length == 0) {
        return bytes.clone();
      }
      byte[] a = new byte[bytes.length];
      a[0] = (byte) ((bytes[0] & 0xff) >> shift);
      for (int i = 1; i < bytes.length; i++) {
        a[i] = (byte) (((bytes[i - 1] & 0xff) << (8 - shift)) | ((bytes[i] & 0xff) >> shift));
      }
      return a;
    }

    int at(int i) {
      if (i < 0 || i >= bitLength) {
        return 0;
      }
      return ((bytes[i / 8] & 0xff) >> (7 - i % 8)) & 1;
    }
  }

  /** A cursor over a byte range. */
  static final class Reader {
    private final byte[] buf;
    private int pos;
    private final int end;

    Reader(byte[] buf) {
      this(buf, 0, buf.length);
    }

    Reader(byte[] buf, int from, int to) {
      this.buf = buf;
      this.pos = from;
      this.end = to;
    }

    boolean empty() {
      return pos >= end;
    }

    int remaining() {
      return end - pos;
    }

    byte[] rest() {
      return Arrays.copyOfRange(buf, pos, end);
    }

    boolean peek(int tag) {
      return pos < end && (buf[pos] & 0xff) == tag;
    }

    /** The next element whatever its tag, or null when malformed. */
    Element readAny() {
      Element e = header();
      if (e != null) {
        pos = e.end();
      }
      return e;
    }

    /** The next element if it has this tag, else null (and nothing is consumed). */
    Element read(int tag) {
      Element e = header();
      if (e == null || e.tag() != tag) {
        return null;
      }
      pos = e.end();
      return e;
    }

    /** Like cryptobyte's ReadOptionalASN1: absent is fine, present-but-malformed is an error. */
    Optional optional(int tag) {
      if (!peek(tag)) {
        return Optional.ABSENT;
      }
      Element e = read(tag);
      return e == null ? Optional.MALFORMED : new Optional(e);
    }

    private Element header() {
      if (end - pos < 2) {
        return null;
      }
      int tag = buf[pos] & 0xff;
      if ((tag & 0x1f) == 0x1f) {
        return null; // high tag numbers are not supported
      }
      int lenByte = buf[pos + 1] & 0xff;
      long length;
      int headerLen;
      if ((lenByte & 0x80) == 0) {
        length = lenByte;
        headerLen = 2;
      } else {
        int lenLen = lenByte & 0x7f;
        if (lenLen == 0 || lenLen > 4 || end - pos < 2 + lenLen) {
          return null;
        }
        long l = 0;
        for (int i = 0; i < lenLen; i++) {
          l = (l << 8) | (buf[pos + 2 + i] & 0xff);
        }
        if (l < 128) {
          return null; // should have used the short form
        }
        if ((l >> ((lenLen - 1) * 8)) == 0) {
          return null; // leading zero length byte
        }
        length = l;
        headerLen = 2 + lenLen;
      }
      if (length > end - pos - headerLen) {
        return null;
      }
      return new Element(tag, buf, pos, pos + headerLen, pos + headerLen + (int) length);
    }

    BigInteger readBigInteger() {
      return readBigInteger(INTEGER);
    }

    BigInteger readBigInteger(int tag) {
      int save = pos;
      Element e = read(tag);
      if (e == null || !validInteger(e)) {
        pos = save;
        return null;
      }
      return new BigInteger(e.content());
    }

    /** An INTEGER that fits in 64 bits, or null. */
    Long readInt64(int tag) {
      int save = pos;
      BigInteger b = readBigInteger(tag);
      if (b == null || b.bitLength() > 63) {
        pos = save;
        return null;
      }
      return b.longValue();
    }

    Boolean readBoolean() {
      int save = pos;
      Element e = read(BOOLEAN);
      if (e == null || e.contentLength() != 1) {
        pos = save;
        return null;
      }
      int v = buf[e.contentStart()] & 0xff;
      if (v == 0) {
        return Boolean.FALSE;
      }
      if (v == 0xff) {
        return Boolean.TRUE;
      }
      pos = save;
      return null;
    }

    /** An OBJECT IDENTIFIER as Go's asn1.ObjectIdentifier (components must fit 31 bits). */
    int[] readOid() {
      int save = pos;
      Element e = read(OBJECT_IDENTIFIER);
      int[] oid = e == null ? null : oidComponents(e.content());
      if (oid == null) {
        pos = save;
      }
      return oid;
    }

    BitString readBitString() {
      int save = pos;
      Element e = read(BIT_STRING);
      if (e == null || e.contentLength() == 0) {
        pos = save;
        return null;
      }
      byte[] c = e.content();
      int padding = c[0] & 0xff;
      if (padding > 7 || (c.length == 1 && padding > 0) || (c[c.length - 1] & ((1 << padding) - 1)) != 0) {
        pos = save;
        return null;
      }
      return new BitString(Arrays.copyOfRange(c, 1, c.length), (c.length - 1) * 8 - padding);
    }
  }

  /** The result of an optional read: absent, present, or present but malformed. */
  record Optional(Element element) {
    static final Optional ABSENT = new Optional(null);
    static final Optional MALFORMED = new Optional(null);

    boolean present() {
      return element != null;
    }

    boolean malformed() {
      return this == MALFORMED;
    }
  }

  static boolean validInteger(Element e) {
    int n = e.contentLength();
    if (n == 0) {
      return false;
    }
    if (n == 1) {
      return true;
    }
    int b0 = e.buf()[e.contentStart()] & 0xff;
    int b1 = e.buf()[e.contentStart() + 1] & 0xff;
    return !((b0 == 0 && (b1 & 0x80) == 0) || (b0 == 0xff && (b1 & 0x80) == 0x80));
  }

  /** OID components as cryptobyte reads them, or null if malformed or too large. */
  static int[] oidComponents(byte[] c) {
    if (c.length == 0) {
      return null;
    }
    int[] out = new int[c.length + 1];
    int n = 0;
    int i = 0;
    boolean first = true;
    while (i < c.length) {
      long v = 0;
      int count = 0;
      while (true) {
        if (i >= c.length || count == 5) {
          return null;
        }
        int b = c[i++] & 0xff;
        if (count == 0 && b == 0x80) {
          return null; // non-minimal encoding
        }
        if (v >= (1L << (31 - 7))) {
          return null; // overflow
        }
        v = (v << 7) | (b & 0x7f);
        count++;
        if ((b & 0x80) == 0) {
          break;
        }
      }
      if (first) {
        if (v < 80) {
          out[n++] = (int) (v / 40);
          out[n++] = (int) (v % 40);
        } else {
          out[n++] = 2;
          out[n++] = (int) (v - 80);
        }
        first = false;
      } else {
        out[n++] = (int) v;
      }
    }
    return Arrays.copyOf(out, n);
  }

  /**
   * The dotted form of an OID of any size, as Go's x509.OID prints it; null if the encoding is not
   * a well-formed base-128 sequence.
   */
  static String oidDotted(byte[] c) {
    if (c.length == 0 || (c[c.length - 1] & 0x80) != 0) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    BigInteger v = BigInteger.ZERO;
    boolean first = true;
    boolean start = true;
    for (byte x : c) {
      int b = x & 0xff;
      if (start && b == 0x80) {
        return null;
      }
      start = false;
      v = v.shiftLeft(7).or(BigInteger.valueOf(b & 0x7f));
      if ((b & 0x80) == 0) {
        if (first) {
          BigInteger eighty = BigInteger.valueOf(80);
          if (v.compareTo(eighty) < 0) {
            sb.append(v.divide(BigInteger.valueOf(40))).append('.').append(v.mod(BigInteger.valueOf(40)));
          } else {
            sb.append("2.").append(v.subtract(eighty));
          }
          first = false;
        } else {
          sb.append('.').append(v);
        }
        v = BigInteger.ZERO;
        start = true;
      }
    }
    return sb.toString();
  }

  static String dotted(int[] oid) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < oid.length; i++) {
      if (i > 0) {
        sb.append('.');
      }
      sb.append(oid[i]);
    }
    return sb.toString();
  }
}
