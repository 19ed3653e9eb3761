package io.orchestrationplane.core.access;

import io.orchestrationplane.core.access.internal.RbacRules;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The default {@link AccessControl}: an Argo CD RBAC policy CSV ({@code argocd-rbac-cm}'s {@code
 * policy.csv}), read as Argo CD reads it.
 *
 * <pre>
 * # p, subject, resource, action, object, effect
 * p, role:deployer, applications, sync, shop/*, allow
 * p, role:deployer, applications, get, shop/*, allow
 * p, role:deployer, applications, sync, shop/*&#47;prod, deny
 * # g, user or group, role
 * g, alice, role:deployer
 * g, my-org:shop-team, role:deployer
 * </pre>
 *
 * <ul>
 *   <li>As Argo CD's API server, the {@link #withDefaultRole default role} ({@code policy.default})
 *       is asked first, then the caller's name, then each of its groups that a {@code g} line
 *       names, each on its own: the first that allows wins. {@code g} lines give roles
 *       transitively, up to ten links. A {@code proj:<project>:<role>} subject acts only in its
 *       project, without groups.</li>
 *   <li>Within one subject a matching {@code deny} overrides every {@code allow}; a deny of one
 *       group does not undo what another group, or the default role, allows.</li>
 *   <li>Resource, action and object are globs as Argo CD's (gobwas/glob, {@code *} crosses
 *       {@code /}; see {@code docs/governance.md}). The plane asks about resource {@code
 *       applications}, object {@code <project>/<namespace>/<name>}, or {@code
 *       <project>/<namespace>/<name>/<environment>} for an environment, which a line naming the
 *       application also matches.</li>
 *   <li>Actions: {@link Action} ({@code get}, {@code plan}, {@code sync} or {@code apply}, {@code
 *       delete} or {@code remove}, {@code rollback}, also asked as {@code sync} as Argo CD does,
 *       {@code approve}, {@code override}).</li>
 *   <li>Built-in roles as Argo CD's: {@code role:readonly} (get on every application), {@code
 *       role:admin} (everything), and the user {@code admin} has {@code role:admin}.</li>
 *   <li>Lines are read as Argo CD reads them: blank lines and lines starting with {@code #} are
 *       skipped, fields may be double-quoted, a {@code p} line has six fields and its effect is
 *       exactly {@code allow} or {@code deny}, names are case-sensitive. Lines about Argo CD's
 *       other resources ({@code clusters}, {@code repositories}...) and actions ({@code create},
 *       {@code update}, {@code action/...}) are accepted, so an existing policy loads, and never
 *       match a request of the plane.</li>
 * </ul>
 *
 * <p>Every bad line is reported at once with its line number ({@link RbacPolicyException}).
 * Immutable and thread-safe.
 */
public final class RbacPolicy implements AccessControl {
  private final List<Map.Entry<String, String>> sources;
  private final RbacRules rules;

  private RbacPolicy(List<Map.Entry<String, String>> sources, @Nullable String defaultRole) {
    this.sources = List.copyOf(sources);
    this.rules = RbacRules.parse(this.sources, defaultRole);
  }

  /** Reads policy CSV text (reported as {@code policy.csv} in errors). */
  public static RbacPolicy parse(String csv) {
    return parse("policy.csv", csv);
  }

  /** Reads policy CSV text; {@code source} names it in errors ({@code <source> line 3: ...}). */
  public static RbacPolicy parse(String source, String csv) {
    return new RbacPolicy(List.of(Map.entry(Objects.requireNonNull(source, "source"),
        Objects.requireNonNull(csv, "csv"))), null);
  }

  /** Reads a policy CSV file (UTF-8); errors name the file. */
  public static RbacPolicy read(Path file) {
    try {
      return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read RBAC policy " + file, e);
    }
  }

  /**
   * This policy followed by more lines, as Argo CD appends {@code policy.<name>.csv} keys to
   * {@code policy.csv}.
   */
  public RbacPolicy and(String source, String csv) {
    List<Map.Entry<String, String>> more = new ArrayList<>(sources);
    more.add(Map.entry(Objects.requireNonNull(source, "source"), Objects.requireNonNull(csv, "csv")));
    return new RbacPolicy(more, rules.defaultRole());
  }

  /** This policy with a default role every subject has ({@code policy.default}, e.g. {@code role:readonly}). */
  public RbacPolicy withDefaultRole(String role) {
    return new RbacPolicy(sources, Objects.requireNonNull(role, "role"));
  }

  /** The default role, when there is one. */
  public @Nullable String defaultRole() {
    return rules.defaultRole();
  }

  @Override
  public AccessDecision decide(AccessRequest request) {
    return rules.decide(request);
  }

  @Override
  public String toString() {
    return "RbacPolicy" + sources.stream().map(Map.Entry::getKey).toList()
        + (rules.defaultRole() == null ? "" : " default " + rules.defaultRole());
  }
}
