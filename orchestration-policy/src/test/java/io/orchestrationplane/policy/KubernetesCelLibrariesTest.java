package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The documented examples of Kubernetes' CEL libraries (kubernetes.io/docs/reference/using-api/cel), each true. */
class KubernetesCelLibrariesTest {
  private static boolean holds(String expression) {
    return CelExpression.compile(expression, Set.of()).evaluateBoolean(Map.of());
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "[1, 2, 3].isSorted()", "['a', 'b', 'b', 'c'].isSorted()", "![2, 1].isSorted()", "[].isSorted()",
      "[1, 2, 3].sum() == 6", "[1.5, 2.5].sum() == 4.0", "[].sum() == 0",
      "[1, 2, 3].min() == 1", "[1, 2, 3].max() == 3", "['b', 'a'].min() == 'a'",
      "[1, 2, 3, 2].indexOf(2) == 1", "[1, 2, 3, 2].lastIndexOf(2) == 3", "[1, 2].indexOf(5) == -1"})
  void listsLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "'abc 123'.find('[0-9]+') == '123'", "'abc'.find('[0-9]+') == ''",
      "'1, 2, 3, 4'.findAll('[0-9]+').map(x, int(x)).sum() < 100",
      "'1, 2, 3, 4'.findAll('[0-9]+', 2) == ['1', '2']"})
  void regexLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "url('https://example.com:80/').getHost() == 'example.com:80'",
      "url('https://example.com:80/').getHostname() == 'example.com'",
      "url('https://example.com:80/').getPort() == '80'",
      "url('https://[::1]:80/').getHostname() == '::1'",
      "url('https://[::1]:80/').getHost() == '[::1]:80'",
      "url('/absolute-path').getScheme() == ''",
      "url('https://example.com/path with spaces/').getEscapedPath() == '/path%20with%20spaces/'",
      "url('https://example.com/?k=a&k=b&x=y').getQuery() == {'k': ['a', 'b'], 'x': ['y']}",
      "isURL('https://example.com:80/path?query=val#fragment')", "!isURL('not a url')",
      "url('https://example.com').getScheme() == 'https'"})
  void urlLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "isQuantity('200M')", "!isQuantity('20ZZ')", "quantity('500000G').isInteger()",
      "quantity('50k').asInteger() == 50000", "quantity('50Mi').asApproximateFloat() == 52428800.0",
      "quantity('50M').sign() == 1", "quantity('-50M').sign() == -1",
      "quantity('50M').add(quantity('20M')) == quantity('70M')", "quantity('50M').add(20000000) == quantity('70M')",
      "quantity('50M').sub(quantity('20M')) == quantity('30M')", "quantity('50M').sub(20000000) == quantity('30M')",
      "quantity('200M').isGreaterThan(quantity('100M'))", "quantity('1Mi').isGreaterThan(quantity('1M'))",
      "quantity('50M').isLessThan(quantity('100M'))", "quantity('50M').compareTo(quantity('50M')) == 0",
      "quantity('500m').compareTo(quantity('1')) == -1", "quantity('1.5').isInteger() == false",
      "quantity('0.5Gi') == quantity('512Mi')"})
  void quantityLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "isIP('127.0.0.1')", "!isIP('127.0.0.1.0')", "!isIP('::ffff:127.0.0.1')", "!isIP('fe80::1%eth0')",
      "!isIP('example.com')", "ip('127.0.0.1').family() == 4", "ip('::1').family() == 6",
      "ip('127.0.0.1').isLoopback()", "ip('0.0.0.0').isUnspecified()", "ip('::').isUnspecified()",
      "ip('224.0.0.1').isLinkLocalMulticast()", "ip('ff02::1').isLinkLocalMulticast()",
      "ip('169.254.169.254').isLinkLocalUnicast()", "ip('fe80::1').isLinkLocalUnicast()",
      "ip('192.168.0.1').isGlobalUnicast()", "!ip('255.255.255.255').isGlobalUnicast()",
      "ip.isCanonical('127.0.0.1')", "!ip.isCanonical('2001:db8:0:0:0:0:2:1')",
      "string(ip('2001:db8:0:0:0:0:2:1')) == '2001:db8::2:1'", "ip('127.0.0.1') == ip('127.0.0.1')"})
  void ipLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "isCIDR('192.168.0.0/24')", "!isCIDR('192.168.0.0')", "!isCIDR('192.168.0.0/33')",
      "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1'))", "cidr('192.168.0.0/24').containsIP('192.168.0.1')",
      "!cidr('192.168.0.0/24').containsIP('192.168.1.1')",
      "cidr('192.168.0.0/16').containsCIDR(cidr('192.168.10.0/24'))",
      "cidr('192.168.0.0/16').containsCIDR('192.168.10.0/24')", "!cidr('192.168.0.0/24').containsCIDR('192.168.0.0/16')",
      "cidr('192.168.0.1/24').ip() == ip('192.168.0.1')", "cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24')",
      "cidr('192.168.0.0/24').prefixLength() == 24", "string(cidr('::1/128')) == '::1/128'",
      "cidr('2001:db8::/32').containsIP('2001:db8::1')"})
  void cidrLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "!format.dns1123Label().validate('my-label-name').hasValue()",
      "format.dns1123Label().validate('MY_LABEL').hasValue()",
      "format.named('dns1123Label').hasValue()", "!format.named('unknown').hasValue()",
      "format.named('dns1123Subdomain').value().validate('apiextensions.k8s.io') == optional.none()",
      "format.dns1035Label().validate('1abc').hasValue()", "!format.qualifiedName().validate('example.com/MyName').hasValue()",
      "!format.labelValue().validate('').hasValue()", "!format.uuid().validate('123e4567-e89b-12d3-a456-426614174000').hasValue()",
      "!format.date().validate('2024-02-29').hasValue()", "format.date().validate('2023-02-29').hasValue()",
      "!format.datetime().validate('2024-01-01T00:00:00Z').hasValue()", "!format.byte().validate('aGVsbG8=').hasValue()",
      "!format.dns1123LabelPrefix().validate('my-prefix-').hasValue()", "!format.uri().validate('https://example.com').hasValue()"})
  void formatLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "isSemver('1.0.0')", "!isSemver('1.0')", "isSemver('v1.0', true)", "!isSemver('v1.0.0')",
      "semver('1.2.3').major() == 1", "semver('1.2.3').minor() == 2", "semver('1.2.3').patch() == 3",
      "semver('1.0.0').compareTo(semver('2.0.0')) == -1", "semver('2.0.0').isGreaterThan(semver('1.0.0'))",
      "semver('1.0.0-alpha').isLessThan(semver('1.0.0'))", "semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-beta'))",
      "semver('v01.1', true) == semver('1.1.0')", "semver('1.0.0+build') == semver('1.0.0')"})
  void semverLibraryExamplesHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "'%s is %d years'.format(['Ann', 30]) == 'Ann is 30 years'", "'%.2f'.format([3.14159]) == '3.14'",
      "'%f'.format([1.0]) == '1.000000'", "'%x'.format([255]) == 'ff'", "'%X'.format([255]) == 'FF'",
      "'%b'.format([5]) == '101'", "'%o'.format([8]) == '10'", "'100%%'.format([]) == '100%'",
      "'%s'.format([[1, 2]]) == '[1, 2]'", "'%s'.format([true]) == 'true'", "'%s'.format([null]) == 'null'",
      "'a,b'.split(',') == ['a', 'b']", "' x '.trim() == 'x'", "'abc'.upperAscii() == 'ABC'",
      "sets.contains([1, 2, 3], [1, 2])",
      "[[1], [2, 3]].flatten() == [1, 2, 3]", "optional.of(1).orValue(2) == 1", "{'a': 1}.?b.orValue(0) == 0",
      "{'a': 1, 'b': 2}.all(k, v, v > 0 && k != '')",
      "[10, 20].transformList(i, v, i + v) == [10, 21]", "[1, 2].exists(i, v, i == 1 && v == 2)"})
  void stringsAndStandardExtensionsHold(String expression) {
    assertThat(holds(expression)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "object.foo__dash__bar == 1", "object.a__dot__b == 2", "object.x__slash__y == 3", "object.__namespace__ == 4",
      "object.a__underscores__b == 5", "has(object.foo__dash__bar)", "!has(object.missing__dash__key)"})
  void escapedPropertyNamesReadTheOriginalKeys(String expression) {
    Map<String, Object> object = Map.of("foo-bar", 1, "a.b", 2, "x/y", 3, "namespace", 4, "a__b", 5);
    assertThat(CelExpression.compile(expression, Set.of("object")).evaluateBoolean(Map.of("object", object))).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"[].min()", "quantity('1.5').asInteger() == 1", "ip('not-an-ip') == ip('1.1.1.1')",
      "semver('bad') == semver('1.0.0')", "'%d'.format(['x']) == ''", "url('::') == url('/')"})
  void invalidArgumentsRaiseEvaluationErrors(String expression) {
    assertThatThrownBy(() -> holds(expression)).isInstanceOf(PolicyEvaluationException.class);
  }
}
