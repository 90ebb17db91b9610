package dev.gatehouse.cli;

import java.time.Duration;
import picocli.CommandLine;

/** Duration flags in Go's time.ParseDuration format ({@code 300ms}, {@code 1.5s}, {@code 2m30s}), as opa's take. */
final class GoDuration implements CommandLine.ITypeConverter<Duration> {
  @Override
  public Duration convert(String s) {
    return parse(s);
  }

  static Duration parse(String s) {
    try {
      return Duration.ofNanos(dev.gatehouse.engine.builtins.core.GoDuration.parse(s.trim()));
    } catch (RuntimeException e) {
      throw new CommandLine.TypeConversionException(e.getMessage() + " (e.g. 500ms, 5s, 1m30s)");
    }
  }
}
