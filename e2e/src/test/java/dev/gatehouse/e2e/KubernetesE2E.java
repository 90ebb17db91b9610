package dev.gatehouse.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A test class that needs the real API server: tagged {@code k8s} (leave it out with
 * {@code -DexcludedGroups=k8s}) and skipped, with the reason, when scripts/k8s-test-env cannot
 * build the binaries here (no Go).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Tag("k8s")
@ExtendWith(KubernetesE2E.Condition.class)
public @interface KubernetesE2E {
  /**
   * Whether the class uses the API server shared by the test JVM; false for a class that starts its
   * own ({@link KubeTestEnv#startDedicated}), so the shared one is not started for it.
   */
  boolean shared() default true;

  /** Starts the shared environment on first use; disables the tests when it cannot exist here. */
  final class Condition implements ExecutionCondition {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
      boolean shared = context.getTestClass().map(c -> c.getAnnotation(KubernetesE2E.class))
          .map(KubernetesE2E::shared).orElse(true);
      String reason = shared ? KubeTestEnv.unavailableReason() : KubeTestEnv.binariesUnavailableReason();
      return reason == null ? ConditionEvaluationResult.enabled("kube-apiserver running")
          : ConditionEvaluationResult.disabled(reason);
    }
  }
}
