package dev.gatehouse.engine.builtins.crypto;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PEM decoding with the semantics of Go's {@code encoding/pem.Decode}: the block is the first END
 * line's closest preceding BEGIN line, junk around blocks is skipped, a block whose base64 body does
 * not decode is passed over, and what follows the block is returned as the rest.
 */
public final class Pem {
  private static final byte[] START = "\n-----BEGIN ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] END = "\n-----END ".getBytes(StandardCharsets.US_ASCII);
  private static final byte[] DASHES = "-----".getBytes(StandardCharsets.US_ASCII);

  private Pem() {}

  public record Block(String type, Map<String, String> headers, byte[] bytes) {}

  /** The decoded block (null when none was found) and the input after it (all of it when none). */
  public record Decoded(Block block, byte[] rest) {}

  public static boolean hasPrefix(byte[] data, String prefix) {
    byte[] p = prefix.getBytes(StandardCharsets.US_ASCII);
    return data.length >= p.length && Arrays.equals(data, 0, p.length, p, 0, p.length);
  }

  public static Decoded decode(byte[] data) {
    byte[] rest = data;
    int endTrailerIndex = 0;
    while (true) {
      if (endTrailerIndex < 0 || endTrailerIndex > rest.length) {
        return new Decoded(null, data);
      }
      rest = Arrays.copyOfRange(rest, endTrailerIndex, rest.length);
      int endIndex = indexOf(rest, END, 0, rest.length);
      if (endIndex < 0) {
        return new Decoded(null, data);
      }
      endTrailerIndex = endIndex + END.length;
      int beginIndex = lastIndexOf(rest, START, 1, endIndex);
      if (beginIndex < 0 || (beginIndex > 0 && rest[beginIndex - 1] != '\n')) {
        continue;
      }
      int skip = beginIndex + START.length - 1;
      rest = Arrays.copyOfRange(rest, skip, rest.length);
      endIndex -= skip;
      endTrailerIndex -= skip;

      Line typeLine = line(rest, 0);
      rest = Arrays.copyOfRange(rest, typeLine.next, rest.length);
      endIndex -= typeLine.next;
      endTrailerIndex -= typeLine.next;
      byte[] type = typeLine.bytes;
      if (!endsWith(type, DASHES)) {
        continue;
      }
      type = Arrays.copyOf(type, type.length - DASHES.length);

      Map<String, String> headers = new LinkedHashMap<>();
      boolean truncated = false;
      while (true) {
        if (rest.length == 0) {
          truncated = true;
          break;
        }
        Line l = line(rest, 0);
        int colon = indexOf(l.bytes, new byte[] {':'}, 0, l.bytes.length);
        if (colon < 0) {
          break;
        }
        String key = new String(l.bytes, 0, colon, StandardCharsets.UTF_8).strip();
        String val = new String(l.bytes, colon + 1, l.bytes.length - colon - 1, StandardCharsets.UTF_8).strip();
        headers.put(key, val);
        rest = Arrays.copyOfRange(rest, l.next, rest.length);
        endIndex -= l.next;
        endTrailerIndex -= l.next;
      }
      if (truncated) {
        return new Decoded(null, data);
      }
      if (!headers.isEmpty() && endIndex < 0) {
        continue;
      }
      if (endTrailerIndex < 0 || endTrailerIndex > rest.length) {
        continue;
      }
      int trailerLen = type.length + DASHES.length;
      if (rest.length - endTrailerIndex < trailerLen) {
        continue;
      }
      byte[] trailer = Arrays.copyOfRange(rest, endTrailerIndex, endTrailerIndex + trailerLen);
      if (!startsWith(trailer, type) || !endsWith(trailer, DASHES)) {
        continue;
      }
      Line restOfEnd = line(rest, endTrailerIndex + trailerLen);
      if (restOfEnd.bytes.length != 0) {
        continue;
      }
      byte[] body = new byte[0];
      if (endIndex > 0) {
        byte[] b64 = withoutSpacesAndTabs(Arrays.copyOf(rest, endIndex));
        try {
          body = GoBase64.decodeStd(b64);
        } catch (GoBase64.CorruptInputException e) {
          continue;
        }
      }
      // the END line may have matched without its leading newline when the body was empty
      int afterEnd = endIndex + END.length - 1;
      Line endLine = line(rest, afterEnd);
      byte[] tail = Arrays.copyOfRange(rest, endLine.next, rest.length);
      return new Decoded(new Block(new String(type, StandardCharsets.UTF_8), headers, body), tail);
    }
  }

  /** A line without its terminator and trailing blanks; next is the absolute offset after the terminator. */
  private record Line(byte[] bytes, int next) {}

  private static Line line(byte[] data, int from) {
    int i = indexOf(data, new byte[] {'\n'}, from, data.length);
    int end;
    int next;
    if (i < 0) {
      end = data.length;
      next = data.length;
    } else {
      next = i + 1;
      end = i > from && data[i - 1] == '\r' ? i - 1 : i;
    }
    while (end > from && (data[end - 1] == ' ' || data[end - 1] == '\t')) {
      end--;
    }
    return new Line(Arrays.copyOfRange(data, from, end), next);
  }

  private static byte[] withoutSpacesAndTabs(byte[] b) {
    int n = 0;
    byte[] out = new byte[b.length];
    for (byte x : b) {
      if (x != ' ' && x != '\t') {
        out[n++] = x;
      }
    }
    return Arrays.copyOf(out, n);
  }

  private static int indexOf(byte[] hay, byte[] needle, int from, int to) {
    outer:
    for (int i = from; i + needle.length <= to; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** Last index of needle[skip:] in hay[0:to]. */
  private static int lastIndexOf(byte[] hay, byte[] needle, int skip, int to) {
    int n = needle.length - skip;
    outer:
    for (int i = to - n; i >= 0; i--) {
      for (int j = 0; j < n; j++) {
        if (hay[i + j] != needle[skip + j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static boolean startsWith(byte[] b, byte[] p) {
    return b.length >= p.length && Arrays.equals(b, 0, p.length, p, 0, p.length);
  }

  private static boolean endsWith(byte[] b, byte[] s) {
    return b.length >= s.length && Arrays.equals(b, b.length - s.length, b.length, s, 0, s.length);
  }
}
