package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.policy.spi.Authorizer;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class PolicyEngineTest {
  private static JsonNode yaml(String text) {
    return PolicyTester.documents(text).get(0);
  }

  private static final JsonNode POD = yaml("""
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: team-a, labels: {app: web}}
      spec:
        containers:
        - {name: a, image: nginx:latest}
        - {name: b, image: 'registry.example.com/b:1.0', securityContext: {runAsNonRoot: true}}
      """);

  private static final MatchResources PODS = MatchResources.of(
      ResourceRule.of("", Set.of(Operation.CREATE, Operation.UPDATE), "pods"));

  private static Decision create(PolicyEngine engine, JsonNode object) {
    return engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(object).build());
  }

  @Test
  void everyFailedValidationIsReportedNotOnlyTheFirst() {
    ValidatingPolicy p = ValidatingPolicy.builder("pod-rules").matchConstraints(PODS)
        .validation(Validation.of("object.spec.containers.all(c, !c.image.endsWith(':latest'))", "no latest tag"))
        .validation(Validation.of("object.spec.containers.all(c, has(c.securityContext))", "securityContext required"))
        .validation(Validation.of("object.metadata.name.size() < 20", "short name"))
        .build();
    Decision d = create(PolicyEngine.builder().enforce(p).build(), POD);

    assertThat(d.allowed()).isFalse();
    assertThat(d.violations()).extracting(Violation::message).containsExactly("no latest tag", "securityContext required");
    assertThat(d.violations()).allSatisfy(v -> {
      assertThat(v.policy()).isEqualTo("pod-rules");
      assertThat(v.binding()).isEqualTo("pod-rules");
      assertThat(v.reason()).isEqualTo("Invalid");
      assertThat(v.actions()).containsExactly(ValidationAction.DENY);
    });
    assertThat(d.violations().get(0).expression()).contains("endsWith(':latest')");
  }

  @Test
  void messageExpressionBuildsTheMessageAndFallsBackToMessageWhenItFails() {
    ValidatingPolicy p = ValidatingPolicy.builder("images").matchConstraints(PODS)
        .validation(new Validation("object.spec.containers.size() < 2", "static",
            "'pod ' + object.metadata.name + ' has ' + string(object.spec.containers.size()) + ' containers'", "Forbidden"))
        .validation(new Validation("false", "fallback message", "'x' + object.missing.field", null))
        .validation(new Validation("1 == 2", null, null, null))
        .build();
    Decision d = create(PolicyEngine.builder().enforce(p).build(), POD);

    assertThat(d.violations()).extracting(Violation::message)
        .containsExactly("pod web has 2 containers", "fallback message", "failed expression: 1 == 2");
    assertThat(d.violations().get(0).reason()).isEqualTo("Forbidden");
    assertThat(d.errors()).singleElement().satisfies(e -> assertThat(e.field())
        .isEqualTo("spec.validations[1].messageExpression"));
  }

  @Test
  void variablesAreEvaluatedLazilyAndMayReadEarlierVariables() {
    ValidatingPolicy p = ValidatingPolicy.builder("vars").matchConstraints(PODS)
        .variable("images", "object.spec.containers.map(c, c.image)")
        .variable("latest", "variables.images.filter(i, i.endsWith(':latest'))")
        .variable("broken", "object.spec.doesNotExist.size() > 0")
        .validation(Validation.of("variables.latest.size() == 0", "latest images"))
        .validation(Validation.of("true || variables.broken", "never"))
        .build();
    Decision d = create(PolicyEngine.builder().enforce(p).build(), POD);

    assertThat(d.violations()).extracting(Violation::message).containsExactly("latest images");
    assertThat(d.errors()).as("the broken variable is never read, so never evaluated").isEmpty();
  }

  @Test
  void aVariableThatFailsWhenReadIsAnEvaluationErrorNamingTheVariable() {
    ValidatingPolicy p = ValidatingPolicy.builder("vars").matchConstraints(PODS)
        .variable("broken", "object.spec.doesNotExist")
        .validation(Validation.of("variables.broken == 1", "m")).build();
    Decision d = create(PolicyEngine.builder().enforce(p).build(), POD);

    assertThat(d.allowed()).isFalse();
    assertThat(d.errors()).singleElement().satisfies(e -> assertThat(e.message())
        .contains("variables.broken").contains("doesNotExist"));
  }

  @Test
  void validationActionsDenyWarnAndAuditEachDoWhatTheySay() {
    ValidatingPolicy p = ValidatingPolicy.builder("no-latest").matchConstraints(PODS)
        .validation(Validation.of("object.spec.containers.all(c, !c.image.endsWith(':latest'))", "no latest tag")).build();
    Decision warn = create(PolicyEngine.builder().policy(p)
        .binding(new PolicyBinding("w", "no-latest", null, null, Set.of(ValidationAction.WARN))).build(), POD);
    Decision audit = create(PolicyEngine.builder().policy(p)
        .binding(new PolicyBinding("a", "no-latest", null, null, Set.of(ValidationAction.AUDIT))).build(), POD);
    Decision deny = create(PolicyEngine.builder().policy(p)
        .binding(new PolicyBinding("d", "no-latest", null, null, Set.of(ValidationAction.DENY, ValidationAction.AUDIT)))
        .build(), POD);

    assertThat(warn.allowed()).isTrue();
    assertThat(warn.warnings()).singleElement().asString().contains("no-latest").contains("'w'").contains("no latest tag");
    assertThat(warn.auditAnnotations()).isEmpty();
    assertThat(audit.allowed()).isTrue();
    assertThat(audit.warnings()).isEmpty();
    assertThat(audit.auditAnnotations().get("validation.policy.admission.k8s.io/validation_failure"))
        .contains("no latest tag").contains("\"binding\":\"a\"");
    assertThat(deny.allowed()).isFalse();
    assertThat(deny.auditAnnotations()).containsKey("validation.policy.admission.k8s.io/validation_failure");
  }

  @Test
  void failurePolicyFailDeniesOnRuntimeErrorsAndIgnoreOnlyRecordsThem() {
    ValidatingPolicy.Builder b = ValidatingPolicy.builder("strict").matchConstraints(PODS)
        .validation(Validation.of("object.spec.nodeName == 'x'", "m"));
    Decision fail = create(PolicyEngine.builder().enforce(b.failurePolicy(FailurePolicy.FAIL).build()).build(), POD);
    Decision ignore = create(PolicyEngine.builder().enforce(b.failurePolicy(FailurePolicy.IGNORE).build()).build(), POD);

    assertThat(fail.allowed()).isFalse();
    assertThat(fail.violations()).singleElement().satisfies(v -> {
      assertThat(v.error()).isTrue();
      assertThat(v.message()).isEqualTo("expression 'object.spec.nodeName == 'x'' resulted in error: no such key: nodeName");
    });
    assertThat(ignore.allowed()).isTrue();
    assertThat(ignore.violations()).isEmpty();
    assertThat(ignore.errors()).singleElement().satisfies(e -> {
      assertThat(e.failurePolicy()).isEqualTo(FailurePolicy.IGNORE);
      assertThat(e.field()).isEqualTo("spec.validations[0].expression");
    });
  }

  @Test
  void exceedingTheCostBudgetStopsTheExpressionAndFailurePolicyApplies() {
    ValidatingPolicy p = ValidatingPolicy.builder("expensive").matchConstraints(PODS)
        .validation(Validation.of("[1,2,3,4,5,6,7,8,9,10].all(a, [1,2,3,4,5,6,7,8,9,10].all(b, "
            + "[1,2,3,4,5,6,7,8,9,10].all(c, a + b + c > 0)))", "m"))
        .validation(Validation.of("object.metadata.name != ''", "not reached once the budget is spent")).build();
    Decision small = create(PolicyEngine.builder().enforce(p).costBudget(1_000).build(), POD);
    Decision large = create(PolicyEngine.builder().enforce(p).build(), POD);

    assertThat(small.allowed()).isFalse();
    assertThat(small.errors()).singleElement().satisfies(e -> assertThat(e.message())
        .isEqualTo("validation failed due to running out of cost budget, no further validation rules will be run"));
    assertThat(large.allowed()).isTrue();
  }

  @Test
  void comprehensionLimitStopsRunawayIteration() {
    ValidatingPolicy p = ValidatingPolicy.builder("loops").matchConstraints(PODS)
        .validation(Validation.of("[1,2,3,4,5].all(x, x > 0)", "m")).build();
    Decision d = create(PolicyEngine.builder().enforce(p).comprehensionLimit(3).build(), POD);

    assertThat(d.allowed()).isFalse();
    assertThat(d.errors()).singleElement().satisfies(e -> assertThat(e.message()).containsIgnoringCase("iteration"));
  }

  @Test
  void compileErrorsNameThePolicyTheFieldAndTheColumn() {
    ValidatingPolicy p = ValidatingPolicy.builder("typos").matchConstraints(PODS)
        .validation(Validation.of("true", "ok"))
        .validation(Validation.of("true", "ok"))
        .validation(Validation.of("object.spec.containers.all(c, c.image.startsWith('a') &&)", "m"))
        .variable("v", "undefinedThing.size()")
        .build();

    assertThatThrownBy(() -> PolicyEngine.builder().enforce(p).build())
        .isInstanceOf(PolicyCompileException.class)
        .satisfies(e -> {
          List<PolicyCompileException.Problem> problems = ((PolicyCompileException) e).problems();
          assertThat(problems).extracting(PolicyCompileException.Problem::field)
              .contains("spec.validations[2].expression", "spec.variables[0].expression");
          assertThat(problems).allSatisfy(pr -> assertThat(pr.policy()).isEqualTo("typos"));
          PolicyCompileException.Problem undeclared = problems.stream()
              .filter(pr -> pr.field().startsWith("spec.variables")).findFirst().orElseThrow();
          assertThat(undeclared.line()).isEqualTo(1);
          assertThat(undeclared.column()).isEqualTo(1);
          assertThat(undeclared.message()).contains("undefinedThing");
        })
        .hasMessageContaining("spec.validations[2].expression: line 1, column ");
  }

  @Test
  void paramsSelectedByLabelsEvaluateThePolicyOncePerParamsObject() {
    PolicySet set = PolicyLoader.load("""
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicy
        metadata: {name: max-containers}
        spec:
          paramKind: {apiVersion: v1, kind: ConfigMap}
          matchConstraints:
            resourceRules:
            - {apiGroups: [""], apiVersions: [v1], operations: [CREATE], resources: [pods]}
          validations:
          - expression: object.spec.containers.size() <= int(params.data.max)
            messageExpression: "'at most ' + params.data.max + ' containers (' + params.metadata.name + ')'"
        ---
        apiVersion: admissionregistration.k8s.io/v1
        kind: ValidatingAdmissionPolicyBinding
        metadata: {name: max-containers-binding}
        spec:
          policyName: max-containers
          validationActions: [Deny]
          paramRef:
            selector: {matchLabels: {limits: containers}}
            parameterNotFoundAction: Deny
        """);
    List<JsonNode> configMaps = PolicyTester.documents("""
        {apiVersion: v1, kind: ConfigMap, metadata: {name: one, namespace: team-a, labels: {limits: containers}}, data: {max: "1"}}
        ---
        {apiVersion: v1, kind: ConfigMap, metadata: {name: five, namespace: team-a, labels: {limits: containers}}, data: {max: "5"}}
        ---
        {apiVersion: v1, kind: ConfigMap, metadata: {name: other, namespace: team-a, labels: {limits: other}}, data: {max: "0"}}
        """);
    PolicyEngine engine = PolicyEngine.builder().policies(set).params(ParamResolver.of(configMaps)).build();

    Decision d = create(engine, POD);
    Decision none = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(POD)
        .params(ParamResolver.none()).build());

    assertThat(d.violations()).extracting(Violation::message).containsExactly("at most 1 containers (one)");
    assertThat(none.violations()).extracting(Violation::message)
        .containsExactly("failed to configure binding: no params found for policy binding with `Deny` parameterNotFoundAction");
  }

  @Test
  void matchConstraintsBindingMatchResourcesAndMatchConditionsNarrowWhatIsEvaluated() {
    ValidatingPolicy p = ValidatingPolicy.builder("deny-all").matchConstraints(new MatchResources(
            new LabelSelector(java.util.Map.of(), List.of(new LabelSelector.Requirement("env", "In", List.of("prod")))),
            new LabelSelector(java.util.Map.of("app", "web"), List.of()),
            List.of(ResourceRule.of("", Set.of(Operation.CREATE), "pods")),
            List.of(new ResourceRule(List.of(""), null, List.of("pods"), Set.of(), true, List.of("excluded"), null)), null))
        .matchCondition("not-dry-run", "!request.dryRun")
        .validation(Validation.of("false", "denied")).build();
    PolicyEngine engine = PolicyEngine.builder().enforce(p).build();
    JsonNode prodNs = yaml("{apiVersion: v1, kind: Namespace, metadata: {name: team-a, labels: {env: prod}}}");
    JsonNode devNs = yaml("{apiVersion: v1, kind: Namespace, metadata: {name: team-a, labels: {env: dev}}}");
    JsonNode excluded = POD.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) excluded.path("metadata")).put("name", "excluded");

    assertThat(engine.evaluate(req(Operation.CREATE, POD, prodNs, false)).allowed()).isFalse();
    assertThat(engine.evaluate(req(Operation.CREATE, POD, devNs, false)).allowed()).as("namespaceSelector").isTrue();
    assertThat(engine.evaluate(req(Operation.CREATE, excluded, prodNs, false)).allowed()).as("exclude").isTrue();
    assertThat(engine.evaluate(req(Operation.CREATE, POD, prodNs, true)).allowed()).as("matchCondition").isTrue();
    assertThat(engine.evaluate(AdmissionRequest.builder(Operation.UPDATE).object(POD).oldObject(POD)
        .namespaceObject(prodNs).build()).allowed()).as("operation").isTrue();
    JsonNode unlabelled = yaml("{apiVersion: v1, kind: Pod, metadata: {name: x, namespace: team-a}, spec: {}}");
    assertThat(engine.evaluate(req(Operation.CREATE, unlabelled, prodNs, false)).allowed()).as("objectSelector").isTrue();
  }

  private static AdmissionRequest req(Operation op, JsonNode object, JsonNode ns, boolean dryRun) {
    return AdmissionRequest.builder(op).object(object).namespaceObject(ns).dryRun(dryRun).build();
  }

  @Test
  void autogenAppliesPodPoliciesToPodControllersWhenEnabled() {
    ValidatingPolicy p = ValidatingPolicy.builder("non-root").matchConstraints(PODS)
        .validation(Validation.of("object.spec.containers.all(c, c.?securityContext.?runAsNonRoot.orValue(false))",
            "run as non-root")).build();
    JsonNode deployment = yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: a, image: nginx}]}
        """);
    JsonNode cronJob = yaml("""
        apiVersion: batch/v1
        kind: CronJob
        metadata: {name: nightly, namespace: team-a}
        spec:
          schedule: "0 0 * * *"
          jobTemplate: {spec: {template: {spec: {containers: [{name: a, image: nginx}]}}}}
        """);

    PolicyEngine plain = PolicyEngine.builder().enforce(p).build();
    PolicyEngine autogen = PolicyEngine.builder().enforce(p).autogen(true).build();
    PolicyEngine onlyCronJobs = PolicyEngine.builder().enforce(p.toBuilder().autogenControllers(Set.of("CronJob")).build())
        .autogen(true).build();

    assertThat(create(plain, deployment).allowed()).isTrue();
    assertThat(create(autogen, deployment).violations()).extracting(Violation::message).containsExactly("run as non-root");
    assertThat(create(autogen, cronJob).allowed()).isFalse();
    assertThat(create(onlyCronJobs, deployment).allowed()).isTrue();
    assertThat(create(onlyCronJobs, cronJob).allowed()).isFalse();
  }

  @Test
  void orValueOnANonOptionalValueFailsUnlessTheCompatibilityFlagIsOn() {
    ValidatingPolicy p = ValidatingPolicy.builder("quirk").matchConstraints(PODS)
        .validation(Validation.of("object.spec.containers.orValue([]).size() > 0", "m")).build();

    assertThat(create(PolicyEngine.builder().enforce(p).build(), POD).allowed()).isFalse();
    assertThat(create(PolicyEngine.builder().enforce(p).orValueOnNonOptional(true).build(), POD).allowed()).isTrue();
  }

  @Test
  void authorizerChecksUseTheConfiguredAuthorizerAndTheDefaultDenies() {
    ValidatingPolicy p = ValidatingPolicy.builder("authz").matchConstraints(PODS)
        .validation(new Validation("authorizer.group('').resource('pods').namespace(object.metadata.namespace)"
            + ".check('delete').allowed()", null,
            "authorizer.group('').resource('pods').check('delete').reason()", null))
        .validation(Validation.of("authorizer.requestResource.check('create').allowed()", "cannot create"))
        .validation(Validation.of("authorizer.serviceAccount('ns', 'sa').path('/healthz').check('get').allowed()",
            "sa cannot get /healthz"))
        .build();
    List<Authorizer.Check> asked = new ArrayList<>();
    Authorizer admins = (user, groups, check) -> {
      synchronized (asked) {
        asked.add(check);
      }
      return user.equals("kubernetes-admin") ? Authorizer.Decision.allow("admin")
          : Authorizer.Decision.deny("only admins, not " + user);
    };

    Decision denied = create(PolicyEngine.builder().enforce(p).build(), POD);
    Decision allowed = create(PolicyEngine.builder().enforce(p).authorizer(admins).build(), POD);

    assertThat(denied.violations()).extracting(Violation::message).containsExactly(
        "no authorizer configured in the policy engine", "cannot create", "sa cannot get /healthz");
    assertThat(allowed.violations()).extracting(Violation::message).containsExactly("sa cannot get /healthz");
    assertThat(asked).contains(new Authorizer.Check("delete", "", "pods", "", "team-a", "", null),
        new Authorizer.Check("create", "", "pods", "", "team-a", "web", null));
  }

  @Test
  void auditAnnotationsArePrefixedWithThePolicyName() {
    ValidatingPolicy p = ValidatingPolicy.builder("annotate").matchConstraints(PODS)
        .auditAnnotation("containers", "string(object.spec.containers.size())")
        .auditAnnotation("skipped", "null").build();
    Decision d = create(PolicyEngine.builder().enforce(p).build(), POD);

    assertThat(d.auditAnnotations()).containsExactly(java.util.Map.entry("annotate/containers", "2"));
  }

  @Test
  void oldObjectAndRequestAreVisibleOnUpdate() {
    ValidatingPolicy p = ValidatingPolicy.builder("immutable-labels").matchConstraints(MatchResources.of(
            ResourceRule.of("", Set.of(Operation.UPDATE), "pods")))
        .validation(Validation.of("request.operation == 'UPDATE' && object.metadata.labels == oldObject.metadata.labels",
            "labels are immutable")).build();
    JsonNode relabelled = POD.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) relabelled.path("metadata").path("labels")).put("app", "other");
    PolicyEngine engine = PolicyEngine.builder().enforce(p).build();

    assertThat(engine.evaluate(AdmissionRequest.builder(Operation.UPDATE).object(relabelled).oldObject(POD).build())
        .violations()).extracting(Violation::message).containsExactly("labels are immutable");
    assertThat(engine.evaluate(AdmissionRequest.builder(Operation.UPDATE).object(POD).oldObject(POD).build())
        .allowed()).isTrue();
  }

  @Test
  void evaluateNeverThrowsWhateverTheObjectContains() {
    ValidatingPolicy p = ValidatingPolicy.builder("robust").matchConstraints(MatchResources.of(
            new ResourceRule(List.of("*"), null, List.of("*"), Set.of(), true, List.of(), null)))
        .validation(Validation.of("object.spec.replicas > 1", "m")).build();
    PolicyEngine engine = PolicyEngine.builder().enforce(p).build();
    JsonNode weird = yaml("{apiVersion: 7, kind: [1], metadata: 'x', spec: {replicas: 'many', big: 123456789012345678901234567890}}");

    Decision d = engine.evaluate(AdmissionRequest.builder(Operation.CREATE).object(weird).build());

    assertThat(d.allowed()).isFalse();
    assertThat(d.errors()).isNotEmpty();
  }

  @Test
  void autogenRewritesSpecAndMetadataToThePodTemplateButKeepsTheObjectsOwnNameAndNamespace() {
    ValidatingPolicy p = ValidatingPolicy.builder("labelled").matchConstraints(PODS)
        .validation(Validation.of("object.metadata.name == 'web' && object.metadata.namespace == 'team-a' "
            + "&& object.metadata.labels.app == 'web' && object.?spec.?containers.orValue([]).size() == 1", "m"))
        .build();
    JsonNode deployment = yaml("""
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: team-a}
        spec:
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: a, image: nginx}]}
        """);

    Decision d = create(PolicyEngine.builder().enforce(p).autogen(true).build(), deployment);

    assertThat(d.violations()).isEmpty();
    assertThat(d.errors()).isEmpty();
  }

  @Test
  void kindMappingExtensionsLetPoliciesMatchCustomResources() {
    ValidatingPolicy p = ValidatingPolicy.builder("widgets").matchConstraints(MatchResources.of(
            ResourceRule.of("example.com", Set.of(Operation.CREATE), "widgetries")))
        .validation(Validation.of("object.spec.size < 10", "too big")).build();
    JsonNode widget = yaml("{apiVersion: example.com/v1, kind: Widget, metadata: {name: w}, spec: {size: 20}}");

    assertThat(create(PolicyEngine.builder().enforce(p).build(), widget).allowed())
        .as("default plural 'widgets' does not match").isTrue();
    assertThat(create(PolicyEngine.builder().enforce(p)
        .kinds(KindMapping.defaults().with("example.com", "Widget", "widgetries", false)).build(), widget).allowed())
        .isFalse();
    assertThat(KindMapping.pluralise("Ingress")).isEqualTo("ingresses");
    assertThat(KindMapping.pluralise("NetworkPolicy")).isEqualTo("networkpolicies");
  }

  @Test
  void escapedPropertyNamesReachAnnotationKeysWithDashesDotsAndSlashes() {
    ValidatingPolicy p = ValidatingPolicy.builder("annotations").matchConstraints(PODS)
        .validation(Validation.of("object.metadata.annotations.example__dot__com__slash__owner__dash__team == 'a'", "m"))
        .build();
    JsonNode pod = yaml("{apiVersion: v1, kind: Pod, metadata: {name: p, annotations: {example.com/owner-team: a}}}");

    assertThat(create(PolicyEngine.builder().enforce(p).build(), pod).violations()).isEmpty();
  }

  /** As in Kubernetes, where a binding whose policy "does not exist ... is considered invalid and will be ignored". */
  @Test
  void aBindingToAnUnknownPolicyIsIgnored() {
    PolicyEngine engine = PolicyEngine.builder().binding(PolicyBinding.denyAll("ghost")).build();

    assertThat(create(engine, POD).allowed()).isTrue();
    assertThat(create(engine, POD).violations()).isEmpty();
  }
}
