package dev.gatehouse.sync;

import dev.gatehouse.engine.bundle.Manifest;
import dev.gatehouse.engine.value.NumberValue;
import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The order of grants bundles: the control plane names each {@code grants-<n>}, {@code n} bumped
 * with every change, and signs the manifest. A bundle is newer when its (epoch, n) is larger; the
 * epoch is the manifest's optional {@code metadata.epoch} (an integer, 0 when absent), which a
 * control plane that starts over can raise so its {@code grants-1} is newer than the old
 * {@code grants-900}. Both are under the bundle signature, so a replayed bundle cannot claim to be
 * newer. Revisions of another shape (commit SHAs, content hashes) have no order.
 *
 * @param text how it is reported and persisted: the revision, with {@code @epoch} when not 0
 */
public record RevisionOrder(long epoch, long sequence, String text) implements Comparable<RevisionOrder> {
  private static final Pattern GRANTS = Pattern.compile("grants-([0-9]{1,18})");
  private static final Pattern PERSISTED = Pattern.compile("(grants-([0-9]{1,18}))(?:@([0-9]{1,18}))?");

  /** The order of a bundle's manifest, or null when its revision is not {@code grants-<n>}. */
  public static RevisionOrder of(Manifest m) {
    if (m == null || m.revision() == null) {
      return null;
    }
    Matcher x = GRANTS.matcher(m.revision());
    if (!x.matches()) {
      return null;
    }
    long epoch = 0;
    ObjectValue meta = m.metadata();
    if (meta != null) {
      Value e = meta.get(StringValue.of("epoch"));
      if (e instanceof NumberValue n && n.isLong() && n.longValue() > 0) {
        epoch = n.longValue();
      }
    }
    long seq = Long.parseLong(x.group(1));
    return new RevisionOrder(epoch, seq, epoch == 0 ? m.revision() : m.revision() + "@" + epoch);
  }

  /** Reads {@link #text()} back; null when it is not one. */
  public static RevisionOrder parse(String text) {
    Matcher x = PERSISTED.matcher(text == null ? "" : text.strip());
    if (!x.matches()) {
      return null;
    }
    long epoch = x.group(3) == null ? 0 : Long.parseLong(x.group(3));
    return new RevisionOrder(epoch, Long.parseLong(x.group(2)), x.group(0));
  }

  @Override
  public int compareTo(RevisionOrder o) {
    int c = Long.compare(epoch, o.epoch);
    return c != 0 ? c : Long.compare(sequence, o.sequence);
  }
}
