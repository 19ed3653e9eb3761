package io.orchestrationplane.core.observe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.orchestrationplane.core.observe.PlaneRecord.Approval;
import io.orchestrationplane.core.observe.PlaneRecord.Approval.Decision;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** An approval's comment is a user's free text: cleaned of control characters and capped. */
class ApprovalRecordTest {
  static final Instant T = Instant.parse("2026-03-02T09:00:00Z");

  static Approval approval(String comment) {
    return new Approval(T, Subject.of("rita"), "shop.shop", "approve-prod", "", "sha256:ab", Decision.APPROVED, comment);
  }

  @Test
  void controlCharactersAreStrippedAndLineBreaksBecomeOneSpace() {
    assertThat(approval("  looks\r\n\tgood\u0000\u001b[2J\u202e!  ").comment()).isEqualTo("looks good[2J!");
    assertThat(approval("line\u2028separated").comment()).isEqualTo("line separated");
    assertThat(approval("").comment()).isEmpty();
  }

  @Test
  void aLongCommentIsCutWithoutSplittingACharacter() {
    String emoji = "\uD83D\uDE80"; // one code point, two chars
    String c = approval("a" + emoji.repeat(Approval.MAX_COMMENT)).comment();
    assertThat(c.length()).isLessThanOrEqualTo(Approval.MAX_COMMENT);
    assertThat(c).startsWith("a" + emoji).doesNotEndWith("\uD83D");
    assertThat(approval("x".repeat(5000)).comment()).hasSize(Approval.MAX_COMMENT);
  }

  @Test
  void anApprovalNamesItsStepAndAnOverrideItsEnvironment() {
    assertThatThrownBy(() -> new Approval(T, Subject.of("rita"), "shop.shop", "", "", "sha256:ab", Decision.REJECTED, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("step");
    assertThatThrownBy(() -> new Approval(T, Subject.of("sam"), "shop.shop", "", "", "sha256:ab", Decision.OVERRIDE, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("environment");
    assertThatThrownBy(() -> new Approval(T, Subject.of("sam"), "shop.shop", "x", "", "", Decision.APPROVED, ""))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("digest");
  }
}
