package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.audit.AuditEntry;
import io.orchestrationplane.core.audit.AuditLog;
import io.orchestrationplane.core.audit.AuditRecord;
import io.orchestrationplane.core.audit.AuditVerification;
import io.orchestrationplane.core.audit.Checkpoint;
import io.orchestrationplane.core.resource.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code orchestrate audit verify FILE --public-key KEY}: checks a JSON Lines audit file the way
 * {@code AuditLog.verify(sink, publicKey)} does (hash chain, Merkle roots of checkpoints, Ed25519
 * signatures), reading it without changing it. Exit 0 when intact, 1 when not (naming the first
 * bad line and why), 4 when the file or the key cannot be read.
 */
@Command(name = "verify", description = "Verify a JSON Lines audit file (hash chain, checkpoint roots, Ed25519 signatures) "
    + "without changing it, optionally against a checkpoint kept earlier. Exit 0 intact, 1 not intact, 4 invalid input.")
final class AuditVerifyCommand extends BaseCommand {
  static final String RULE = Failures.TOOL_RULE_PREFIX + "audit-verify";

  @ParentCommand
  AuditCommand audit;

  @Parameters(paramLabel = "FILE", description = "The audit file (AuditSinks.jsonLines).")
  Path file;

  @Option(names = "--public-key", required = true, paramLabel = "KEY",
      description = "The Ed25519 public key that signed the checkpoints: X.509 SubjectPublicKeyInfo as PEM "
          + "(-----BEGIN PUBLIC KEY-----, as `openssl pkey -pubout` writes it) or DER.")
  Path publicKey;

  @Option(names = "--require-signed",
      description = "Also fail (exit 1) unless every record is covered by a signed checkpoint: for a closed log, "
          + "whose close() appends one. Records after the last checkpoint are chained but not signed.")
  boolean requireSigned;

  @Option(names = "--checkpoint", paramLabel = "FILE",
      description = "A checkpoint kept from this log earlier (its JSON line, as the file holds it): also check that the file "
          + "still holds the records it signed, unchanged; catches records cut off the end.")
  @Nullable Path checkpoint;

  @Override
  Io io() {
    return audit.root.io;
  }

  @Override
  ExitCode execute() {
    PublicKey key = AuditKeys.readPublicKey(publicKey);
    Checkpoint kept = checkpoint == null ? null : keptCheckpoint(checkpoint, key);
    AuditFile audit = AuditFile.read(file);
    AuditVerification result = AuditLog.verify(audit, key);
    if (result instanceof AuditVerification.Broken broken) {
      return broken(audit, broken.line(), broken.reason(), entry(audit.line(broken.line())), true);
    }
    AuditVerification.Intact intact = (AuditVerification.Intact) result;
    if (kept != null) {
      Map.Entry<Long, Checkpoint> same = audit.checkpoints().entrySet().stream()
          .filter(e -> e.getValue().size() == kept.size()).findFirst().orElse(null);
      if (same == null) {
        long end = audit.lineCount() + 1;
        return broken(audit, end, intact.records() < kept.size()
            ? "records at the end were deleted: the kept checkpoint signs " + records(kept.size()) + ", the file holds "
                + intact.records()
            : "the file holds no checkpoint of " + records(kept.size()) + ": it does not extend the kept checkpoint", null,
            true);
      }
      if (!same.getValue().root().equals(kept.root())) {
        return broken(audit, same.getKey(), "its root differs from the kept checkpoint's of the same size: the first "
            + records(kept.size()) + " were rewritten and signed again", entry(audit.line(same.getKey())), false);
      }
    }
    return intact(audit, intact, kept);
  }

  /** The checkpoint the auditor kept: one JSON line, signed by the key; invalid input otherwise. */
  private static Checkpoint keptCheckpoint(Path path, PublicKey key) {
    String shown = Paths.display(path);
    if (!Files.isRegularFile(path)) {
      throw CliException.invalid(shown + (Files.exists(path) ? ": not a regular file" : ": no such file") + " (--checkpoint)");
    }
    String text;
    try {
      text = Files.readString(path, StandardCharsets.UTF_8).strip();
    } catch (IOException e) {
      throw CliException.invalid(shown + ": cannot be read (--checkpoint): " + e.getMessage());
    }
    AuditEntry entry;
    try {
      entry = AuditEntry.parse(text);
    } catch (RuntimeException e) {
      throw CliException.invalid(shown + ": not an audit checkpoint (--checkpoint): " + e.getMessage());
    }
    if (!(entry instanceof Checkpoint c)) {
      throw CliException.invalid(shown + ": holds an audit record, not a checkpoint (--checkpoint)");
    }
    if (!c.verify(key)) {
      throw CliException.invalid(shown + ": the kept checkpoint's signature does not verify with the key given (--checkpoint)");
    }
    return c;
  }

