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
        .as("RBAC: the intern role's deny line wins over the shop-deployer allow it inherits")
        .contains("refused: ivan [my-org:interns] may not sync application shop.shop, environment "
            + "prod, in project shop (applications, sync, shop/shop/shop/prod): denied by policy.csv line 3 (p, "
            + "role:intern, applications, sync, */*/prod, deny), through my-org:interns → role:intern; nothing was "
            + "written")
        .as("the project fence: a raw ClusterRoleBinding")
        .contains("refused: application shop.shop reaches outside project shop (2 violations); nothing was written")
        .contains("ClusterRoleBinding shop-debug (cluster prod), component debug-access: cluster-scoped kind "
            + "rbac.authorization.k8s.io/ClusterRoleBinding is not allowed in project shop")
        .contains("objects on staging: 0, on prod: 0")
        .as("the approval: only release managers may approve prod, and never the author")
        .contains("refused: ivan [my-org:interns] may not approve application shop.shop-prod, "
            + "environment prod, in project shop (applications, approve, shop/shop/shop-prod/prod): no policy line "
            + "allows it (nor the default role role:readonly); nothing was written")
        .contains("dana approves her own release: refused (dana is the author of release 1 of shop.shop and may "
            + "not approve it)")
        .contains("SUCCEEDED  approve-prod (approval): approved by bob")
        .contains("SUCCEEDED  deploy-prod (apply): release 1 applied to prod")
        .contains("SUCCEEDED: release 1 delivered")
        .as("the audit log, intact and then edited")
        .contains("#0 refuse  shop.shop         by ivan")
        .contains("#1 refuse  shop.shop         by dana, project shop")
        .contains("#4 refuse  shop.shop-prod    by ivan, applications, approve, shop/shop/shop-prod/prod")
        .contains("#5 approve shop.shop         by bob, step approve-prod: staging looks good")
        .contains("#7 execute shop.shop-prod    by dana, prod: 2 applied")
        .contains("audit.verify(): Intact[records=8, checkpoints=0")
        .contains("an auditor with the file and the public key: Intact[records=8, checkpoints=1")
        .contains("someone edits line 8 of the file")
        .contains("AuditLog.verify(file, publicKey): audit log broken at line 8 (record 7): its content does not "
            + "match its hash: the record was edited")
        .contains("reopening the log to continue it: refused (")
        .doesNotContain("Exception");
    assertThat(found).isEqualTo(new AuditVerification.Broken(8, 7,
        "its content does not match its hash: the record was edited"));
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    assertThat(lines).hasSize(9);
    assertThat(lines.get(5)).contains("\"action\":\"approve\"", "\"revision\":\"hmac-sha256:", "\"name\":\"bob\"");
    assertThat(lines.get(7)).contains("\"action\":\"execute\"", "\"application\":\"shop.shop-prod\"",
        "\"name\":\"bob\"");
    assertThat(lines.get(8)).startsWith("{\"type\":\"checkpoint\"");
  }
}
