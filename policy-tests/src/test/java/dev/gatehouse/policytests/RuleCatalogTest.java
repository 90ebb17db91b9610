package dev.gatehouse.policytests;

import static org.assertj.core.api.Assertions.assertThat;

import dev.gatehouse.engine.value.ObjectValue;
import dev.gatehouse.engine.value.StringValue;
import dev.gatehouse.engine.value.Value;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The rule table in policies/README.md documents exactly the admission rules configured in data. */
class RuleCatalogTest {
  // A table row of the admission rules: | `rule-id` | what | why | `action` |
  private static final Pattern ROW = Pattern.compile("^\\| `([a-z0-9-]+)` \\|.*\\| `(deny|warn|dryrun)` \\|\\s*$", Pattern.MULTILINE);

  @Test
  void readmeListsEveryAdmissionRuleWithItsDefaultAction() throws IOException {
    String readme = Files.readString(PolicyLibrary.root().resolve("README.md"));
    Set<String> documented = new TreeSet<>();
    Set<String> documentedWithAction = new TreeSet<>();
    Matcher m = ROW.matcher(readme);
    while (m.find()) {
      documented.add(m.group(1));
      documentedWithAction.add(m.group(1) + "=" + m.group(2));
    }
    ObjectValue rules = (ObjectValue) path(PolicyLibrary.load().data(), "gatehouse", "config", "admission", "rules");
    Set<String> configured = new TreeSet<>();
    Set<String> configuredWithAction = new TreeSet<>();
    for (Value id : rules.keys()) {
      String name = ((StringValue) id).value();
      configured.add(name);
      configuredWithAction.add(name + "=" + ((StringValue) ((ObjectValue) rules.get(id)).get("action")).value());
    }
    assertThat(documented).as("rule ids in policies/README.md").isEqualTo(configured);
    assertThat(documentedWithAction).as("default actions in policies/README.md").isEqualTo(configuredWithAction);
  }

  private static Value path(Value v, String... keys) {
    for (String k : keys) {
      v = ((ObjectValue) v).get(k);
    }
    return v;
  }
}