  private ExitCode intact(AuditFile audit, AuditVerification.Intact intact, @Nullable Checkpoint kept) {
    Checkpoint last = audit.lastCheckpoint();
    long signed = last == null ? 0 : last.size();
    long unsigned = intact.records() - signed;
    boolean fail = requireSigned && unsigned > 0;
    String shown = Paths.display(audit.path());
    switch (format()) {
      case JSON -> {
        ObjectNode root = Json.object();
        root.put("file", shown);
        root.put("intact", true);
        root.put("records", intact.records());
        root.put("checkpoints", intact.checkpoints());
        root.put("signedRecords", signed);
        root.put("unsignedRecords", unsigned);
        if (last != null) {
          ObjectNode cp = root.putObject("lastCheckpoint");
          cp.put("size", last.size());
          cp.put("root", last.root());
          cp.put("time", last.time().toString());
        }
        root.put("head", intact.head());
        if (kept != null) {
          ObjectNode cp = root.putObject("extendsCheckpoint");
          cp.put("size", kept.size());
          cp.put("root", kept.root());
          cp.put("time", kept.time().toString());
        }
        root.put("tornBytes", audit.tornBytes());
        root.put("requireSigned", requireSigned);
        print(root);
      }
      case SARIF -> {
        if (fail) {
          long line = audit.recordLine(signed);
          String field = entry(audit.line(line));
          sarif(List.of(new Finding(RULE, Finding.ERROR, unsignedText(unsigned, last != null) + " (--require-signed)", audit.path(),
              (int) line, 0, field == null ? "" : field)));
        } else {
          sarif(List.of());
        }
      }
      default -> {
        StringBuilder sb = new StringBuilder(shown).append(": intact\n");
        sb.append("  ").append(records(intact.records())).append(", ")
            .append(intact.checkpoints()).append(intact.checkpoints() == 1 ? " checkpoint" : " checkpoints");
        if (intact.checkpoints() > 0) {
          sb.append(", every signature verified with ").append(Paths.display(publicKey));
        }
        sb.append('\n');
        if (last != null) {
          sb.append("  last checkpoint: signs the first ").append(records(last.size())).append(", at ").append(last.time())
              .append(", root ").append(last.root()).append('\n');
        }
        if (signed < intact.records()) {
          sb.append("  from line ").append(audit.recordLine(signed)).append(": ").append(unsignedText(unsigned, last != null))
              .append(" (anyone who can write the file could rewrite them)\n");
        }
        sb.append("  head ").append(intact.head()).append('\n');
        if (kept != null) {
          sb.append("  extends the kept checkpoint: its ").append(records(kept.size())).append(" (").append(kept.time())
              .append(") are unchanged\n");
        }
        torn(sb, audit);
        if (fail) {
          sb.append("  --require-signed: fails, ").append(records(unsigned)).append(" not signed\n");
        }
        print(sb.toString());
      }
    }
    return fail ? ExitCode.FAILURE : ExitCode.SUCCESS;
  }

  /** Not intact at {@code line}; {@code prefixVerified}: the lines before it are known good. */
  private ExitCode broken(AuditFile audit, long line, String reason, @Nullable String entry, boolean prefixVerified) {
    String shown = Paths.display(audit.path());
    Finding finding = new Finding(RULE, Finding.ERROR, "not intact: " + reason, audit.path(), (int) line, 0,
        entry == null ? "" : entry);
    switch (format()) {
      case JSON -> {
        ObjectNode root = Json.object();
        root.put("file", shown);
        root.put("intact", false);
        root.put("line", line);
        root.put("entry", entry);
        root.put("reason", reason);
        root.put("tornBytes", audit.tornBytes());
        print(root);
      }
      case SARIF -> sarif(List.of(finding));
      default -> {
        StringBuilder sb = new StringBuilder(shown).append(": not intact\n");
        sb.append("  ").append(shown).append(':').append(line).append(": ");
        if (entry != null) {
          sb.append(entry).append(": ");
        }
        sb.append(reason).append('\n');
        if (prefixVerified && line > 1) {
          sb.append("  ").append(line == 2 ? "line 1" : "lines 1-" + (line - 1)).append(" before it verified\n");
        }
        torn(sb, audit);
        print(sb.toString());
      }
    }
    return ExitCode.FAILURE;
  }

  /** What the records after the last checkpoint are. */
  static String unsignedText(long unsigned, boolean anyCheckpoint) {
    return (anyCheckpoint ? "" : "no checkpoint: ") + (unsigned == 1 ? "1 record" : unsigned + " records")
        + (anyCheckpoint ? " after the last checkpoint" : "") + (unsigned == 1 ? " is" : " are") + " chained, not signed";
  }

  /** {@code 1 record}, {@code 4 records}. */
  static String records(long n) {
    return n + (n == 1 ? " record" : " records");
  }

  private static void torn(StringBuilder sb, AuditFile audit) {
    if (audit.tornBytes() > 0) {
      sb.append("  the last ").append(audit.tornBytes()).append(" bytes have no line break: a write torn by a crash, ")
          .append("never acknowledged, not verified (the log cuts them off when it next opens the file)\n");
    }
  }

  /** What the entry on a bad line claims to be, when it can be read at all. */
  static @Nullable String entry(@Nullable String line) {
    if (line == null) {
      return null;
    }
    try {
      AuditEntry e = AuditEntry.parse(line);
      if (e instanceof AuditRecord r) {
        return "record " + r.sequence() + " (" + r.action().jsonName()
            + (r.application().isEmpty() ? "" : " " + r.application()) + " by " + r.subject().name() + " at " + r.time() + ")";
      }
      Checkpoint c = (Checkpoint) e;
      return "checkpoint of " + records(c.size()) + " (" + c.time() + ")";
    } catch (RuntimeException notAnEntry) {
      return null;
    }
  }
}
