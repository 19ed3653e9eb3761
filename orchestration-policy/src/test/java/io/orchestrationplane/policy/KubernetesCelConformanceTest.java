package io.orchestrationplane.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Cases from the test tables and documentation of Kubernetes' CEL libraries (k8s.io/apiserver/pkg/cel/library
 * quantity, ip, cidr, format, semver, lists, regex, urls) and of the cel-go extensions Kubernetes enables
 * (strings, sets, optional types, two-variable comprehensions), run in the environment of the newest version.
 * Each row is {@code expression -> expectation}: {@code true} (evaluates to true), {@code error: message}
 * (the exact runtime error) or {@code compile: text} (a compile error containing the text).
 */
class KubernetesCelConformanceTest {
  private static void check(String expression, String expected) {
    CelExpression compiled;
    try {
      compiled = CelExpression.compile(expression, Set.of());
    } catch (PolicyCompileException e) {
      assertThat(expected).as("compile error of %s: %s", expression, e.getMessage()).startsWith("compile:");
      assertThat(e.problems().get(0).message()).contains(expected.substring("compile:".length()).trim());
      return;
    }
    assertThat(expected).as("%s compiled", expression).doesNotStartWith("compile:");
    Object result;
    try {
      result = compiled.evaluate(Map.of());
    } catch (PolicyEvaluationException e) {
      assertThat(expected).as("evaluation error of %s: %s", expression, e.getMessage()).startsWith("error:");
      assertThat(e.getMessage()).isEqualTo(expected.substring("error:".length()).trim());
      return;
    }
    assertThat(expected).as("%s evaluated to %s", expression, result).isEqualTo("true");
    assertThat(result).as(expression).isEqualTo(true);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
      // quantity_test.go and the library's documentation
      "quantity('12Mi') == quantity('12582912') -> true",
      "quantity('10Mo') -> error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      "quantity('10Mm') -> error: unable to parse quantity's suffix",
      "isQuantity('20') && isQuantity('20M') && isQuantity('20Mi') -> true",
      "!isQuantity('20Mo') && !isQuantity('10Mm') -> true",
      "isQuantity([1, 2, 3]) -> compile: found no matching overload for 'isQuantity' applied to",
      "quantity('200M') == quantity('0.2G') && quantity('0.2G') == quantity('200M') -> true",
      "quantity('2M') == quantity('0.002G') && quantity('2000k') == quantity('2M') -> true",
      "!(quantity('200M') == quantity('0.3G')) -> true",
      "quantity('50M').isLessThan(quantity('50Mi')) -> true",
      "!quantity('100M').isLessThan(quantity('50M')) -> true",
      "quantity('50Mi').isGreaterThan(quantity('50M')) -> true",
      "!quantity('50M').isGreaterThan(quantity('100M')) -> true",
      "quantity('200M').compareTo(quantity('0.2G')) == 0 -> true",
      "quantity('50M').compareTo(quantity('50Mi')) == -1 -> true",
      "quantity('50Mi').compareTo(quantity('50M')) == 1 -> true",
      "quantity('50k').add(quantity('20')) == quantity('50.02k') -> true",
      "quantity('50k').add(20).isLessThan(quantity('50020')) == false -> true",
      "quantity('50k').sub(quantity('20')) == quantity('49.98k') -> true",
      "quantity('50k').sub(20) == quantity('49980') -> true",
      "quantity('50k').add(20).sub(quantity('100k')).asInteger() == -49980 -> true",
      "quantity('50k').add(20).sub(quantity('100k')).sub(-50000).asInteger() == 20 -> true",
      "quantity('50k').add(20).sub(quantity('100k')).sub(-50000) == quantity('20') -> true",
      "quantity('50k').asInteger() == 50000 -> true",
      "quantity('9999999999999999999999999999999999999G').asInteger() -> error: cannot convert value to integer",
      "quantity('9999999999999999999999999999999999999G').isInteger() == false -> true",
      "quantity('9223372036854775808').isInteger() == false -> true",
      "quantity('922337203685477580').asInteger() == 922337203685477580 -> true",
      // isInteger is apimachinery's AsInt64: false for a fractional scale or an arbitrary-precision decimal
      "quantity('9223372036854775807').isInteger() == false && quantity('8Ei').isInteger() == false -> true",
      "quantity('1.0').isInteger() == false && quantity('1000m').isInteger() == false -> true",
      "quantity('0.5Gi').isInteger() == false && quantity('0.5Gi') == quantity('512Mi') && quantity('512Mi').isInteger() -> true",
      "quantity('1000m').asInteger() -> error: cannot convert value to integer",
      "quantity('500m').add(quantity('500m')).isInteger() == false && quantity('1k').add(1).asInteger() == 1001 -> true",
      "quantity('8Ei') == quantity('9223372036854775807Ki') -> true",
      "quantity('50').isInteger() -> true",
      "quantity('50000000G').isInteger() -> true",
      "quantity('50.703k').asApproximateFloat() == 50703.0 -> true",
      "quantity('50k').sub(20000).asApproximateFloat() == 30000.0 -> true",
      "quantity('200K') -> error: unable to parse quantity's suffix",
      "isQuantity('1.3G') && isQuantity('1.3Gi') && isQuantity('10000k') -> true",
      "!isQuantity('1,3G') && !isQuantity('200K') && !isQuantity('Three') -> true",
      "quantity('0').sign() == 0 && quantity('-1m').sign() == -1 -> true",
      "quantity('1m').isInteger() == false -> true",
      "quantity('1Ki').asInteger() == 1024 -> true",
      "quantity('1e3').asInteger() == 1000 -> true",
      "quantity('1.5').asApproximateFloat() == 1.5 -> true",
      "quantity('1').add(quantity('1.5')) == quantity('2.5') -> true",
      "quantity('9223372036854775807').add(1).isInteger() == false -> true",
      "quantity('-9223372036854775808').isInteger() == false -> true",
      "quantity('') -> error: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
      // ip_test.go
      "ip('192.168.0.1') == ip('192.168.0.1') -> true",
      "ip('192.168.0.1.0') -> error: IP Address \"192.168.0.1.0\" parse error during conversion from string: ParseAddr(\"192.168.0.1.0\"): IPv4 address too long",
      "isIP('192.168.0.1') && !isIP('192.168.0.1.0') -> true",
      "ip.isCanonical('127.0.0.1') -> true",
      "ip.isCanonical('127.0.0.1.0') -> error: IP Address \"127.0.0.1.0\" parse error during conversion from string: ParseAddr(\"127.0.0.1.0\"): IPv4 address too long",
      "ip('192.168.0.1').family() == 4 -> true",
      "ip('0.0.0.0').isUnspecified() && !ip('127.0.0.1').isUnspecified() -> true",
      "ip('127.0.0.1').isLoopback() && !ip('1.2.3.4').isLoopback() -> true",
      "ip('224.0.0.1').isLinkLocalMulticast() && !ip('224.0.1.1').isLinkLocalMulticast() -> true",
      "ip('169.254.169.254').isLinkLocalUnicast() && !ip('192.168.0.1').isLinkLocalUnicast() -> true",
      "ip('192.168.0.1').isGlobalUnicast() && !ip('255.255.255.255').isGlobalUnicast() -> true",
      "ip('2001:db8:::68') -> error: IP Address \"2001:db8:::68\" parse error during conversion from string: ParseAddr(\"2001:db8:::68\"): each colon-separated field must have at least one digit (at \":68\")",
      "isIP('2001:db8::68') && !isIP('2001:db8:::68') -> true",
      "ip.isCanonical('2001:db8::68') && !ip.isCanonical('2001:DB8::68') -> true",
      "ip.isCanonical('2001:db8:::68') -> error: IP Address \"2001:db8:::68\" parse error during conversion from string: ParseAddr(\"2001:db8:::68\"): each colon-separated field must have at least one digit (at \":68\")",
      "ip('2001:db8::68').family() == 6 -> true",
      "ip('::').isUnspecified() && !ip('::1').isUnspecified() -> true",
      "ip('::1').isLoopback() && !ip('2001:db8::abcd').isLoopback() -> true",
      "ip('ff02::1').isLinkLocalMulticast() && !ip('fd00::1').isLinkLocalMulticast() -> true",
      "ip('fe80::1').isLinkLocalUnicast() && !ip('fd80::1').isLinkLocalUnicast() -> true",
      "ip('2001:db8::abcd').isGlobalUnicast() && !ip('ff00::1').isGlobalUnicast() -> true",
      "isIP(cidr('192.168.0.0/24')) -> compile: found no matching overload for 'isIP' applied to '(net.CIDR)'",
      "string(ip('192.168.0.1')) == '192.168.0.1' -> true",
      "type(ip('192.168.0.1')) == net.IP -> true",
      "ip('') -> error: IP Address \"\" parse error during conversion from string: ParseAddr(\"\"): unable to parse IP",
      "ip('1.2.3') -> error: IP Address \"1.2.3\" parse error during conversion from string: ParseAddr(\"1.2.3\"): IPv4 address too short",
      "ip('256.0.0.1') -> error: IP Address \"256.0.0.1\" parse error during conversion from string: ParseAddr(\"256.0.0.1\"): IPv4 field has value >255",
      "ip('127.0.0.1').isLoopback() && ip('127.255.255.254').isLoopback() -> true",
      "ip('10.0.0.1').isGlobalUnicast() && ip('0.0.0.0').isGlobalUnicast() == false -> true",
      // cidr_test.go
      "cidr(192168) -> compile: found no matching overload for 'cidr' applied to '(int)'",
      "cidr(dyn('192.168.0.0/24')) == cidr('192.168.0.0/24') -> true",
      "cidr('192.168.0.0/') -> error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"192.168.0.0/\"): bad bits after slash: \"\"",
      "cidr('192.168.0.0/24').containsIP(ip('192.168.0.1')) && !cidr('192.168.0.0/24').containsIP(ip('192.168.1.1')) -> true",
      "cidr('192.168.0.0/24').containsIP('192.168.0.1') && !cidr('192.168.0.0/24').containsIP('192.168.1.1') -> true",
      "cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/25')) && !cidr('192.168.0.0/24').containsCIDR(cidr('192.168.0.0/23')) -> true",
      "cidr('192.168.0.0/24').containsCIDR('192.168.0.0/25') && !cidr('192.168.0.0/24').containsCIDR('192.168.0.0/23') -> true",
      "cidr('192.168.0.0/24').ip() == ip('192.168.0.0') -> true",
      "cidr('192.168.0.0/24').masked() == cidr('192.168.0.0/24') && cidr('192.168.0.1/24').masked() == cidr('192.168.0.0/24') -> true",
      "cidr('192.168.0.0/24').prefixLength() == 24 -> true",
      "cidr('2001:db8::/32') == cidr('2001:db8::/32') -> true",
      "cidr('2001:db8::/') -> error: network address parse error during conversion from string: network address parse error during conversion from string: netip.ParsePrefix(\"2001:db8::/\"): bad bits after slash: \"\"",
      "cidr('2001:db8::/32').containsIP(ip('2001:db8::1')) && !cidr('2001:db8::/32').containsIP(ip('2001:dc8::1')) -> true",
      "cidr('2001:db8::/32').containsIP('2001:db8::1') && !cidr('2001:db8::/32').containsIP('2001:dc8::1') -> true",
      "cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/33')) && !cidr('2001:db8::/32').containsCIDR(cidr('2001:db8::/31')) -> true",
      "cidr('2001:db8::/32').containsCIDR('2001:db8::/33') && !cidr('2001:db8::/32').containsCIDR('2001:db8::/31') -> true",
      "cidr('2001:db8::/32').ip() == ip('2001:db8::') -> true",
      "cidr('2001:db8::/32').masked() == cidr('2001:db8::/32') && cidr('2001:db8:1::/32').masked() == cidr('2001:db8::/32') -> true",
      "cidr('2001:db8::/32').prefixLength() == 32 -> true",
      "string(cidr('192.168.0.0/24')) == '192.168.0.0/24' -> true",
      "type(cidr('192.168.0.0/24')) == net.CIDR -> true",
      "cidr('192.168.0.0/24').containsIP('2001:db8::1') == false -> true",
      "cidr('::ffff:192.168.0.0/120') -> error: network address parse error during conversion from string: IPv4-mapped IPv6 address \"::ffff:192.168.0.0/120\" is not allowed",
      "isCIDR('192.168.0.0/24') && !isCIDR('192.168.0.0/33') && !isCIDR('192.168.0.0') -> true",
      // format_test.go
      "format.dns1123Label().validate('my-label-name') == optional.none() -> true",
      "format.dns1123Subdomain().validate('apiextensions.k8s.io') == optional.none() -> true",
      "format.qualifiedName().validate('apiextensions.k8s.io/v1beta1') == optional.none() -> true",
      "format.dns1123LabelPrefix().validate('my-label-prefix-') == optional.none() -> true",
      "format.dns1123SubdomainPrefix().validate('mysubdomain.prefix.-') == optional.none() -> true",
      "format.dns1035LabelPrefix().validate('my-label-prefix-') == optional.none() -> true",
      "format.uri().validate('http://example.com') == optional.none() -> true",
      "format.uuid().validate('123e4567-e89b-12d3-a456-426614174000') == optional.none() -> true",
      "format.byte().validate('aGVsbG8=') == optional.none() -> true",
      "format.date().validate('2021-01-01') == optional.none() -> true",
      "format.datetime().validate('2021-01-01T00:00:00Z') == optional.none() -> true",
      "format.dns1123Label().validate('contains a space') == optional.of([\"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\"]) -> true",
      "format.dns1123Subdomain().validate('contains a space') == optional.of([\"a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')\"]) -> true",
      "format.dns1035Label().validate('contains a space') == optional.of([\"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\"]) -> true",
      "format.qualifiedName().validate('contains a space') == optional.of([\"name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')\"]) -> true",
      "format.dns1123LabelPrefix().validate('contains a space-') == optional.of([\"a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')\"]) -> true",
      "format.dns1035LabelPrefix().validate('contains a space-') == optional.of([\"a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')\"]) -> true",
      "format.byte().validate('aGVsbG8') == optional.of(['invalid base64']) -> true",
      "format.date().validate('2020-01-32') == optional.of(['invalid date']) -> true",
      "format.datetime().validate('2020-01-32T00:00:00Z') == optional.of(['invalid datetime']) -> true",
      "format.named('unknown').hasValue() == false -> true",
      "format.labelValue().validate('my-cool-label-Value') == optional.none() -> true",
      "format.labelValue().validate('my-cool-label-Value!!\\n\\n!!!') == optional.of([\"a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')\"]) -> true",
      "['dns1123Label', 'dns1123Subdomain', 'dns1035Label', 'qualifiedName', 'dns1123LabelPrefix', 'dns1123SubdomainPrefix', 'dns1035LabelPrefix', 'labelValue', 'uri', 'uuid', 'byte', 'date', 'datetime'].all(n, format.named(n).hasValue()) -> true",
      "format.named('dns1123Label').value() == format.dns1123Label() && format.named('datetime').value() == format.datetime() -> true",
      "format.dns1123Label() != format.dns1123Subdomain() && format.uri() != format.uuid() -> true",
      // semver_test.go
      "semver('1.2.3') == semver('1.2.3') -> true",
      "semver('v1.0') -> error: No Major.Minor.Patch elements found",
      "isSemver('1.2.3-beta.1+build.1') -> true",
      "!isSemver('') && !isSemver('v1.0.0') && !isSemver(' 1.0.0') && !isSemver('1. 0.0') && !isSemver('1.0.0 ') -> true",
      "!isSemver('01.01.01') && !isSemver('1') && !isSemver('1.1') -> true",
      "!isSemver('', true) && !isSemver(' 1.0.0', true) && !isSemver('1. 0.0', true) && !isSemver('1.0.0 ', true) -> true",
      "isSemver('v1.0.0', true) && isSemver('01.01.01', true) && isSemver('1', true) && isSemver('1.1', true) -> true",
      "isSemver([1, 2, 3]) -> compile: found no matching overload for 'isSemver' applied to",
      "semver('v01.01', true) == semver('1.1.0') -> true",
      "!(semver('1.2.3') == semver('1.0.0')) -> true",
      "semver('1.0.0').isLessThan(semver('1.2.3')) && !semver('1.0.0').isLessThan(semver('1.0.0')) -> true",
      "semver('1.2.3').isGreaterThan(semver('1.0.0')) && !semver('1.0.0').isGreaterThan(semver('1.0.0')) -> true",
      "semver('1.2.3').compareTo(semver('1.2.3')) == 0 && semver('1.0.0').compareTo(semver('1.2.3')) == -1 -> true",
      "semver('1.2.3').compareTo(semver('1.0.0')) == 1 -> true",
      "semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && semver('1.2.3').patch() == 3 -> true",
      // lists library (documentation and apiextensions validation tests)
      "[1, 2, 3].isSorted() && ['a', 'b', 'b', 'c'].isSorted() && ![2.0, 1.0].isSorted() && [1].isSorted() -> true",
      "[1, 2, 3].sum() == 6 && [1.0, 2.0, 3.0].sum() == 6.0 -> true",
      "[duration('1s'), duration('1m')].sum() == duration('1m1s') -> true",
      "[1, 2, 3].min() == 1 && ['d', 'a', 'b', 'c'].min() == 'a' && [1, 2, 3].max() == 3 -> true",
      "[1, 2, 3].indexOf(2) == 1 && ['a', 'b', 'b', 'c'].lastIndexOf('b') == 2 -> true",
      "[[1], [2]].indexOf([1]) == 0 && [{'a': 1}, {'b': 2}].lastIndexOf({'b': 2}) == 1 -> true",
      "dyn([]).sum() == 0 && dyn([1, 2]).sum() == 3 && dyn([1.0, 2.0]).sum() == 3.0 -> true",
      "[timestamp('2000-01-01T00:00:00Z'), timestamp('2010-01-01T00:00:00Z')].max() == timestamp('2010-01-01T00:00:00Z') -> true",
      "[b'a', b'b'].isSorted() -> true",
      "[1u, 2u].sum() == 3u -> true",
      "[].min() -> error: min called on empty list",
      "[1.0].max() == 1.0 && [].isSorted() -> true",
      "[[1], [2]].min() == [1] -> compile: found no matching overload for 'min' applied to 'list(list(int)).()'",
      "['a', 'b'].sum() == 'c' -> compile: found no matching overload for 'sum' applied to 'list(string).()'",
      "[9223372036854775807, 1].sum() -> error: integer overflow",
      // regex library
      "'this is a 123 string 456'.find('[0-9]+') == '123' -> true",
      "'this is a 123 string 456'.find('xyz') == '' -> true",
      "'this is a 123 string 456'.findAll('[0-9]+') == ['123', '456'] -> true",
      "'this is a 123 string 456'.findAll('[0-9]+', 0) == [] -> true",
      "'this is a 123 string 456'.findAll('[0-9]+', 1) == ['123'] -> true",
      "'this is a 123 string 456'.findAll('[0-9]+', 3) == ['123', '456'] -> true",
      "'this is a 123 string 456'.findAll('[0-9]+', -1) == ['123', '456'] -> true",
      "'this is a 123 string 456'.findAll('xyz') == [] && 'x'.findAll('xyz', 1) == [] -> true",
      "'abc'.find(')') -> compile: program instantiation failed: error parsing regexp: unexpected ): `)`",
      "'abc'.findAll(')', 1) -> compile: program instantiation failed: error parsing regexp: unexpected ): `)`",
      "'Rook takes 👑'.matches('^[^0-9]*$') -> true",
      "'abc'.find('') == '' && 'abc'.findAll('') == ['', '', '', ''] -> true",
      "'aaa'.findAll('a*') == ['aaa'] && 'baaab'.findAll('a*') == ['', 'aaa', ''] -> true",
      "'héllo'.find('é.') == 'él' -> true",
      // URL library
      "url('/path').getScheme() == '' && url('https://example.com/').getScheme() == 'https' -> true",
      "url('https://example.com:80/').getHost() == 'example.com:80' && url('https://example.com/').getHost() == 'example.com' -> true",
      "url('https://[::1]:80/').getHost() == '[::1]:80' && url('https://[::1]/').getHost() == '[::1]' -> true",
      "url('/path').getHost() == '' && url('/path').getHostname() == '' && url('/path').getPort() == '' -> true",
      "url('https://127.0.0.1/').getHostname() == '127.0.0.1' && url('https://[::1]/').getHostname() == '::1' -> true",
      "url('https://example.com:80/').getPort() == '80' && url('https://example.com/').getPort() == '' -> true",
      "url('https://example.com/path').getEscapedPath() == '/path' -> true",
      "url('https://example.com/with space/').getEscapedPath() == '/with%20space/' -> true",
      "url('https://example.com').getEscapedPath() == '' -> true",
      "url('https://example.com/path?k1=a&k2=b&k2=c').getQuery() == {'k1': ['a'], 'k2': ['b', 'c']} -> true",
      "url('https://example.com/path?key with spaces=value with spaces').getQuery() == {'key with spaces': ['value with spaces']} -> true",
      "url('https://example.com/path?').getQuery() == {} && url('https://example.com/path').getQuery() == {} -> true",
      "url('https://user:pass@kubernetes.io:80/docs/home?k1=a&k2=b&k2=c#anchor').getHost() == 'kubernetes.io:80' -> true",
      "url('https://user:pass@kubernetes.io:80/docs/home?k1=a&k2=b&k2=c#anchor').getEscapedPath() == '/docs/home' -> true",
      "isURL('https://user:pass@example.com:80/path?query=val#fragment') && isURL('/path') -> true",
      "isURL('https://a:b:c/') == false && isURL('../relative-path') == false -> true",
      "url('https://a:b:c/') -> error: URL parse error during conversion from string: parse \"https://a:b:c/\": invalid port \":c\" after host",
      "url('../relative-path') -> error: URL parse error during conversion from string: parse \"../relative-path\": invalid URI for request",
      // strings extension (cel-go ext/strings_test.go)
      "'tacocat'.charAt(3) == 'o' && 'tacocat'.charAt(7) == '' -> true",
      "'©αT'.charAt(0) == '©' && '©αT'.charAt(1) == 'α' && '©αT'.charAt(2) == 'T' -> true",
      "'tacocat'.indexOf('') == 0 && 'tacocat'.indexOf('ac') == 1 && 'tacocat'.indexOf('none') == -1 -> true",
      "'tacocat'.indexOf('', 3) == 3 && 'tacocat'.indexOf('a', 3) == 5 && 'tacocat'.indexOf('at', 3) == 5 -> true",
      "'ta©o©αT'.indexOf('©') == 2 && 'ta©o©αT'.indexOf('©', 3) == 4 && 'ta©o©αT'.indexOf('©αT', 3) == 4 -> true",
      "'ta©o©αT'.indexOf('©α', 5) == -1 && 'ijk'.indexOf('k') == 2 -> true",
      "'hello wello'.indexOf('ello', 6) == 7 && 'hello wello'.indexOf('elbo room!!') == -1 -> true",
      "'tacocat'.lastIndexOf('') == 7 && 'tacocat'.lastIndexOf('at') == 5 && 'tacocat'.lastIndexOf('none') == -1 -> true",
      "'tacocat'.lastIndexOf('', 3) == 3 && 'tacocat'.lastIndexOf('a', 3) == 1 -> true",
      "'ta©o©αT'.lastIndexOf('©') == 4 && 'ta©o©αT'.lastIndexOf('©', 3) == 2 && 'ta©o©αT'.lastIndexOf('©α', 4) == 4 -> true",
      "'hello wello'.lastIndexOf('ello', 6) == 1 && 'hello wello'.lastIndexOf('low') == -1 -> true",
      "'hello wello'.lastIndexOf('hello wello') == 0 && 'bananananana'.lastIndexOf('nana', 8) == 8 -> true",
      "'😀😁'.indexOf('😁') == 1 && '😀😁'.lastIndexOf('😀') == 0 && '😀😁'.charAt(1) == '😁' -> true",
      "'😀😁x'.substring(1, 3) == '😁x' && size('😀😁') == 2 -> true",
      "'12 days 12 hours'.replace('{0}', '2') == '12 days 12 hours' -> true",
      "'{0} days {0} hours'.replace('{0}', '2') == '2 days 2 hours' -> true",
      "'{0} days {0} hours'.replace('{0}', '2', 1).replace('{0}', '23') == '2 days 23 hours' -> true",
      "'1 ©αT taco'.replace('αT', 'o©α') == '1 ©o©α taco' -> true",
      "'abc'.replace('', '-') == '-a-b-c-' && 'abc'.replace('b', 'x', 0) == 'abc' && 'abab'.replace('b', 'x', -1) == 'axax' -> true",
      "'hello world'.split(' ') == ['hello', 'world'] && 'hello world events!'.split(' ', 0) == [] -> true",
      "'hello world events!'.split(' ', 1) == ['hello world events!'] && 'o©o©o©o'.split('©', -1) == ['o', 'o', 'o', 'o'] -> true",
      "'abc'.split('') == ['a', 'b', 'c'] && 'a,b,c'.split(',', 2) == ['a', 'b,c'] -> true",
      "'tacocat'.substring(4) == 'cat' && 'tacocat'.substring(7) == '' && 'tacocat'.substring(0, 4) == 'taco' -> true",
      "'tacocat'.substring(4, 4) == '' && 'ta©o©αT'.substring(2, 6) == '©o©α' && 'ta©o©αT'.substring(7, 7) == '' -> true",
      "' \\f\\n\\r\\t\\vtext  '.trim() == 'text' -> true",
      "'\\u0085\\u00a0\\u1680text'.trim() == 'text' -> true",
      "'text\\u2000\\u2001\\u2002\\u2003\\u2004\\u2004\\u2006\\u2007\\u2008\\u2009'.trim() == 'text' -> true",
      "'\\u200atext\\u2028\\u2029\\u202F\\u205F\\u3000'.trim() == 'text' -> true",
      "'\\u180etext\\u200b\\u200c\\u200d\\u2060\\ufeff'.trim() == '\\u180etext\\u200b\\u200c\\u200d\\u2060\\ufeff' -> true",
      "'TacoCat'.lowerAscii() == 'tacocat' && 'TacoCÆt Xii'.lowerAscii() == 'tacocÆt xii' -> true",
      "'tacoCat'.upperAscii() == 'TACOCAT' && 'tacoCαt'.upperAscii() == 'TACOCαT' -> true",
      "['x', 'y'].join() == 'xy' && ['x', 'y'].join('-') == 'x-y' && [].join() == '' && [].join('-') == '' -> true",
      "'tacocat'.charAt(30) -> error: index out of range: 30",
      "'tacocat'.indexOf('a', 30) -> error: index out of range: 30",
      "'tacocat'.lastIndexOf('a', -1) -> error: index out of range: -1",
      "'tacocat'.lastIndexOf('a', 30) -> error: index out of range: 30",
      "'tacocat'.substring(40) -> error: index out of range: 40",
      "'tacocat'.substring(-1) -> error: index out of range: -1",
      "'tacocat'.substring(1, 50) -> error: index out of range: 50",
      "'tacocat'.substring(49, 50) -> error: index out of range: 49",
      "'tacocat'.substring(4, 3) -> error: invalid substring range. start: 4, end: 3",
      "'tacocat'.indexOf('a', -1) -> error: index out of range: -1",
      "42.charAt(2) -> compile: found no matching overload for 'charAt' applied to 'int.(int)'",
      // strings.quote and format (strings extension version 2, Kubernetes 1.29+)
      "strings.quote('first\\nsecond') == '\"first\\\\nsecond\"' -> true",
      "strings.quote('bell\\a') == '\"bell\\\\a\"' && strings.quote('\\\\') == '\"\\\\\\\\\"' -> true",
      "strings.quote('ends with \\\\') == '\"ends with \\\\\\\\\"' && strings.quote('\\\\ starts with') == '\"\\\\\\\\ starts with\"' -> true",
      "strings.quote('printable unicode😀') == '\"printable unicode😀\"' -> true",
      "strings.quote('mid string \\\" quote') == '\"mid string \\\\\\\" quote\"' -> true",
      "strings.quote('single-quote with \\'') == '\"single-quote with \\'\"' && strings.quote('') == '\"\"' -> true",
      "'%d %s %f %s %s'.format([1, 'a', 2.5, true, null]) == '1 a 2.500000 true null' -> true",
      "'%b'.format([true]) == '1' && '%o'.format([11]) == '13' -> true",
      "'%x'.format(['Hello world!']) == '48656c6c6f20776f726c6421' -> true",
      "'%s'.format([{'a': 1}]) == '{\"a\":1}' -> true",
      "'%s'.format([[1, 'a']]) == '[1, \"a\"]' -> true",
      "'%s'.format([1.0]) == '1' && '%s'.format([1.5]) == '1.5' && '%s'.format([b'xyz']) == 'xyz' -> true",
      // sets extension
      "sets.contains([], []) && sets.contains([1], []) && sets.contains([1, 2, 3, 4], [2, 3]) -> true",
      "!sets.contains([1, 2, 3], [2, 4]) && sets.contains([[1], [2, 3]], [[2, 3]]) -> true",
      "sets.equivalent([], []) && sets.equivalent([1], [1, 1]) && sets.equivalent([1, 2, 3], [3, 2, 1]) -> true",
      "!sets.equivalent([2, 1], [1]) && !sets.equivalent([1], [1, 2]) -> true",
      "!sets.intersects([], []) && !sets.intersects([1], []) && sets.intersects([1], [1, 2]) -> true",
      // optional types
      "optional.of(1).hasValue() && !optional.none().hasValue() && optional.of(1).value() == 1 -> true",
      "!optional.ofNonZeroValue(0).hasValue() && !optional.ofNonZeroValue('').hasValue() && !optional.ofNonZeroValue([]).hasValue() -> true",
      "optional.ofNonZeroValue(1).hasValue() && !optional.ofNonZeroValue(null).hasValue() -> true",
      "{'a': 1}.?a == optional.of(1) && {'a': 1}.?b == optional.none() -> true",
      "{'a': 1}[?'b'].orValue(5) == 5 && [1, 2][?1] == optional.of(2) && [1, 2][?5] == optional.none() -> true",
      "optional.none().or(optional.of(2)).value() == 2 && optional.of(1).or(optional.of(2)) == optional.of(1) -> true",
      "optional.of(1).optMap(x, x + 1) == optional.of(2) && optional.none().optMap(x, x + 1) == optional.none() -> true",
      "optional.of(1).optFlatMap(x, optional.of(x + 1)) == optional.of(2) -> true",
      "[?optional.of(1), ?optional.none(), 2] == [1, 2] && {?'a': optional.of(1), ?'b': optional.none()} == {'a': 1} -> true",
      "optional.none().value() -> error: optional.none() dereference",
      "{'a': {'b': 1}}.?a.?b.orValue(0) == 1 && {'a': {'b': 1}}.?x.?b.orValue(0) == 0 -> true",
      "optional.of(1) == optional.of(1) && optional.none() == optional.none() && optional.of(1) != optional.none() -> true",
      "type(optional.none()) == optional_type -> true",
      // two-variable comprehensions (Kubernetes 1.32+)
      "[1, 2, 3].all(i, v, i < v) && ['a', 'b'].exists(i, v, i == 1 && v == 'b') && [1, 1].existsOne(i, v, i == 0) -> true",
      "{'a': 1, 'b': 2}.all(k, v, v > 0) && {'a': 1}.exists(k, v, k == 'a' && v == 1) -> true",
      "[1, 2].transformList(i, v, v * 2) == [2, 4] && [1, 2, 3].transformList(i, v, v > 1, i) == [1, 2] -> true",
      "{'a': 1, 'b': 2}.transformList(k, v, k + string(v)) == ['a1', 'b2'] -> true",
      "['a', 'b'].transformMap(i, v, v + string(i)) == {0: 'a0', 1: 'b1'} -> true",
      "{'a': 1, 'b': 2}.transformMap(k, v, v * 10) == {'a': 10, 'b': 20} && {'a': 1, 'b': 2}.transformMap(k, v, v > 1, v) == {'b': 2} -> true",
      "{'a': 1}.transformMapEntry(k, v, {v: k}) == {1: 'a'} && [1, 2].transformMapEntry(i, v, {string(v): i}) == {'1': 0, '2': 1} -> true",
      "{'a': 1, 'b': 1}.transformMapEntry(k, v, {v: k}) -> error: insert failed: key 1 already exists",
      // cel-go's ext/comprehensions_test.go static and runtime errors
      "[].all(i, i, i < i) -> compile: duplicate variable name: i",
      "[].all(__result__, i, __result__ < i) -> compile: iteration variable overwrites accumulator variable",
      "[].all(j, __result__, __result__ < j) -> compile: iteration variable overwrites accumulator variable",
      "[].all(i.j, k, i.j < k) -> compile: argument must be a simple name",
      "1.all(j, k, j < k) -> compile: cannot be range",
      "{}.transformMapEntry(j, k, 'bad filter', {k: j}) -> compile: no matching overload",
      "[1, 2].transformList(i, v, v % 2 == 0 ? [v] : v) -> compile: no matching overload",
      "[dyn(0), dyn(0u)].transformMapEntry(i, v, {v: i}) -> error: insert failed: key 0 already exists",
      "{'greeting': 'hello', 'farewell': 'goodbye'}.transformList(k, _, k).sort() == ['farewell', 'greeting'] -> true",
      // lists extension version 3 (Kubernetes 1.34+)
      "[1, 2, 3, 4].slice(1, 3) == [2, 3] && [1, 2].slice(2, 2) == [] -> true",
      "[1, 2, 3].slice(2, 1) -> error: cannot slice(2, 1), start index must be less than or equal to end index",
      "[1, 2, 3].slice(0, 4) -> error: cannot slice(0, 4), list is length 3",
      "[1, 2, 3].slice(-1, 2) -> error: cannot slice(-1, 2), negative indexes not supported",
      "[[1], [2, 3]].flatten() == [1, 2, 3] && [[[1]], [[2], [3]]].flatten(2) == [1, 2, 3] -> true",
      "[1].flatten(-1) -> error: level must be non-negative",
      "[3, 1, 2].sort() == [1, 2, 3] && ['b', 'a'].sort() == ['a', 'b'] && [].sort() == [] -> true",
      "lists.range(4) == [0, 1, 2, 3] && lists.range(0) == [] && lists.range(-1) == [] -> true",
      "[1, 2, 3].reverse() == [3, 2, 1] && [1, 2, 1, 3].distinct() == [1, 2, 3] -> true",
      "[1, 'a'].sort() -> compile: ",
      // sort is declared for cel-go's comparable element types only, bytes among them
      "[[1, 2, 3]].sort() -> compile: found no matching overload for 'sort' applied to 'list(list(int)).()'",
      "[{'a': 1}].sort() -> compile: found no matching overload for 'sort' applied to 'list(map(string, int)).()'",
      "[b'b', b'a'].sort() == [b'a', b'b'] && [true, false].sort() == [false, true] && [2u, 1u].sort() == [1u, 2u] -> true",
      "[timestamp(2), timestamp(1)].sort() == [timestamp(1), timestamp(2)] && [2.5, 1.5].sort() == [1.5, 2.5] -> true",
      "[dyn(1), dyn('b')].sort() -> error: list elements must have the same type",
      "[dyn(2), dyn(1.0)].sort() -> error: list elements must have the same type",
      "dyn([[1], [2]]).sort() -> error: list elements must be comparable",
      // standard CEL runtime errors, as cel-go words them
      "{'a': 1}['b'] -> error: no such key: b",
      "9223372036854775807 + 1 -> error: integer overflow",
      "-9223372036854775808 - 1 -> error: integer overflow",
      "1 / 0 -> error: division by zero",
      "1 % 0 -> error: modulus by zero",
      "int(1e100) -> error: integer overflow",
      "uint(-1) -> error: unsigned integer overflow",
      "int(18446744073709551615u) -> error: integer overflow",
      "int(dyn(9223372036854775808u)) -> error: integer overflow",
      "int(9223372036854775807u) == 9223372036854775807 && int(dyn(5u)) == 5 -> true",
      "timestamp('2001-02-03T04:05:06Z').getHours('Nowhere/Bogus') -> error: unknown time zone Nowhere/Bogus",
      "0u - 1u -> error: unsigned integer overflow",
      "duration('1') -> compile: invalid duration argument",
      "dyn('x') + 1 -> error: no such overload",
      "1 < 1.5 && 2u > 1 && dyn(1) == dyn(1.0) && dyn(1u) == dyn(1) -> true",
      "1 == 1.0 -> compile: found no matching overload for '_==_' applied to '(int, double)'",
      "dyn(1) == dyn('1') == false -> true",
      "[1, 2].exists(x, x == 2 || x / 0 > 1) -> true",
      "[0, 1].all(x, 1 / x > 0) -> error: division by zero",
      "type(1) == int && type('a') == string && type(null) == null_type && type([]) == list -> true",
      "string(1.5) == '1.5' && string(b'abc') == 'abc' && double('1e3') == 1000.0 && int(-1.9) == -1 -> true",
      "timestamp('2021-01-01T00:00:00Z') + duration('1h') == timestamp('2021-01-01T01:00:00Z') -> true",
      "timestamp('2021-01-01T00:00:00Z').getFullYear() == 2021 && duration('1h30m').getMinutes() == 90 -> true",
      "'abc'.size() == 3 && size(b'abc') == 3 && size({'a': 1}) == 1 -> true",
      "'a' + 1 -> compile: found no matching overload for '_+_' applied to '(string, int)'",
      "string(duration('1h')) == '3600s' && string(duration('1.5s')) == '1.5s' && string(duration('2ns')) == '0.000000002s' -> true",
      "string(timestamp('2021-01-01T00:00:00Z')) == '2021-01-01T00:00:00Z' && string(timestamp('2021-01-01T00:00:00.100Z')) == '2021-01-01T00:00:00.1Z' -> true",
      "string(1.0) == '1' && string(1e6) == '1e+06' && string(0.000001) == '1e-06' && string(-2.5) == '-2.5' && string(123456.0) == '123456' -> true",
      "string(true) == 'true' && string(1u) == '1' && string(-7) == '-7' && string(b'abc') == 'abc' -> true",
      "string(dyn(5)) == '5' && string(dyn(duration('1s'))) == '1s' && string(dyn(1.5)) == '1.5' && string(dyn(timestamp(0))) == '1970-01-01T00:00:00Z' -> true",
      "timestamp('2021-01-01T00:00:00Z').getHours('America/Los_Angeles') == 16 && timestamp('2021-01-01T00:00:00Z').getDayOfWeek() == 5 -> true",
      // a duration's getMilliseconds() is all of it in milliseconds (cel-spec's timestamps tests, cel-go's library)
      "duration('123.321456789s').getMilliseconds() == 123321 && duration('-1.5s').getMilliseconds() == -1500 -> true",
      "timestamp('2001-02-03T04:05:06.789Z').getMilliseconds() == 789 && duration('61s').getSeconds() == 61 -> true",
      "int(timestamp('1970-01-01T00:01:00Z')) == 60 && duration('1h30m').getHours() == 1 && duration('90s').getSeconds() == 90 -> true",
      "dyn(1.0) in [1, 2] && dyn(1u) == dyn(1) && {1: 'a'}[dyn(1.0)] == 'a' && [1, 2, 3][dyn(1u)] == 2 -> true",
      "[1, 2].exists_one(i, v, v == 2) && {'a': 1}.existsOne(k, v, v == 1) -> true",
      "isURL('') == false && isURL('https://') == true -> true",
      "url('') -> error: URL parse error during conversion from string: parse \"\": empty url",
      "'aBc'.matches('(?i)b') && 'abc'.matches('^a') && !'abc'.matches('^b') && 'hello'.startsWith('') -> true",
      "semver('1.0.0').isGreaterThan(semver('1.0.0-rc.1')) && semver('1.0.0-alpha') < semver('1.0.0') -> compile: found no matching overload for '_<_'",
      "quantity('1.5Gi').asApproximateFloat() == 1610612736.0 && quantity('100m').asApproximateFloat() == 0.1 -> true",
      "optional.none().orValue(2) == 2 && optional.of(1).orValue(2) == 1 && [1][?0] == optional.of(1) -> true",
      "[?{'a': 1}.?b, ?{'a': 1}.?a] == [1] && {?'x': {'a': 1}.?a}.x == 1 -> true",
      "has({'a': 1}.a) && !has({'a': 1}.b) && has({'a': {'b': null}}.a.b) -> true",
      "'a,b,,c'.split(',', -1) == ['a', 'b', '', 'c'] && 'abc'.split('', 2) == ['a', 'bc'] -> true",
      "'ÀÉ'.lowerAscii() == 'ÀÉ' && 'àé'.upperAscii() == 'àé' && 'aBc'.lowerAscii() == 'abc' -> true",
      "['a', 'b'].join(', ') == 'a, b' -> true",
      "size('héllo') == 5 && size(b'h\\xc3\\xa9llo') == 6 && size([1, 2]) == 2 && size({}) == 0 -> true",
      "[] == [] && {} == {} && dyn([]) == [] && [[1], [2]] == [[1], [2]] -> true",
      // string conversions as cel-go's (strconv.ParseFloat, ParseBool; 'type conversion error from ...')
      "double('Inf') == double('+infinity') && double('-inf') < 0.0 && double('0x1p3') == 8.0 && double('.5') == 0.5 -> true",
      "bool('T') && !bool('F') && bool('1') && !bool('False') && int('+5') == 5 -> true",
      "timestamp(0) == timestamp('1970-01-01T00:00:00Z') && uint('7') == 7u && string(2.5) == '2.5' -> true",
      "int('abc') -> error: type conversion error from 'string' to 'int'",
      "int(' 5') -> error: type conversion error from 'string' to 'int'",
      "uint('-1') -> error: type conversion error from 'string' to 'uint'",
      "double('1e400') -> error: type conversion error from 'string' to 'double'",
      "double(' 1') -> error: type conversion error from 'string' to 'double'",
      "bool('yes') -> error: type conversion error from 'string' to 'bool'",
      "duration(dyn('1 hour')) -> error: type conversion error from 'string' to 'google.protobuf.Duration'",
      "timestamp(dyn('yesterday')) -> error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
  })
  void theDocumentedBehaviourHolds(String expression, String expected) {
    check(expression, expected);
  }

  /** cel-go's ext/formatting_test.go (strings extension version 1 and later, en_US). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
      "'str is %s and some more'.format(['filler']) == 'str is filler and some more' -> true",
      "'%% and also %%'.format([]) == '% and also %' && '%%%s%%'.format(['text']) == '%text%' -> true",
      "'%d %d %d, %s %s %s'.format([1, 2, 3, 'A', 'B', 'C']) == '1 2 3, A B C' -> true",
      "'%.3f'.format([1.2345]) == '1.234' && '%f'.format([2.71828]) == '2.718280' -> true",
      "'this is 5 in binary: %b'.format([5]) == 'this is 5 in binary: 101' && '%b'.format([-5]) == '-101' -> true",
      "'%b'.format([uint(64)]) == '1000000' && '%b'.format([true]) == '1' && '%b'.format([false]) == '0' -> true",
      "'%o'.format([11]) == '13' && '%o'.format([-11]) == '-13' && '%o'.format([uint(65535)]) == '177777' -> true",
      "'%x'.format([30]) == '1e' && '%X'.format([30]) == '1E' && '%x'.format([-30]) == '-1e' -> true",
      "'%X'.format([uint(6000)]) == '1770' && '%x'.format(['Hello world!']) == '48656c6c6f20776f726c6421' -> true",
      "'%X'.format(['Hello world!']) == '48656C6C6F20776F726C6421' && '%x'.format([b'byte string']) == '6279746520737472696e67' -> true",
      "'%x'.format([b'\\x00\\x00byte string\\x00']) == '00006279746520737472696e6700' && '%X'.format([b'byte string']) == '6279746520737472696E67' -> true",
      "'%.6e'.format([1052.032911275]) == '1.052033\u202f\u00d7\u202f10\u2070\u00b3' -> true",
      "'%e'.format([2.71828]) == '2.718280\u202f\u00d7\u202f10\u2070\u2070' -> true",
      "'%s'.format([2.71]) == '2.71' && '%s'.format([[2.71]]) == '[2.710000]' -> true",
      "'%s'.format([0.000000002]) == '2e-09' && '%s'.format([[0.000000002]]) == '[0.000000]' -> true",
      "'%f'.format(['NaN']) == 'NaN' && '%f'.format(['Infinity']) == '∞' && '%f'.format(['-Infinity']) == '-∞' -> true",
      "'%s'.format([double('NaN')]) == 'NaN' && '%s'.format([double('Inf')]) == '+Inf' && '%s'.format([double('-Inf')]) == '-Inf' -> true",
      "'%s'.format([[double('NaN'), double('+Inf'), double('-Inf')]]) == '[\"NaN\", \"+Inf\", \"-Inf\"]' -> true",
      "'%d'.format([uint(64)]) == '64' && 'null: %s'.format([null]) == 'null: null' && '%s'.format([999999999999]) == '999999999999' -> true",
      "'some bytes: %s'.format([b'xyz']) == 'some bytes: xyz' && 'type is %s'.format([type('test string')]) == 'type is string' -> true",
      "'%s'.format([timestamp('2023-02-03T23:31:20+00:00')]) == '2023-02-03T23:31:20Z' -> true",
      "'%s'.format([duration('1h45m47s')]) == '6347s' && '%s'.format([duration('2ns')]) == '0.000000002s' -> true",
      "'%s'.format([['abc', 3.14, null, [9, 8, 7, 6], timestamp('2023-02-03T23:31:20Z')]]) == '[\"abc\", 3.140000, null, [9, 8, 7, 6], timestamp(\"2023-02-03T23:31:20Z\")]' -> true",
      "'%s'.format([{'key1': b'xyz', 'key5': null, 'key2': duration('2h'), 'key4': true, 'key3': 2.71828}]) == '{\"key1\":b\"xyz\", \"key2\":duration(\"7200s\"), \"key3\":2.718280, \"key4\":true, \"key5\":null}' -> true",
      "'%s'.format([{1: 'value1', 2: 'value2'}]) == '{1:\"value1\", 2:\"value2\"}' -> true",
      "'true bool: %s, false bool: %s'.format([true, false]) == 'true bool: true, false bool: false' -> true",
      "'%s'.format([56.8]) == '56.8' && '%s'.format([1.0]) == '1' && '%s'.format([1234567.0]) == '1.234567e+06' -> true",
      "'%.3f'.format([4.5]) == '4.500' && '%.2f'.format([1234.5]) == '1,234.50' -> true",
      "'%a'.format([1]) -> error: could not parse formatting clause: unrecognized formatting clause \"a\"",
      "'%d %d %d'.format([0, 1]) -> error: index 2 out of range",
      "'string is %b'.format(['abc']) -> error: error during formatting: only integers and bools can be formatted as binary, was given string",
      "'%d'.format([duration('30m2s')]) -> error: error during formatting: decimal clause can only be used on integers, was given google.protobuf.Duration",
      "'octal: %o'.format(['a string']) -> error: error during formatting: octal clause can only be used on integers, was given string",
      "'double is %x'.format([0.5]) -> error: error during formatting: only integers, byte buffers, and strings can be formatted as hex, was given double",
      "'double is %E'.format([0.5]) -> error: could not parse formatting clause: unrecognized formatting clause \"E\"",
      "'null: %d'.format([null]) -> error: error during formatting: decimal clause can only be used on integers, was given null_type",
      "'null: %e'.format([null]) -> error: error during formatting: scientific clause can only be used on doubles, was given null_type",
      "'null: %f'.format([null]) -> error: error during formatting: fixed-point clause can only be used on doubles, was given null_type",
      "'null: %x'.format([null]) -> error: error during formatting: only integers, byte buffers, and strings can be formatted as hex, was given null_type",
      "'%s %s'.format(['abc']) -> error: index 1 out of range",
      "'filler %'.format([1]) -> error: unexpected end of string",
      "'double is %.34'.format([5.0]) -> error: could not parse formatting clause: error while parsing precision: could not find end of precision specifier",
      "'%d'.format([1.5]) -> error: error during formatting: decimal clause can only be used on integers, was given double"})
  void formatAsCelGo(String expression, String expected) {
    check(expression, expected);
  }

  /** cel-go's list index errors (common/types/list.go), which name the index and the list's size. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
      "[1, 2][5] -> error: index '5' out of range in list size '2'",
      "[1, 2][-1] -> error: index '-1' out of range in list size '2'",
      "[][0] -> error: index '0' out of range in list size '0'",
      "{'a': [1]}.a[3] -> error: index '3' out of range in list size '1'",
      "[1, 2][dyn(1.5)] -> error: unsupported index value 1.5 in list",
      "[1, 2][dyn(1u)] == 2 && [1, 2][dyn(1.0)] == 2 && [[1, 2]][0][1] == 2 -> true",
      "[1, 2][?5] == optional.none() && {'a': 1}['a'] == 1 && {1: 'a'}[dyn(1u)] == 'a' -> true"})
  void listIndexOutOfRangeAsCelGo(String expression, String expected) {
    check(expression, expected);
  }

  /**
   * Durations and timestamps with cel-go's range: a duration is Go's {@code time.Duration} (64 bits of nanoseconds,
   * parsed by {@code time.ParseDuration}), a timestamp lies in the years 1 to 9999 (cel-go's common/types/overflow.go).
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
      "duration('2562047h47m16.854775807s') == duration('9223372036.854775807s') -> true",
      "duration('-2562047h47m16.854775808s') < duration('0s') && duration('9223372036854775807ns') > duration('0s') -> true",
      "duration('2562048h') -> compile: invalid duration argument",
      "duration(dyn('2562048h')) -> error: type conversion error from 'string' to 'google.protobuf.Duration'",
      "duration(dyn('9223372036.854775808s')) -> error: type conversion error from 'string' to 'google.protobuf.Duration'",
      "duration('.5s') == duration('500ms') && duration('1.s') == duration('1s') && duration('1.5h') == duration('90m') -> true",
      "duration('0') == duration('0s') && duration('-0') == duration('0s') && duration('+1s') == duration('1s') -> true",
      "duration('1µs') == duration('1us') && duration('1μs') == duration('1000ns') && duration('-1.5h') == duration('-90m') -> true",
      "duration('1d') -> compile: invalid duration argument",
      "duration('1h-1m') -> compile: invalid duration argument",
      "duration(dyn('1')) -> error: type conversion error from 'string' to 'google.protobuf.Duration'",
      "duration('9223372036s') + duration('1s') -> error: duration overflow",
      "duration('-9223372036s') - duration('1s') -> error: duration overflow",
      "timestamp('2263-01-01T00:00:00Z') - timestamp('1970-01-01T00:00:00Z') -> error: duration overflow",
      "timestamp('2262-01-01T00:00:00Z') - timestamp('1970-01-01T00:00:00Z') == duration('2559624h') -> true",
      "timestamp('9999-12-31T23:59:59Z') + duration('1s') -> error: timestamp overflow",
      "duration('1s') + timestamp('9999-12-31T23:59:59Z') -> error: timestamp overflow",
      "timestamp('0001-01-01T00:00:00Z') - duration('1s') -> error: timestamp overflow",
      "timestamp(253402300800) -> error: timestamp overflow",
      "timestamp(-62135596801) -> error: timestamp overflow",
      // timestamp(string) is Go's time.Parse(time.RFC3339, s), then cel-go's range check
      "timestamp(dyn('2021-01-01t00:00:00z')) -> error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
      "timestamp(dyn('2021-01-01T00:00:00.Z')) -> error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
      "timestamp(dyn('2021-01-01T23:59:60Z')) -> error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
      "timestamp(dyn('2021-02-29T00:00:00Z')) -> error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
      "timestamp(dyn('2021-01-01T00:00:00+0100')) -> error: type conversion error from 'string' to 'google.protobuf.Timestamp'",
      "timestamp('2021-01-01T00:00:00.1234567891Z') == timestamp('2021-01-01T00:00:00.123456789Z') -> true",
      "timestamp('2021-01-01T00:00:00,5Z') == timestamp('2021-01-01T00:00:00.5Z') -> true",
      "timestamp('2021-01-01T00:00:00+23:59') == timestamp('2020-12-31T00:01:00Z') && timestamp('2021-01-01T1:00:00Z') == timestamp(1609462800) -> true",
      "timestamp('0001-01-01T00:00:00+01:00') -> compile: invalid timestamp argument",
      "timestamp(dyn('9999-12-31T23:59:59-01:00')) -> error: timestamp overflow",
      "timestamp(253402300799) == timestamp('9999-12-31T23:59:59Z') && timestamp(-62135596800) == timestamp('0001-01-01T00:00:00Z') -> true",
      "timestamp(1) - timestamp(0) == duration('1s') && timestamp(0) + duration('1s') == timestamp(1) && timestamp(1) - duration('1s') == timestamp(0) -> true"})
  void durationsAndTimestampsHaveCelGosRange(String expression, String expected) {
    check(expression, expected);
  }

  /**
   * cel-go's math, encoders and bindings extensions (ext/math.go, ext/encoders.go), which Kubernetes does not enable
   * and Kyverno does: the documented examples and cel-go's error texts.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
      "math.greatest(1, 2.5) == 2.5 && math.least(-1.5, 1u) == -1.5 && math.greatest([1, 2, 3]) == 3 && math.least([1.5, 0.5]) == 0.5 -> true",
      "math.greatest(1u, 2u) == 2u && math.greatest(-1.0, 1u) == 1u && math.least(5, 2, 3) == 2 -> true",
      "math.ceil(1.2) == 2.0 && math.floor(1.8) == 1.0 && math.round(1.5) == 2.0 && math.round(-1.5) == -2.0 && math.trunc(-1.7) == -1.0 -> true",
      "math.isInf(1.0 / 0.0) && math.isNaN(0.0 / 0.0) && math.isFinite(1.0) && !math.isFinite(1.0 / 0.0) -> true",
      "math.abs(-1) == 1 && math.abs(-1.5) == 1.5 && math.abs(1u) == 1u && math.sign(-5) == -1 && math.sign(0.0) == 0.0 && math.sign(3u) == 1u -> true",
      "math.bitAnd(3, 5) == 1 && math.bitOr(3, 5) == 7 && math.bitXor(3, 5) == 6 && math.bitNot(0) == -1 && math.bitNot(0u) == 18446744073709551615u -> true",
      "math.bitShiftLeft(1, 2) == 4 && math.bitShiftLeft(1u, 2) == 4u && math.bitShiftRight(1024, 2) == 256 && math.bitShiftLeft(1, 64) == 0 -> true",
      "math.sqrt(4) == 2.0 && math.sqrt(4.0) == 2.0 && math.sqrt(4u) == 2.0 && math.isNaN(math.sqrt(-1)) -> true",
      "math.abs(-9223372036854775808) -> error: integer overflow",
      "math.greatest([]) -> compile: math.greatest() invalid single argument value",
      "math.greatest('a') -> compile: math.greatest() invalid single argument value",
      "math.least(1, 'a') -> compile: math.least() simple literal arguments must be numeric",
      "math.greatest(dyn([])) -> error: math.@max(list) argument must not be empty",
      "math.least(dyn([])) -> error: math.@min(list) argument must not be empty",
      "math.bitShiftLeft(1, -2) -> error: math.bitShiftLeft() negative offset: -2",
      "math.bitShiftRight(1u, -3) -> error: math.bitShiftRight() negative offset: -3",
      "base64.encode(b'hello') == 'aGVsbG8=' && base64.decode('aGVsbG8=') == b'hello' && base64.decode('aGVsbG8') == b'hello' -> true",
      // base64.decode is Go's StdEncoding (line breaks ignored), then RawStdEncoding, whose error is reported
      "base64.decode('aGVs\\nbG8=\\n') == b'hello' && base64.decode('aGVsbG8\\r\\n') == b'hello' && base64.decode('') == b'' -> true",
      "base64.decode('YQ==') == b'a' && base64.decode('YQ') == b'a' && base64.decode('YR==') == b'a' -> true",
      "base64.decode('a') -> error: illegal base64 data at input byte 0",
      "base64.decode('aGVsbG8*') -> error: illegal base64 data at input byte 7",
      "base64.decode('aGk=aGk=') -> error: illegal base64 data at input byte 3",
      "base64.decode('YQ=') -> error: illegal base64 data at input byte 2",
      "cel.bind(a, 1, cel.bind(b, a + 1, a + b)) == 3 && cel.bind(x, [1, 2], x.map(y, y * 2)) == [2, 4] -> true"})
  void mathEncodersAndBindingsAsCelGo(String expression, String expected) {
    CelExpression.Compiler kyverno = CelExpression.compiler(Set.of(), 0, KubernetesVersion.LATEST,
        Set.of(CelExtension.MATH, CelExtension.ENCODERS, CelExtension.BINDINGS));
    CelExpression compiled;
    try {
      compiled = kyverno.compile(expression);
    } catch (PolicyCompileException e) {
      assertThat(expected).as("compile error of %s: %s", expression, e.getMessage()).startsWith("compile:");
      assertThat(e.problems().get(0).message()).contains(expected.substring("compile:".length()).trim());
      return;
    }
    try {
      assertThat(compiled.evaluate(Map.of())).as(expression).isEqualTo(true);
      assertThat(expected).isEqualTo("true");
    } catch (PolicyEvaluationException e) {
      assertThat(e.getMessage()).as(expression).isEqualTo(expected.substring("error:".length()).trim());
    }
  }

  /** cel-go's sortBy: list.@sortByAssociatedKeys(list.map(e, key)), typed list(T) (Kubernetes 1.34+). */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiterString = " -> ", quoteCharacter = '`', value = {
      "[{'n': 2}, {'n': 1}].sortBy(e, e.n) == [{'n': 1}, {'n': 2}] -> true",
      "['bb', 'a'].sortBy(s, size(s)) == ['a', 'bb'] -> true",
      "[3, 1, 2].sortBy(e, -e) == [3, 2, 1] && [].sortBy(e, e) == [] -> true",
      "[{'n': 'b', 'v': '1'}, {'n': 'a', 'v': '2'}].sortBy(x, x.n).map(x, x.v) == ['2', '1'] -> true",
      "dyn([{'k': [1]}, {'k': [2]}]).sortBy(e, e.k) -> error: list elements must be comparable",
      "[dyn({'k': 1}), dyn({'k': 'a'})].sortBy(e, e.k) -> error: list elements must have the same type",
      "[1].sortBy(e.f, e) -> compile: sortBy(var, ...) variable name must be a simple identifier"})
  void sortByOfMapsAsCelGo(String expression, String expected) {
    check(expression, expected);
  }
}
