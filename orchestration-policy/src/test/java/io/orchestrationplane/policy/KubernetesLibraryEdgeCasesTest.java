package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Kubernetes' CEL libraries on the edge cases where implementations differ, each with the phase (compile or
 * evaluate) and the message the API server reports. Cases follow the libraries' documentation and the Go code
 * they call (apimachinery validation, net/netip, net/url, blang/semver, resource.ParseQuantity).
 */
class KubernetesLibraryEdgeCasesTest {
  private static Object eval(String expression) {
    return CelExpression.compile(expression, Set.of()).evaluate(Map.of());
  }

  private static String evalError(String expression) {
    try {
      eval(expression);
    } catch (PolicyEvaluationException e) {
      return e.getMessage();
    }
    throw new AssertionError("expected an evaluation error from " + expression);
  }

  private static String compileError(String expression) {
    try {
      CelExpression.compile(expression, Set.of());
    } catch (PolicyCompileException e) {
      return e.problems().get(0).message();
    }
    throw new AssertionError("expected a compile error from " + expression);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // the *Prefix formats mask a trailing dash and the character before it (apimachinery maskTrailingDash)
      "!format.dns1123SubdomainPrefix().validate('example.com.-').hasValue()",
      "!format.dns1123LabelPrefix().validate('a-').hasValue()", "format.dns1123LabelPrefix().validate('-').hasValue()",
      "format.dns1123Subdomain().validate('example.com.').hasValue()",
      // strfmt byte is Go's StdEncoding: padding required
      "format.byte().validate('aGk').hasValue()", "!format.byte().validate('aGk=').hasValue()",
      // strfmt uuid also accepts 32 hex digits without dashes, any case
      "!format.uuid().validate('123E4567E89B12D3A456426614174000').hasValue()",
      "!format.datetime().validate('2024-01-01t10:00:00z').hasValue()",
      "format.datetime().validate('2024-01-01 10:00:00Z').hasValue()",
      "format.dns1123Label().validate('a.b').value() == ['must not contain dots']",
      "format.qualifiedName().validate('').value().size() == 2"})
  void namedFormatsAgreeWithApimachinery(String expression) {
    assertThat(eval(expression)).isEqualTo(true);
  }

  @Test
  void urlsAreParsedAsGoParsesThem() {
    assertThat(eval("isURL('https://exa mple.com/')")).isEqualTo(false);
    assertThat(evalError("url('https://exa mple.com/')")).isEqualTo("URL parse error during conversion from string: "
        + "parse \"https://exa mple.com/\": invalid character \" \" in host name");
    assertThat(evalError("url('https://example.com:8x/')")).isEqualTo("URL parse error during conversion from string: "
        + "parse \"https://example.com:8x/\": invalid port \":8x\" after host");
    assertThat(evalError("url('example.com')")).isEqualTo("URL parse error during conversion from string: "
        + "parse \"example.com\": invalid URI for request");
    assertThat(eval("url('https://example.com/a b!').getEscapedPath()")).isEqualTo("/a%20b%21");
    assertThat(eval("url('https://example.com/?k=a+b&k=%2B&bad=%zz').getQuery()"))
        .isEqualTo(Map.of("k", List.of("a b", "+")));
    assertThat(eval("url('https://[::1]:8080/').getHostname()")).isEqualTo("::1");
  }

  @Test
  void ipAndCidrFollowGoNetipAndKubernetesMessages() {
    assertThat(evalError("ip('127.0.0.01')")).isEqualTo("IP Address \"127.0.0.01\" parse error during conversion "
        + "from string: ParseAddr(\"127.0.0.01\"): IPv4 field has octet with leading zero");
    assertThat(evalError("ip('::ffff:1.2.3.4')")).isEqualTo("IPv4-mapped IPv6 address \"::ffff:1.2.3.4\" is not allowed");
    assertThat(evalError("ip('fe80::1%eth0')")).isEqualTo("IP address \"fe80::1%eth0\" with zone value is not allowed");
    assertThat(evalError("cidr('10.0.0.0')")).isEqualTo("network address parse error during conversion from string: "
        + "network address parse error during conversion from string: netip.ParsePrefix(\"10.0.0.0\"): no '/'");
    assertThat(evalError("cidr('10.0.0.0/08')")).endsWith("bad bits after slash: \"08\"");
    assertThat(eval("string(cidr('10.1.2.3/8').masked())")).isEqualTo("10.0.0.0/8");
    assertThat(eval("ip.isCanonical('2001:DB8::1')")).isEqualTo(false);
    assertThat(eval("type(cidr('10.0.0.0/8')) == net.CIDR && type(ip('::1')) == net.IP")).isEqualTo(true);
  }

  @Test
  void quantitiesParseAsTheApiServerParsesThem() {
    assertThat(evalError("quantity('20ZZ')"))
        .isEqualTo("quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
    assertThat(evalError("quantity('1K')")).isEqualTo("unable to parse quantity's suffix");
    assertThat(evalError("quantity('1.5').asInteger()")).isEqualTo("cannot convert value to integer");
    assertThat(eval("quantity('1.5n') == quantity('2n')")).isEqualTo(true);
    assertThat(eval("quantity('1E') == quantity('1e18')")).isEqualTo(true);
  }

  @Test
  void semversParseAsBlangSemverParsesThem() {
    assertThat(evalError("semver('1.0')")).isEqualTo("No Major.Minor.Patch elements found");
    assertThat(evalError("semver('01.0.0')")).isEqualTo("Major number must not contain leading zeroes \"01\"");
    assertThat(evalError("semver('1.0.0-01')"))
        .isEqualTo("Numeric PreRelease version must not contain leading zeroes \"01\"");
    assertThat(evalError("semver('v1-x', true)")).isEqualTo("short version cannot contain PreRelease/Build meta data");
    assertThat(eval("semver('1.0.0-alpha.10').isGreaterThan(semver('1.0.0-alpha.9'))")).isEqualTo(true);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "['a', 'b'].sum()|found no matching overload for 'sum' applied to 'list(string).()'",
      "[{'a': 1}].max()|found no matching overload for 'max' applied to 'list(map(string, int)).()'",
      "[1, 'a'].indexOf(1)|expected type 'int' but found 'string'",
      "'abc'.matches('(')|invalid matches argument",
      "'abc'.find('[a')|program instantiation failed: error parsing regexp: missing closing ]: `[a`",
      "duration('1 hour') > duration('1s')|invalid duration argument",
      "object.x|must evaluate to bool"})
  void errorsKubernetesReportsWhenThePolicyIsCreatedAreCompileErrors(String expression, String message) {
    String error = expression.startsWith("object") ? policyCompileError(expression) : compileError(expression);
    assertThat(error).isEqualTo(message);
  }

  private static String policyCompileError(String expression) {
    try {
      PolicyEngine.builder().enforce(ValidatingPolicy.builder("p").matchConstraints(MatchResources.of(
          ResourceRule.of("", Set.of(Operation.CREATE), "pods"))).validation(Validation.of(expression, "m")).build())
          .build();
    } catch (PolicyCompileException e) {
      return e.problems().get(0).message();
    }
    throw new AssertionError("expected a compile error from " + expression);
  }

  @Test
  void listFunctionsOnDynamicListsDispatchOnTheFirstElementAsCelGoDoes() {
    Map<String, Object> values = Map.of("l", List.of("a", "b"), "mixed", List.of(1, 2.5), "nums", List.of(3, 1, 2));
    CelExpression.Compiler c = CelExpression.compiler(Set.of("l", "mixed", "nums"), 0);
    assertThatThrownBy(() -> c.compile("l.sum()").evaluate(values)).hasMessage("no such overload");
    assertThatThrownBy(() -> c.compile("mixed.sum()").evaluate(values)).hasMessage("no such overload");
    assertThat(c.compile("nums.max() == 3 && nums.min() == 1 && !nums.isSorted()").evaluate(values)).isEqualTo(true);
    assertThat(c.compile("mixed.max()").evaluate(values)).isEqualTo(2.5);
    assertThatThrownBy(() -> c.compile("[].max()").evaluate(values)).hasMessage("max called on empty list");
  }

  @Test
  void anInvalidPatternKnownOnlyAtRuntimeIsTheLibrarysOwnError() {
    CelExpression e = CelExpression.compile("'abc'.find(re) == ''", Set.of("re"));
    assertThatThrownBy(() -> e.evaluate(Map.of("re", "(")))
        .isInstanceOf(PolicyEvaluationException.class)
        .hasMessage("Illegal regex: error parsing regexp: missing closing ): `(`")
        .satisfies(t -> assertThat(((PolicyEvaluationException) t).column()).isPositive());
  }

  @Test
  void resultsAreThePublicValueTypesAndAnAbsentOptionalIsNotNull() {
    assertThat(eval("quantity('1.5Gi')")).isInstanceOf(Quantity.class).hasToString("1.5Gi");
    assertThat(eval("ip('2001:db8:0:0::1')")).isEqualTo(IpAddress.parse("2001:db8::1"));
    assertThat(eval("cidr('10.0.0.0/8')")).isEqualTo(Cidr.parse("10.0.0.0/8"));
    assertThat(eval("semver('1.2.3-rc.1')")).isEqualTo(Semver.parse("1.2.3-rc.1"));
    assertThat(eval("optional.none()")).isEqualTo(Optional.empty());
    assertThat(eval("optional.of(2)")).isEqualTo(Optional.of(2L));
    assertThat(eval("null")).isNull();
    assertThat(eval("type(1)")).isEqualTo("int");
    assertThat(eval("duration('90s')")).isEqualTo(java.time.Duration.ofSeconds(90));
    assertThat(eval("b'hi'")).isEqualTo("hi".getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void theRuntimeErrorsOfCelAreWordedAsCelGoWordsThem() {
    CelExpression e = CelExpression.compile("object.spec.replicas > 1", Set.of("object"));
    assertThatThrownBy(() -> e.evaluate(Map.of("object", Map.of("spec", Map.of()))))
        .hasMessage("no such key: replicas");
    assertThatThrownBy(() -> eval("1 / 0 == 1")).hasMessage("division by zero");
  }
}
