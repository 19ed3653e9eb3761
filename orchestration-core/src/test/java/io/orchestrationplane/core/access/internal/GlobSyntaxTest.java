package io.orchestrationplane.core.access.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The glob syntax of gobwas/glob's lexer (syntax/lexer.go), which Argo CD matches RBAC fields and
 * project destinations with, compiled without separators.
 */
class GlobSyntaxTest {

  @ParameterizedTest(name = "{0} on {1}: {2}")
  @CsvSource(delimiter = '|', textBlock = """
      shop/*            | shop/a/b/c | true
      shop/**           | shop/a/b   | true
      team-?/x          | team-a/x   | true
      team-?/x          | team-ab/x  | false
      [a-c]x            | bx         | true
      [a-c]x            | dx         | false
      [!a-c]x           | dx         | true
      [!a-c]x           | ax         | false
      [abc]x            | cx         | true
      [!abc]x           | cx         | false
      [^a]x             | ^x         | true
      [^a]x             | bx         | false
      [ab-c]x           | -x         | true
      [ab-c]x           | bx         | true
      [\\]]x            | ]x         | true
      {shop,cart}/*     | cart/a     | true
      {shop,cart}/*     | bill/a     | false
      {a,{b,c}}z        | cz         | true
      a}b               | a}b        | true
      a]b               | a]b        | true
      a\\*b             | a*b        | true
      a\\*b             | axb        | false
      """)
  void matchesAsGobwas(String pattern, String text, boolean matches) {
    assertThat(Glob.compile(pattern).matches(text)).isEqualTo(matches);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
      shop/[          | '[' at column 6 is not closed
      [a-z0-9]        | holds one range ([a-z]) or a list of characters ([abc])
      [a-             | '[' at column 1 is not closed
      []              | empty class at column 1
      [!]x]           | empty class at column 1
      [z-a]           | the range z-a at column 1 is empty
      {a,b            | '{' is not closed
      ab\\            | ends with an escape character
      """)
  void refusesWhatGobwasRefuses(String pattern, String message) {
    assertThatThrownBy(() -> Glob.compile(pattern)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(message);
  }
}
