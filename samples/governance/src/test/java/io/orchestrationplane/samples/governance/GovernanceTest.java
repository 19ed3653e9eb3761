package io.orchestrationplane.samples.governance;

import static org.assertj.core.api.Assertions.assertThat;

import io.orchestrationplane.core.audit.AuditVerification;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GovernanceTest {
  @TempDir
  Path dir;

  @Test
  void theDemoRefusesTwoChangesShipsAnApprovedOneAndCatchesTheEditedAuditRecord() throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Path file = dir.resolve("audit.jsonl");
    AuditVerification found = Governance.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), file);
    String out = bytes.toString(StandardCharsets.UTF_8);

    assertThat(out)
        .as("RBAC: the intern's deny line wins over the team's allow")
        .contains("refused: ivan [my-org:interns, my-org:shop-team] may not sync application shop.shop, environment "
            + "prod, in project shop (applications, sync, shop/shop/shop/prod): denied by policy.csv line 3 (p, "
            + "role:intern, applications, sync, */*/prod, deny), through my-org:interns → role:intern; nothing was "
            + "written")
        .as("the project fence: a raw ClusterRoleBinding")
        .contains("refused: application shop.shop reaches outside project shop (2 violations); nothing was written")
        .contains("ClusterRoleBinding shop-debug (cluster prod), component debug-access: cluster-scoped kind "
            + "rbac.authorization.k8s.io/ClusterRoleBinding is not allowed in project shop")
        .contains("objects on staging: 0, on prod: 0")
        .as("the approval")
        .contains("dana approves her own release: refused (dana is the author of release 1 of shop.shop and may "
            + "not approve it)")
        .contains("SUCCEEDED  approve-prod (approval): approved by bob")
        .contains("SUCCEEDED  deploy-prod (apply): release 1 applied to prod")
        .contains("SUCCEEDED: release 1 delivered")
        .as("the audit log, intact and then edited")
        .contains("#0 refuse  shop.shop         by ivan")
        .contains("#1 refuse  shop.shop         by dana, project shop")
        .contains("#5 execute shop.shop-prod    by dana, prod: 2 applied")
        .contains("audit.verify(): Intact[records=6, checkpoints=0")
        .contains("an auditor with the file and the public key: Intact[records=6, checkpoints=1")
        .contains("someone edits line 6 of the file")
        .contains("AuditLog.verify(file, publicKey): audit log broken at line 6 (record 5): its content does not "
            + "match its hash: the record was edited")
        .contains("reopening the log to continue it: refused (")
        .doesNotContain("Exception");
    assertThat(found).isEqualTo(new AuditVerification.Broken(6, 5,
        "its content does not match its hash: the record was edited"));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(7);
    assertThat(lines.get(5)).contains("\"action\":\"execute\"", "\"application\":\"shop.shop-prod\"",
        "\"name\":\"bob\"");
    assertThat(lines.get(6)).startsWith("{\"type\":\"checkpoint\"");
  }
}
