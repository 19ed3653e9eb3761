package io.orchestrationplane.core.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** A random redactor draws its key once, at the first digest, and keeps it. */
class RedactorKeyTest {
  @Test
  void aRandomKeyIsDrawnOnceAndDiffersBetweenRedactors() {
    Redactor a = Redactor.random();
    Redactor b = Redactor.random();
    String first = a.digest("s3cr3t-value");
    assertThat(a.digest("s3cr3t-value")).isEqualTo(first).startsWith("hmac:");
    assertThat(b.digest("s3cr3t-value")).isNotEqualTo(first);
    assertThat(a).isEqualTo(a).isNotEqualTo(b);
  }

  @Test
  void twoRandomRedactorsDifferBeforeEitherDigests() {
    Redactor a = Redactor.random();
    Redactor b = Redactor.random();
    assertThat(a).isNotEqualTo(b);
    assertThat(a.hashCode()).isEqualTo(a.hashCode());
  }

  @Test
  void aGivenKeyIsCheckedAndSharedDigestsMatch() {
    byte[] key = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    assertThat(Redactor.withKey(key).digest("v")).isEqualTo(Redactor.withKey(key).digest("v"));
    assertThat(Redactor.withKey(key)).isEqualTo(Redactor.withKey(key.clone()));
    assertThatThrownBy(() -> Redactor.withKey(new byte[8])).hasMessageContaining("at least 16 bytes");
    assertThatThrownBy(() -> Redactor.withKey(null)).isInstanceOf(NullPointerException.class);
  }
}
