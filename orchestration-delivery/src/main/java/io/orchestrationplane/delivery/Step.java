package io.orchestrationplane.delivery;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One step of a {@link Workflow}: a name, a type, the steps it waits for, and the type's
 * properties. Built-in types (their properties in {@code docs/delivery.md}):
 * <ul>
 *   <li>{@code apply} ({@code environment}): applies the release to an environment, waiting for
 *       its change windows;</li>
 *   <li>{@code wait-healthy} ({@code environment}, {@code soak}): waits until every object of
 *       the environment is healthy and has stayed so for the soak time (timeout default 10m);</li>
 *   <li>{@code check} ({@code expression}, optional {@code environment}): a CEL expression over
 *       {@code status}, {@code release}, {@code environment} and {@code clusters} must be true;</li>
 *   <li>{@code approval} ({@code required}, {@code approvers}, {@code groups}, {@code allowAuthor}):
 *       suspends until an {@link ApprovalRule} is met for this release; the timeout is its expiry;</li>
 *   <li>{@code window} ({@code environment}): waits until the environment's change windows allow changes;</li>
 *   <li>{@code notify} ({@code notifier}, {@code message}): sends a {@link Notification};</li>
 *   <li>{@code promote} ({@code from}, {@code to}, {@code soak}): applies the release to
 *       {@code to} once {@code from} runs this very release (same digest) and has been healthy
 *       for the soak time.</li>
 * </ul>
 * Any other type is a {@link StepType} registered with the {@link Delivery}.
 *
 * @param name unique in the workflow, lowercase letters, digits and '-'
 * @param type a built-in type or a registered {@link StepType}'s name
 * @param dependsOn the steps that must have succeeded first; null (the default) means the step
 *     before it in the workflow (none for the first), an empty list means none
 * @param timeout how long the step may take from its first attempt; null: no limit (wait-healthy: 10m)
 * @param retries how many times a failed attempt is tried again (0: none)
 * @param retryDelay how long after a failed attempt the next starts
 * @param onFailure what the run does when this step fails for good
 * @param properties the type's settings
 */
public record Step(String name, String type, @Nullable List<String> dependsOn, @Nullable Duration timeout, int retries,
    Duration retryDelay, OnFailure onFailure, Map<String, Object> properties) {

  /** Default delay between attempts. */
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);

  public Step {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    dependsOn = dependsOn == null ? null : List.copyOf(dependsOn);
    Objects.requireNonNull(retryDelay, "retryDelay");
    Objects.requireNonNull(onFailure, "onFailure");
    properties = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(Objects.requireNonNull(properties, "properties")));
  }

  /** A step of any type with its properties. */
  public static Step of(String name, String type, Map<String, ?> properties) {
    return new Step(name, type, null, null, 0, DEFAULT_RETRY_DELAY, OnFailure.STOP, Map.copyOf(properties));
  }

  public static Step apply(String name, String environment) {
    return of(name, "apply", Map.of("environment", environment));
  }

  public static Step waitHealthy(String name, String environment, Duration soak) {
    return of(name, "wait-healthy", Map.of("environment", environment, "soak", Workflow.format(soak)));
  }

  public static Step check(String name, String environment, String celExpression) {
    return of(name, "check", Map.of("environment", environment, "expression", celExpression));
  }

  public static Step approval(String name, ApprovalRule rule) {
    Map<String, Object> p = new LinkedHashMap<>();
    p.put("required", rule.required());
    p.put("approvers", List.copyOf(new java.util.TreeSet<>(rule.approvers())));
    p.put("groups", List.copyOf(new java.util.TreeSet<>(rule.groups())));
    p.put("allowAuthor", rule.allowAuthor());
    return of(name, "approval", p);
  }

  public static Step window(String name, String environment) {
    return of(name, "window", Map.of("environment", environment));
  }

  public static Step notify(String name, String notifier, String message) {
    return of(name, "notify", Map.of("notifier", notifier, "message", message));
  }

  public static Step promote(String name, String from, String to, Duration soak) {
    return of(name, "promote", Map.of("from", from, "to", to, "soak", Workflow.format(soak)));
  }

  /** This step, after the named steps only (none: it starts with the run). */
  public Step after(String... steps) {
    return new Step(name, type, List.of(steps), timeout, retries, retryDelay, onFailure, properties);
  }

  public Step timeout(Duration value) {
    return new Step(name, type, dependsOn, value, retries, retryDelay, onFailure, properties);
  }

  public Step retries(int count, Duration delay) {
    return new Step(name, type, dependsOn, timeout, count, delay, onFailure, properties);
  }

  public Step onFailure(OnFailure value) {
    return new Step(name, type, dependsOn, timeout, retries, retryDelay, value, properties);
  }

  /** A property as text, or null. */
  public @Nullable String text(String property) {
    Object v = properties.get(property);
    return v == null ? null : v.toString();
  }
}
