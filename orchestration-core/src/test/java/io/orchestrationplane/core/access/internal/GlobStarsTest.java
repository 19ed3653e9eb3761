package io.orchestrationplane.core.access.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Patterns whose only special character is {@code *} are matched without a regular expression,
 * exactly as the regular expression of the glob ({@code .*} for each star, across {@code /}) would.
 */
class GlobStarsTest {
  /** The glob as a regular expression: its literals quoted, each star {@code .*}. */
  static boolean byRegex(String pattern, String text) {
    String re = String.join(".*", java.util.Arrays.stream(pattern.split("\\*", -1)).map(Pattern::quote).toList());
    return Pattern.compile(re, Pattern.DOTALL).matcher(text).matches();
  }

  @Test
  void policyShapedPatterns() {
    Glob prod = Glob.of("tenants/*/*/prod");
    assertThat(prod.matches("tenants/tenant-3/app-3/prod")).isTrue();
    assertThat(prod.matches("tenants/a/b/c/prod")).isTrue(); // a star crosses '/'
    assertThat(prod.matches("tenants//prod")).isFalse(); // the two slashes between the stars are both needed
    assertThat(prod.matches("tenants///prod")).isTrue();
    assertThat(prod.matches("tenants/a/b/production")).isFalse();
    assertThat(prod.matches("tenants/a/prod")).isFalse();
    assertThat(Glob.of("*-prod").matches("shop-prod")).isTrue();
    assertThat(Glob.of("*-prod").matches("shop-prod2")).isFalse();
    assertThat(Glob.of("ab*ba").matches("aba")).isFalse(); // prefix and suffix may not overlap
    assertThat(Glob.of("ab*ba").matches("abba")).isTrue();
    assertThat(Glob.of("*").matches("")).isTrue();
    assertThat(Glob.of("a*b*").matches("ab")).isTrue();
    assertThat(Glob.of("tenants/*/*/prod").isLiteral()).isFalse();
  }

  @Test
  void randomPatternsMatchAsTheirRegularExpression() {
    Random random = new Random(17);
    String alphabet = "ab/";
    for (int round = 0; round < 20_000; round++) {
      StringBuilder p = new StringBuilder();
      for (int i = 0, n = random.nextInt(7); i < n; i++) {
        p.append(random.nextInt(3) == 0 ? '*' : alphabet.charAt(random.nextInt(alphabet.length())));
      }
      if (p.indexOf("*") < 0) {
        p.insert(random.nextInt(p.length() + 1), '*');
      }
      StringBuilder t = new StringBuilder();
      for (int i = 0, n = random.nextInt(8); i < n; i++) {
        t.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String pattern = p.toString();
      String text = t.toString();
      assertThat(Glob.compile(pattern).matches(text)).as("%s on %s", pattern, text)
          .isEqualTo(byRegex(pattern, text));
    }
  }
}
