package dev.gatehouse.engine.bundle;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The slice of the tar format that bundles need: reading regular files from ustar, GNU
 * (long-name {@code L} entries) and PAX ({@code path} records) archives, and writing ustar with a
 * PAX header when a name does not fit. Written here rather than pulled in as a dependency because
 * the engine stays a small library and bundles use nothing else of tar.
 */
final class Tar {
  private Tar() {}

  static final int BLOCK = 512;

  /** One regular file of an archive. */
  record Entry(String name, byte[] content) {}

  static List<Entry> read(InputStream in, long maxFileBytes) throws IOException {
    List<Entry> out = new ArrayList<>();
    byte[] header = new byte[BLOCK];
    String longName = null;
    while (true) {
      if (!readBlock(in, header)) {
        return out; // archives may end without the two zero blocks
      }
      if (isZero(header)) {
        return out;
      }
      if (!checksumOk(header)) {
        throw new IOException("invalid tar header checksum");
      }
      String name = string(header, 0, 100);
      long size = octal(header, 124, 12);
      char type = (char) header[156];
      String magic = string(header, 257, 6);
      if (magic.startsWith("ustar")) {
        String prefix = string(header, 345, 155);
        if (!prefix.isEmpty()) {
          name = prefix + "/" + name;
        }
      }
      if (size < 0 || size > maxFileBytes) {
        throw new IOException("bundle file '" + name + "' size (" + size + " bytes) exceeded max size ("
            + maxFileBytes + " bytes)");
      }
      byte[] content = readContent(in, size);
      switch (type) {
        case 'L' -> longName = trimNul(new String(content, StandardCharsets.UTF_8));
        case 'x' -> {
          String p = paxPath(content);
          if (p != null) {
            longName = p;
          }
        }
        case '0', '\0', '7' -> {
          out.add(new Entry(longName != null ? longName : name, content));
          longName = null;
        }
        default -> longName = null; // directories, links, global headers: nothing a bundle reads
      }
    }
  }

  static void write(OutputStream out, List<Entry> entries) throws IOException {
    for (Entry e : entries) {
      byte[] nameBytes = e.name().getBytes(StandardCharsets.UTF_8);
      if (nameBytes.length > 100) {
        byte[] record = paxRecord("path", e.name());
        out.write(header("PaxHeaders/" + tail(e.name()), record.length, 'x'));
        out.write(record);
        pad(out, record.length);
      }
      out.write(header(e.name(), e.content().length, '0'));
      out.write(e.content());
      pad(out, e.content().length);
    }
    out.write(new byte[BLOCK * 2]);
  }

  private static String tail(String name) {
    String t = name.substring(name.lastIndexOf('/') + 1);
    return t.length() > 80 ? t.substring(0, 80) : t;
  }

  private static byte[] header(String name, long size, char type) {
    byte[] h = new byte[BLOCK];
    byte[] n = name.getBytes(StandardCharsets.UTF_8);
    System.arraycopy(n, 0, h, 0, Math.min(n.length, 100));
    putOctal(h, 100, 8, 0600);
    putOctal(h, 108, 8, 0);
    putOctal(h, 116, 8, 0);
    putOctal(h, 124, 12, size);
    putOctal(h, 136, 12, 0);
    h[156] = (byte) type;
    byte[] magic = "ustar\u000000".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(magic, 0, h, 257, magic.length);
    putOctal(h, 329, 8, 0);
    putOctal(h, 337, 8, 0);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    byte[] cs = String.format("%06o", sum).getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(cs, 0, h, 148, 6);
    h[154] = 0;
    h[155] = ' ';
    return h;
  }

  private static void putOctal(byte[] h, int off, int len, long v) {
    String s = Long.toOctalString(v);
    StringBuilder sb = new StringBuilder();
    for (int i = s.length(); i < len - 1; i++) {
      sb.append('0');
    }
    byte[] b = sb.append(s).toString().getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, off, len - 1);
    h[off + len - 1] = 0;
  }

  /** A PAX record is "LEN key=value\n" where LEN counts the whole record, itself included. */
  private static byte[] paxRecord(String key, String value) {
    int body = (" " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8).length;
    int len = body + String.valueOf(body).length();
    if (String.valueOf(len).length() != String.valueOf(body).length()) {
      len++;
    }
    return (len + " " + key + "=" + value + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String paxPath(byte[] content) {
    String s = new String(content, StandardCharsets.UTF_8);
    String path = null;
    int i = 0;
    while (i < s.length()) {
      int sp = s.indexOf(' ', i);
      int nl = s.indexOf('\n', sp + 1);
      if (sp < 0 || nl < 0) {
        break;
      }
      String rec = s.substring(sp + 1, nl);
      if (rec.startsWith("path=")) {
        path = rec.substring(5);
      }
      i = nl + 1;
    }
    return path;
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rem = (int) (size % BLOCK);
    if (rem != 0) {
      out.write(new byte[BLOCK - rem]);
    }
  }

  private static boolean readBlock(InputStream in, byte[] b) throws IOException {
    int n = in.readNBytes(b, 0, BLOCK);
    if (n == 0) {
      return false;
    }
    if (n < BLOCK) {
      throw new EOFException("truncated tar archive");
    }
    return true;
  }

  private static byte[] readContent(InputStream in, long size) throws IOException {
    ByteArrayOutputStream bos = new ByteArrayOutputStream((int) Math.min(size, 1 << 20));
    long left = size;
    byte[] buf = new byte[8192];
    while (left > 0) {
      int n = in.read(buf, 0, (int) Math.min(buf.length, left));
      if (n < 0) {
        throw new EOFException("truncated tar archive");
      }
      bos.write(buf, 0, n);
      left -= n;
    }
    int rem = (int) (size % BLOCK);
    if (rem != 0 && in.readNBytes(BLOCK - rem) .length != BLOCK - rem) {
      throw new EOFException("truncated tar archive");
    }
    return bos.toByteArray();
  }

  private static boolean isZero(byte[] b) {
    for (byte x : b) {
      if (x != 0) {
        return false;
      }
    }
    return true;
  }

  private static boolean checksumOk(byte[] h) {
    long want = octal(h, 148, 8);
    long sum = 0;
    for (int i = 0; i < BLOCK; i++) {
      sum += (i >= 148 && i < 156) ? ' ' : (h[i] & 0xff);
    }
    return want == sum;
  }

  private static long octal(byte[] h, int off, int len) {
    if ((h[off] & 0x80) != 0) { // GNU base-256 for big sizes
      long v = h[off] & 0x7f;
      for (int i = 1; i < len; i++) {
        v = (v << 8) | (h[off + i] & 0xff);
      }
      return v;
    }
    long v = 0;
    for (int i = off; i < off + len; i++) {
      byte b = h[i];
      if (b == 0 || b == ' ') {
        if (v != 0 || i > off) {
          boolean rest = true;
          for (int j = i; j < off + len; j++) {
            rest &= h[j] == 0 || h[j] == ' ';
          }
          if (rest) {
            break;
          }
        }
        continue;
      }
      if (b < '0' || b > '7') {
        return -1;
      }
      v = v * 8 + (b - '0');
    }
    return v;
  }

  private static String string(byte[] h, int off, int len) {
    int end = off;
    while (end < off + len && h[end] != 0) {
      end++;
    }
    return new String(h, off, end - off, StandardCharsets.UTF_8);
  }

  private static String trimNul(String s) {
    int i = s.indexOf('\0');
    return i < 0 ? s : s.substring(0, i);
  }
}
