package io.orchestrationplane.core.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.observe.Subject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Argo CD's RBAC policy CSV: parsing, subjects and roles, globs, deny over allow, the default role. */
class RbacPolicyTest {
  private static final Subject ALICE = Subject.of("alice");
  private static final Subject BOB = Subject.of("bob", "my-org:shop-team");
  private static final Subject CAROL = Subject.of("carol");

  private static AccessRequest app(Subject who, Action action, String project, String id) {
    return AccessRequest.of(who, action, project, id);
  }

  private static AccessRequest env(Subject who, Action action, String project, String id, String environment) {
    return new AccessRequest(who, action, project, id, environment);
  }

  @Test
  @org.junit.jupiter.api.Timeout(value = 20, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
  void aGlobWithManyStarsMatchesALongNameInLinearTimeNotByBacktracking() {
    // A backtracking matcher tries every way to place six stars in the name: minutes for 131 characters.
    RbacPolicy policy = RbacPolicy.parse("""
        p, alice, applications, get, *a*a*a*a*a*a*[b], allow
        p, alice, applications, sync, "{shop,billing}/[a-z]*/*", allow
        """);
    String id = "a".repeat(63) + "." + "a".repeat(63);
    assertThat(policy.decide(app(ALICE, Action.GET, "shop", id)).isAllowed()).isFalse();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "shop", id)).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "other", id)).isAllowed()).isFalse();
  }

  @Test
  void theIssuesExampleLetsAliceSyncTheShopProjectOnly() {
    RbacPolicy policy = RbacPolicy.parse("""
        p, role:deployer, applications, sync, shop/*, allow
        g, alice, role:deployer
        """);
    assertThat(policy.decide(app(ALICE, Action.SYNC, "shop", "shop.checkout")).isAllowed()).isTrue();
    assertThat(policy.decide(env(ALICE, Action.SYNC, "shop", "shop.checkout", "prod")).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "billing", "billing.ledger")).isAllowed()).isFalse();
    assertThat(policy.decide(app(ALICE, Action.DELETE, "shop", "shop.checkout")).isAllowed()).isFalse();
    assertThat(policy.decide(app(CAROL, Action.SYNC, "shop", "shop.checkout")).isAllowed()).isFalse();
  }

  @Test
  void anAllowSaysWhichLineAndWhichRoleChainGrantedIt() {
    RbacPolicy policy = RbacPolicy.parse("""
        # shop deployers
        p, role:deployer, applications, sync, shop/*, allow
        g, role:lead, role:deployer
        g, my-org:shop-team, role:lead
        """);
    AccessDecision d = policy.decide(app(BOB, Action.SYNC, "shop", "shop.checkout"));
    assertThat(d).isInstanceOf(AccessDecision.Allowed.class);
    assertThat(d.reason()).contains("policy.csv line 2").contains("my-org:shop-team → role:lead → role:deployer");
  }

  @Test
  void aDenyOverridesAnyAllowAndALineAboutTheApplicationCoversItsEnvironments() {
    RbacPolicy policy = RbacPolicy.parse("""
        p, role:deployer, applications, *, shop/*, allow
        p, role:deployer, applications, sync, shop/*/prod, deny
        p, alice, applications, delete, shop/shop/checkout, deny
        g, alice, role:deployer
        """);
    assertThat(policy.decide(env(ALICE, Action.SYNC, "shop", "shop.checkout", "staging")).isAllowed()).isTrue();
    AccessDecision prod = policy.decide(env(ALICE, Action.SYNC, "shop", "shop.checkout", "prod"));
    assertThat(prod).isInstanceOf(AccessDecision.Denied.class);
    assertThat(prod.reason()).contains("denied by policy.csv line 2");
    assertThat(policy.decide(env(ALICE, Action.DELETE, "shop", "shop.checkout", "staging")).reason())
        .as("a line naming the application denies each of its environments").contains("line 3");
    assertThat(policy.decide(env(ALICE, Action.DELETE, "shop", "shop.cart", "staging")).isAllowed()).isTrue();
  }

  @Test
  void theDefaultRoleAppliesToEveryoneAndNoDenyTakesItAway() {
    RbacPolicy policy = RbacPolicy.parse("""
        p, carol, applications, get, *, deny
        """).withDefaultRole("role:readonly");
    AccessDecision read = policy.decide(app(CAROL, Action.GET, "shop", "shop.checkout"));
    assertThat(read.isAllowed()).isTrue();
    assertThat(read.reason()).contains("default role role:readonly");
    assertThat(policy.decide(app(CAROL, Action.SYNC, "shop", "shop.checkout")).reason())
        .isEqualTo("no policy line allows it (nor the default role role:readonly)");
  }

  @Test
  void theBuiltInAdminRoleMayDoEverything() {
    RbacPolicy policy = RbacPolicy.parse("g, alice, role:admin");
    for (Action a : Action.values()) {
      assertThat(policy.decide(env(ALICE, a, "any", "ns.app", "prod")).isAllowed()).as(a.name()).isTrue();
    }
    assertThat(policy.decide(app(CAROL, Action.GET, "any", "ns.app")).isAllowed()).isFalse();
  }

  @Test
  void applyAndRemoveAreSynonymsOfSyncAndDelete() {
    RbacPolicy policy = RbacPolicy.parse("""
        p, alice, applications, apply, shop/*, allow
        p, alice, applications, remove, shop/*, allow
        """);
    assertThat(policy.decide(app(ALICE, Action.SYNC, "shop", "shop.a")).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.DELETE, "shop", "shop.a")).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.APPROVE, "shop", "shop.a")).isAllowed()).isFalse();
  }

  @Test
  void globsMatchAsArgoCdsDo() {
    RbacPolicy policy = RbacPolicy.parse("""
        p, alice, applications, get, team-?/*, allow
        p, alice, applications, sync, "{shop,cart}/*/web-[a-c]*", allow
        p, alice, applications, plan, "lit/odd,name/*", allow
        p, alice, applications, rollback, esc/\\*/x, allow
        """);
    assertThat(policy.decide(app(ALICE, Action.GET, "team-a", "ns.x")).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.GET, "team-ab", "ns.x")).isAllowed()).isFalse();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "cart", "ns.web-b1")).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "cart", "ns.web-d1")).isAllowed()).isFalse();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "billing", "ns.web-a")).isAllowed()).isFalse();
    assertThat(policy.decide(app(ALICE, Action.ROLLBACK, "esc", "y.x")).isAllowed()).as("an escaped * is literal")
        .isFalse();
  }

  @Test
  void everyBadLineIsReportedWithItsLineNumber() {
    String csv = """
        # a comment, then a blank line

        p, alice, applications, sync, shop/*
        p, alice, applications, sync, shop/*, alow
        x, alice, role:admin
        g, alice
        p, alice, aplications, sync, shop/*, allow
        p, alice, applications, snyc, shop/*, allow
        p, alice, applications, sync, shop/[, allow
        p, alice, applications, sync, "shop/*, allow
        p, , applications, sync, shop/*, allow
        """;
    assertThatThrownBy(() -> RbacPolicy.parse("rbac.csv", csv)).isInstanceOfSatisfying(RbacPolicyException.class,
        e -> assertThat(e.problems()).containsExactly(
            "rbac.csv line 3: a 'p' line has 6 fields (p, <subject>, <resource>, <action>, <object>, <allow|deny>), "
                + "this one has 5 (Argo CD refuses a policy line without its effect)",
            "rbac.csv line 4: the effect must be 'allow' or 'deny', was 'alow'",
            "rbac.csv line 5: a line starts with 'p' (a policy) or 'g' (a role binding), not 'x'",
            "rbac.csv line 6: a 'g' line has 3 fields (g, <user or group>, <role>), this one has 2",
            "rbac.csv line 7: unknown resource 'aplications' (known: accounts, applications, applicationsets, "
                + "certificates, clusters, exec, extensions, gpgkeys, logs, projects, repositories, write-repositories)",
            "rbac.csv line 8: unknown action 'snyc' on applications (the plane's: get, plan, sync or apply, delete or "
                + "remove, rollback, approve, override; Argo CD's create, update, action/..., update/..., delete/... "
                + "are accepted and never asked)",
            "rbac.csv line 9: glob 'shop/[': '[' at column 6 is not closed",
            "rbac.csv line 10: the quote opened at column 31 is not closed",
            "rbac.csv line 11: field 2 is empty"));
  }

  @Test
  void anArgoCdPolicyWithOtherResourcesAndActionsLoadsAndGrantsNothingExtra() {
    RbacPolicy policy = RbacPolicy.parse("""
        p, role:org-admin, applications, create, */*, allow
        p, role:org-admin, applications, action/apps/Deployment/restart, */*, allow
        p, role:org-admin, clusters, get, *, allow
        p, role:org-admin, repositories, *, *, allow
        p, role:org-admin, logs, get, */*, allow
        g, alice, role:org-admin
        """);
    assertThat(policy.decide(app(ALICE, Action.SYNC, "shop", "shop.a")).isAllowed()).isFalse();
    assertThat(policy.decide(app(ALICE, Action.GET, "shop", "shop.a")).isAllowed()).isFalse();
  }

  @Test
  void morePolicyFilesAppendAsArgoCdsPolicyOverlays(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.csv");
    Files.writeString(file, "g, alice, role:deployer\n");
    RbacPolicy policy = RbacPolicy.read(file).and("policy.overlay.csv",
        "p, role:deployer, applications, sync, shop/*, allow");
    assertThat(policy.decide(app(ALICE, Action.SYNC, "shop", "shop.a")).reason())
        .contains("policy.overlay.csv line 1");
    assertThatThrownBy(() -> RbacPolicy.read(file).and("extra.csv", "\n\np, bad"))
        .hasMessageContaining("extra.csv line 3");
  }

  @Test
  void aRoleCycleEndsAndGrantsOnlyWhatItsRolesHave() {
    RbacPolicy policy = RbacPolicy.parse("""
        g, role:a, role:b
        g, role:b, role:a
        g, alice, role:a
        p, role:b, applications, get, shop/*, allow
        """);
    assertThat(policy.decide(app(ALICE, Action.GET, "shop", "shop.a")).isAllowed()).isTrue();
    assertThat(policy.decide(app(ALICE, Action.SYNC, "shop", "shop.a")).isAllowed()).isFalse();
  }
}
