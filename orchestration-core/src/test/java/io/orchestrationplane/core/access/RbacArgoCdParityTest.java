package io.orchestrationplane.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.observe.Subject;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The answers Argo CD gives for the same policy CSV. Each row names where its expectation comes
 * from: argo-cd {@code util/rbac/rbac.go} (line loading), {@code util/rbac/rbac_test.go},
 * {@code assets/builtin-policy.csv}, {@code server/rbacpolicy/rbacpolicy.go} (how the API server
 * consults the caller, its groups and project roles), gobwas/glob's lexer (the glob syntax Argo CD
 * matches with), and Casbin's role manager (ten levels of roles).
 */
class RbacArgoCdParityTest {

  /** One question: who (name, then groups), action, project, application id, expected answer. */
  static Arguments row(String why, String csv, String defaultRole, String who, Action action, String project,
      String application, boolean allowed) {
    return Arguments.of(why, csv, defaultRole, who, action, project, application, allowed);
  }

  static Stream<Arguments> decisions() {
    String groups = """
        p, role:lead, applications, sync, shop/*, allow
        p, role:deployer, applications, sync, shop/*, deny
        g, my-org:leads, role:lead
        g, my-org:shop-team, role:deployer
        p, my-org:unbound, applications, sync, shop/*, allow
        """;
    String tenLevels = """
        p, role:r10, applications, get, */*, allow
        p, role:r11, applications, sync, */*, allow
        g, alice, role:r1
        g, role:r1, role:r2
        g, role:r2, role:r3
        g, role:r3, role:r4
        g, role:r4, role:r5
        g, role:r5, role:r6
        g, role:r6, role:r7
        g, role:r7, role:r8
        g, role:r8, role:r9
        g, role:r9, role:r10
        g, role:r10, role:r11
        """;
    return Stream.of(
        // rbac_test.go TestBuiltinPolicyEnforcer: the admin user is role:admin through the built-in policy
        row("builtin: admin deletes", "", null, "admin", Action.DELETE, "foo", "ns.bar", true),
        row("builtin: admin gets", "", null, "admin", Action.GET, "foo", "ns.bar", true),
        row("builtin: role:readonly gets", "", null, "role:readonly", Action.GET, "foo", "ns.bar", true),
        row("builtin: role:readonly may not delete", "", null, "role:readonly", Action.DELETE, "foo", "ns.bar", false),
        // rbac_test.go TestDefaultRole: nothing for bob, until the default role is role:readonly
        row("default role: none", "", null, "bob", Action.GET, "foo", "ns.bar", false),
        row("default role: readonly", "", "role:readonly", "bob", Action.GET, "foo", "ns.bar", true),
        // rbac.go enforce(): the default role is enforced first, with its own deny lines only
        row("default role: a deny of the caller does not take it away",
            "p, bob, applications, get, */*, deny", "role:readonly", "bob", Action.GET, "foo", "ns.bar", true),
        row("default role: a deny of the default role itself does",
            "p, role:readonly, applications, get, foo/*, deny", "role:readonly", "bob", Action.GET, "foo", "ns.bar",
            false),
        // rbac_test.go TestProjectIsolationEnforcement: resource '*' and project objects
        row("isolation: alice in foo", "p, role:foo-admin, *, *, foo/*, allow\ng, alice, role:foo-admin", null,
            "alice", Action.DELETE, "foo", "ns.obj", true),
        row("isolation: alice not in bar", "p, role:foo-admin, *, *, foo/*, allow\ng, alice, role:foo-admin", null,
            "alice", Action.DELETE, "bar", "ns.obj", false),
        // rbac_test.go TestProjectReadOnly
        row("readonly project: get", "p, role:foo-readonly, *, get, foo/*, allow\ng, alice, role:foo-readonly", null,
            "alice", Action.GET, "foo", "ns.obj", true),
        row("readonly project: no delete", "p, role:foo-readonly, *, get, foo/*, allow\ng, alice, role:foo-readonly",
            null, "alice", Action.DELETE, "foo", "ns.obj", false),
        // the model's effect: a deny of the same subject overrides its allow
        row("deny overrides allow of one subject", "p, alice, applications, *, shop/*, allow\n"
            + "p, alice, applications, sync, shop/prod-*, deny", null, "alice", Action.SYNC, "shop", "prod-eu.web",
            false),
        // rbacpolicy.go EnforceClaims: the name, then each group on its own; the first allow wins
        row("groups: one group's deny does not undo another's allow", groups, null,
            "leo my-org:shop-team my-org:leads", Action.SYNC, "shop", "shop.web", true),
        row("groups: the deny of the only group", groups, null, "sam my-org:shop-team", Action.SYNC, "shop", "shop.web",
            false),
        row("groups: a group in no g line is not consulted", groups, null, "uma my-org:unbound", Action.SYNC, "shop",
            "shop.web", false),
        row("groups: the caller's own name is, without a g line", "p, uma, applications, sync, shop/*, allow", null,
            "uma", Action.SYNC, "shop", "shop.web", true),
        // rbacpolicy.go enforceProjectToken: a project role acts in its own project only, without groups
        row("project role in its project", "p, proj:shop:ci, applications, sync, */*, allow", null, "proj:shop:ci",
            Action.SYNC, "shop", "shop.web", true),
        row("project role in another project", "p, proj:shop:ci, applications, sync, */*, allow", null,
            "proj:shop:ci", Action.SYNC, "billing", "billing.ledger", false),
        row("project role's groups are not consulted",
            "p, role:lead, applications, sync, */*, allow\ng, my-org:leads, role:lead", null,
            "proj:shop:ci my-org:leads", Action.SYNC, "shop", "shop.web", false),
        // Casbin's default role manager follows at most ten g links
        row("roles: ten levels", tenLevels, null, "alice", Action.GET, "shop", "shop.web", true),
        row("roles: not eleven", tenLevels, null, "alice", Action.SYNC, "shop", "shop.web", false),
        // rbac.go globMatchFunc: gobwas/glob without separators, so '*' crosses '/'
        row("glob: * crosses /", "p, alice, applications, sync, shop/*, allow", null, "alice", Action.SYNC, "shop",
            "shop.web", true),
        row("glob: ^ is an ordinary character in a class", "p, alice, applications, sync, shop/[^a]*, allow", null,
            "alice", Action.SYNC, "shop", "b.web", false),
        row("glob: ! negates a class", "p, alice, applications, sync, shop/[!a]*, allow", null, "alice", Action.SYNC,
            "shop", "b.web", true),
        row("glob: a } that closes nothing is itself", "p, alice, applications, sync, shop/ns/a}, allow", null,
            "alice", Action.SYNC, "shop", "ns.a}", true),
        // names are compared case-sensitively (Casbin's role manager, the glob match)
        row("case: subjects", "p, Alice, applications, sync, */*, allow", null, "alice", Action.SYNC, "shop",
            "shop.web", false),
        // lines about other resources, and Argo CD's fine-grained actions, decide nothing about the plane's requests
        row("other resources", """
            p, alice, clusters, *, *, allow
            p, alice, projects, *, *, allow
            p, alice, logs, get, */*, allow
            p, alice, exec, create, */*, allow
            p, alice, applicationsets, *, */*, allow
            p, alice, applications, delete/*/Pod/*/*, */*, allow
            p, alice, applications, update/*, */*, allow
            p, alice, applications, action/apps/Deployment/restart, */*, allow
            """, null, "alice", Action.DELETE, "shop", "shop.web", false),
        // server/application/application.go Rollback enforces 'sync': a sync line answers the plane's rollback
        row("rollback: allowed by sync", "p, alice, applications, sync, shop/*, allow", null, "alice",
            Action.ROLLBACK, "shop", "shop.web", true),
        row("rollback: denied by a sync deny", "p, alice, applications, *, shop/*, allow\n"
            + "p, alice, applications, sync, shop/*, deny", null, "alice", Action.ROLLBACK, "shop", "shop.web", false),
        row("rollback: a rollback line still answers it", "p, alice, applications, rollback, shop/*, allow", null,
            "alice", Action.ROLLBACK, "shop", "shop.web", true),
        row("rollback: sync does not grant approve", "p, alice, applications, sync, shop/*, allow", null, "alice",
            Action.APPROVE, "shop", "shop.web", false),
        row("a deny about a fine-grained delete leaves the application's delete",
            "p, alice, applications, delete, */*, allow\np, alice, applications, delete/*/Pod/*/*, */*, deny", null,
            "alice", Action.DELETE, "shop", "shop.web", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("decisions")
  void decidesAsArgoCd(String why, String csv, String defaultRole, String who, Action action, String project,
      String application, boolean allowed) {
    RbacPolicy policy = RbacPolicy.parse(csv);
    if (defaultRole != null) {
      policy = policy.withDefaultRole(defaultRole);
    }
    String[] names = who.split(" ");
    Subject subject = Subject.of(names[0], Arrays.copyOfRange(names, 1, names.length));
    AccessDecision d = policy.decide(AccessRequest.of(subject, action, project, application));
    assertThat(d.isAllowed()).as(why + ": " + d.reason()).isEqualTo(allowed);
  }

  static Stream<Arguments> loading() {
    return Stream.of(
        // rbac_test.go TestValidatePolicy, good policies
        Arguments.of("p, role:admin, projects, delete, *, allow", null),
        Arguments.of("", null),
        Arguments.of("#", null),
        Arguments.of("p, \"role,admin\", projects, delete, *, allow", null),
        Arguments.of(" p, role:admin, projects, delete, *, allow ", null),
        // rbac_test.go TestValidatePolicy, bad policies
        Arguments.of("this, is, not, a, good, policy", "a line starts with 'p'"),
        Arguments.of("this\ttoo", "a line starts with 'p'"),
        // rbac.go loadPolicyLine: a 'p' line has exactly six fields, a 'g' line three
        Arguments.of("p, alice, applications, sync, shop/*", "this one has 5 (Argo CD refuses a policy line without"),
        Arguments.of("p, alice, applications, sync, shop/*, allow, extra", "this one has 7"),
        Arguments.of("g, alice, role:a, role:b", "a 'g' line has 3 fields"),
        // Casbin compares the effect with 'allow' and 'deny' exactly: 'Allow' would be ignored
        Arguments.of("p, alice, applications, sync, shop/*, Allow", "Argo CD compares it case-sensitively"),
        Arguments.of("p, alice, applications, sync, shop/*, DENY", "Argo CD compares it case-sensitively"),
        Arguments.of("p, alice, Applications, sync, shop/*, allow", "names are case-sensitive"),
        Arguments.of("p, alice, applications, Sync, shop/*, allow", "names are case-sensitive"),
        // Go's CSV reader (TrimLeadingSpace): a space before a comma stays in the value; quotes must be whole
        Arguments.of("p, role:x , applications, sync, shop/*, allow", "field 2 ('role:x ') ends with a space"),
        Arguments.of("p, alice, applications, sync, \"shop/*\" , allow", "a comma must follow the closing quote"),
        Arguments.of("p, alice, applications, sync, shop/\"x\", allow", "a quote inside unquoted field 5"),
        // gobwas/glob: a class is one range or a list of characters
        Arguments.of("p, alice, applications, sync, shop/[a-z0-9]*, allow", "holds one range ([a-z]) or a list"),
        Arguments.of("p, alice, applications, sync, shop/\\, allow", "ends with an escape character"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("loading")
  void loadsOrRefusesAsArgoCd(String csv, String problem) {
    if (problem == null) {
      assertThat(RbacPolicy.parse("policy.csv", csv)).isNotNull();
    } else {
      assertThatThrownBy(() -> RbacPolicy.parse("policy.csv", "# first\n" + csv))
          .isInstanceOfSatisfying(RbacPolicyException.class, e -> assertThat(e.problems()).singleElement()
              .asString().startsWith("policy.csv line 2: ").contains(problem));
    }
  }

  @org.junit.jupiter.api.Test
  void aDenialNamesTheGroupArgoCdWouldNotConsult() {
    RbacPolicy policy = RbacPolicy.parse("p, my-org:ops, applications, sync, */*, allow");
    assertThat(policy.decide(AccessRequest.of(Subject.of("uma", "my-org:ops"), Action.SYNC, "shop", "shop.web"))
        .reason()).isEqualTo("no policy line allows it; group my-org:ops is named in p lines but in no g line, and "
            + "Argo CD consults a caller's group only through a g line");
    assertThat(policy.decide(AccessRequest.of(Subject.of("proj:shop:ci"), Action.SYNC, "web", "web.a")).reason())
        .isEqualTo("the project role proj:shop:ci acts only in project shop");
  }
}
