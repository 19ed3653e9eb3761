package io.orchestrationplane.core.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Keys that every backend can store as they are: Kubernetes names, short SQL keys, file names. */
class StateKeyTest {
  @Test
  void aKeyShowsAsNamespaceSlashNameAndOrdersByNamespaceThenName() {
    List<StateKey> keys = new ArrayList<>(List.of(StateKey.of("workflows", "a"), StateKey.of("revisions", "shop.2"),
        StateKey.of("revisions", "shop-1"), StateKey.of("revisions", "shop.10")));
    keys.sort(null);

    assertThat(keys).extracting(StateKey::toString)
        .containsExactly("revisions/shop-1", "revisions/shop.10", "revisions/shop.2", "workflows/a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "0", "shop", "shop.checkout", "default.shop.0000000042", "a-b.c-d", "x1.2y"})
  void namesLikeKubernetesObjectNamesAreValid(String name) {
    assertThatCode(() -> StateKey.of("revisions", name)).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Shop", "shop_1", "-shop", "shop-", ".shop", "shop.", "a..b", "a.-b", "a/b", "a b",
      "schön", "..", "a\nb"})
  void otherNamesAreRefusedSayingWhatIsAllowed(String name) {
    assertThatThrownBy(() -> StateKey.of("revisions", name)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("state key name '")
        .hasMessageContaining("in namespace 'revisions' is not valid: use 1-189 lower-case letters, digits, '-' and "
            + "'.', in dot-separated parts that start and end with a letter or digit (a Kubernetes object name)");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "Workflows", "work.flows", "work_flows", "-workflows", "workflows-", "a/b", ".."})
  void namespacesMustBeDnsLabels(String namespace) {
    assertThatThrownBy(() -> StateKey.of(namespace, "shop")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state key namespace '" + namespace + "' is not valid: use 1-63 lower-case letters, digits and "
            + "'-', starting and ending with a letter or digit (a Kubernetes label value)");
  }

  @Test
  void lengthsStopWhereANamespaceDotNameStopsBeingAKubernetesName() {
    String namespace = "n".repeat(StateKey.MAX_NAMESPACE_LENGTH);
    String name = "a".repeat(StateKey.MAX_NAME_LENGTH);
    StateKey longest = StateKey.of(namespace, name);
    assertThat((longest.namespace() + "." + longest.name()).length()).isEqualTo(253);

    assertThatThrownBy(() -> StateKey.of(namespace + "n", "shop")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("is not valid: use 1-63").hasMessageEndingWith("; it has 64 characters");
    assertThatThrownBy(() -> StateKey.of("revisions", name + "a")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("state key name '" + "a".repeat(61) + "...'") // a long name is shown shortened
        .hasMessageEndingWith("; it has 190 characters");
  }

  @Test
  void missingPartsAreNullPointerErrorsNamingThePart() {
    assertThatThrownBy(() -> StateKey.of(null, "a")).isInstanceOf(NullPointerException.class).hasMessage("namespace");
    assertThatThrownBy(() -> StateKey.of("a", null)).isInstanceOf(NullPointerException.class).hasMessage("name");
  }

  @Test
  void aPrefixMayEndInASeparatorButHoldsOnlyNameCharacters() {
    assertThatCode(() -> {
      StateKey.checkNamePrefix("");
      StateKey.checkNamePrefix("default.shop.");
      StateKey.checkNamePrefix("shop-");
    }).doesNotThrowAnyException();
    assertThatThrownBy(() -> StateKey.checkNamePrefix("Shop")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("state key name prefix 'Shop' is not valid: use at most 189 lower-case letters, digits, '-' and '.'");
    assertThatThrownBy(() -> StateKey.checkNamePrefix("a".repeat(190))).isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith("; it has 190 characters");
  }

  @Test
  void aKeySurvivesJavaSerializationAndIsCheckedAgainOnTheWayIn() throws Exception {
    StateKey key = StateKey.of("workflows", "shop");
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(bytes)) {
      out.writeObject(key);
    }
    try (java.io.ObjectInputStream in = new java.io.ObjectInputStream(
        new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
      assertThat(in.readObject()).isEqualTo(key);
    }
  }

  @Test
  void theWrittenOutChecksAgreeWithTheRegularExpressionsTheyReplace() {
    java.util.regex.Pattern label = java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    java.util.regex.Pattern subdomain =
        java.util.regex.Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    java.util.regex.Pattern prefix = java.util.regex.Pattern.compile("[-a-z0-9.]*");
    String alphabet = "az09-.A_é/ ";
    List<String> strings = new ArrayList<>(List.of(""));
    for (int length = 1, from = 0; length <= 4; length++) { // every string of up to 4 characters
      int to = strings.size();
      for (int i = from; i < to; i++) {
        for (char c : alphabet.toCharArray()) {
          strings.add(strings.get(i) + c);
        }
      }
      from = to;
    }
    java.util.Random random = new java.util.Random(3);
    for (int i = 0; i < 20_000; i++) {
      StringBuilder sb = new StringBuilder();
      for (int k = random.nextInt(30); k > 0; k--) {
        sb.append(random.nextInt(10) == 0 ? alphabet.charAt(random.nextInt(alphabet.length())) : "ab0-.".charAt(random.nextInt(5)));
      }
      strings.add(sb.toString());
    }
    for (String s : strings) {
      assertThat(StateKey.label(s, 0, s.length())).as("label '%s'", s).isEqualTo(label.matcher(s).matches());
      assertThat(StateKey.subdomain(s)).as("subdomain '%s'", s).isEqualTo(subdomain.matcher(s).matches());
      assertThat(StateKey.prefix(s)).as("prefix '%s'", s).isEqualTo(prefix.matcher(s).matches());
    }
  }
}
