package dev.gatehouse.engine.builtins.core;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Zone abbreviations as the IANA database spells them (Go's "MST" element prints these; Java's
 * display names differ, e.g. "GST" where tzdata says "+04"). Read from the system's TZif files
 * when they exist: each local time type gives (offset, DST) → abbreviation. Absent files mean no
 * answer, and the caller falls back to Java's name.
 */
final class TzAbbreviations {
  private static final Path ZONEINFO = Path.of("/usr/share/zoneinfo");
  private static final Map<String, Zone> CACHE = new ConcurrentHashMap<>();

  /** A zone's transitions (times and the local time type each starts) and its types. */
  private record Zone(long[] times, int[] typeOf, int[] offsets, boolean[] dsts, String[] names) {
    static final Zone NONE = new Zone(new long[0], new int[0], new int[0], new boolean[0], new String[0]);
  }

  private TzAbbreviations() {}

  /**
   * The abbreviation in force at epochSecond, whose offset and DST flag Java computed; or null.
   * The type the last transition before that time started wins when it agrees with Java; past the
   * table (rules in the footer) the latest transition to a type with the same offset and flag does.
   */
  static String lookup(String zoneId, long epochSecond, int offsetSeconds, boolean dst) {
    Zone z = CACHE.computeIfAbsent(zoneId, TzAbbreviations::load);
    if (z.names().length == 0) {
      return null;
    }
    int i = java.util.Arrays.binarySearch(z.times(), epochSecond);
    int at = i >= 0 ? i : -i - 2;
    if (at < 0) {
      // before the first transition: the first standard-time type, as Go takes it
      for (int t = 0; t < z.names().length; t++) {
        if (!z.dsts()[t] && z.offsets()[t] == offsetSeconds) {
          return z.names()[t];
        }
      }
      return null;
    }
    int type = z.typeOf()[at];
    if (z.offsets()[type] == offsetSeconds && z.dsts()[type] == dst) {
      return z.names()[type];
    }
    for (int k = z.times().length - 1; k >= 0; k--) {
      int t = z.typeOf()[k];
      if (z.offsets()[t] == offsetSeconds && z.dsts()[t] == dst) {
        return z.names()[t];
      }
    }
    return null;
  }

  private static Zone load(String zoneId) {
    Zone out = Zone.NONE;
    if (zoneId.contains("..")) {
      return out;
    }
    Path file = ZONEINFO.resolve(zoneId);
    if (!Files.isRegularFile(file)) {
      return out;
    }
    try (InputStream in = Files.newInputStream(file)) {
      DataInputStream d = new DataInputStream(in);
      int[] counts = header(d);
      if (counts == null) {
        return Zone.NONE;
      }
      // skip the version 1 block (32-bit times) when a version 2 block follows
      boolean v2 = counts[6] >= '2';
      if (v2) {
        d.skipNBytes(block(counts, 4));
        counts = header(d);
        if (counts == null) {
          return Zone.NONE;
        }
      }
      int timeSize = v2 ? 8 : 4;
      int timecnt = counts[3];
      int typecnt = counts[4];
      int charcnt = counts[5];
      long[] times = new long[timecnt];
      for (int i = 0; i < timecnt; i++) {
        times[i] = v2 ? d.readLong() : d.readInt();
      }
      int[] typeOf = new int[timecnt];
      for (int i = 0; i < timecnt; i++) {
        typeOf[i] = d.readUnsignedByte();
      }
      int[] offsets = new int[typecnt];
      boolean[] dsts = new boolean[typecnt];
      int[] index = new int[typecnt];
      for (int i = 0; i < typecnt; i++) {
        offsets[i] = d.readInt();
        dsts[i] = d.readUnsignedByte() != 0;
        index[i] = d.readUnsignedByte();
      }
      byte[] chars = d.readNBytes(charcnt);
      String[] names = new String[typecnt];
      for (int i = 0; i < typecnt; i++) {
        int end = index[i];
        while (end < chars.length && chars[end] != 0) {
          end++;
        }
        names[i] = new String(chars, index[i], end - index[i], java.nio.charset.StandardCharsets.US_ASCII);
      }
      for (int t : typeOf) {
        if (t >= typecnt) {
          return Zone.NONE;
        }
      }
      out = new Zone(times, typeOf, offsets, dsts, names);
    } catch (IOException | RuntimeException e) {
      out = Zone.NONE;
    }
    return out;
  }

  /** {isutcnt, isstdcnt, leapcnt, timecnt, typecnt, charcnt, version}, or null for a non-TZif file. */
  private static int[] header(DataInputStream d) throws IOException {
    byte[] magic = d.readNBytes(4);
    if (magic.length < 4 || magic[0] != 'T' || magic[1] != 'Z' || magic[2] != 'i' || magic[3] != 'f') {
      return null;
    }
    int version = d.readUnsignedByte();
    d.skipNBytes(15);
    int[] c = new int[7];
    for (int i = 0; i < 6; i++) {
      c[i] = d.readInt();
    }
    c[6] = version;
    return c;
  }

  /** The size of a data block after its header. */
  private static long block(int[] c, int timeSize) {
    return (long) c[3] * timeSize + c[3] + c[4] * 6L + c[5] + (long) c[2] * (timeSize + 4) + c[1] + c[0];
  }
}
