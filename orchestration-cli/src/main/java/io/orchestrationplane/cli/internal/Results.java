package io.orchestrationplane.cli.internal;

import io.orchestrationplane.cli.ExitCode;
import io.orchestrationplane.core.apply.ExecutionResult;
import io.orchestrationplane.core.apply.Outcome;
import io.orchestrationplane.core.apply.WriteResult;
import io.orchestrationplane.core.cluster.ClusterException;
import io.orchestrationplane.core.release.Revision;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.status.ApplicationStatus;
import io.orchestrationplane.core.status.Condition;
import io.orchestrationplane.core.status.ResourceStatus;
import java.util.Locale;
import java.util.Optional;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** How executions and statuses are written, and which exit code they mean. */
final class Results {
  private Results() {}

  /** 0 when no write failed; 5 when every failed write failed because its cluster was unreachable; else 1. */
  static ExitCode exitCode(ExecutionResult r) {
    if (r.succeeded()) {
      return Failures.anyUnreachable(r.plan().problems()) ? ExitCode.UNREACHABLE : ExitCode.SUCCESS;
    }
    boolean allUnreachable = r.failures().stream().allMatch(o -> o.write() instanceof WriteResult.Failed f
        && f.reason().filter(x -> x == ClusterException.Reason.UNAVAILABLE || x == ClusterException.Reason.TIMEOUT).isPresent());
    return allUnreachable ? ExitCode.UNREACHABLE : ExitCode.FAILURE;
  }

  static String text(String verb, String application, ExecutionResult r, Optional<Revision> newest, boolean recorded) {
    StringBuilder sb = new StringBuilder(verb).append(' ').append(application).append(": ").append(r).append('\n');
    for (Outcome o : r.outcomes()) {
      if (o.status() == Outcome.Status.UNCHANGED) {
        continue;
      }
      sb.append("  ").append(o.change().key().display()).append("  [cluster ").append(o.cluster()).append("]: ")
          .append(o.write().describe()).append('\n');
    }
    for (Outcome o : r.inventory()) {
      if (o.isFailure()) {
        sb.append("  inventory ").append(o.change().key().display()).append("  [cluster ").append(o.cluster())
            .append("]: ").append(o.write().describe()).append('\n');
      }
    }
    r.plan().problems().forEach(p -> sb.append("  ! ").append(p).append('\n'));
    newest.ifPresent(rev -> sb.append("revision ").append(rev.number()).append(' ').append(rev.digest())
        .append(recorded ? "\n" : " (no new revision: the same desired state)\n"));
    return sb.toString();
  }

  static ObjectNode json(String application, ExecutionResult r, Optional<Revision> newest, boolean recorded) {
    ObjectNode root = Json.object();
    root.put("application", application);
    root.put("succeeded", r.succeeded());
    root.put("writes", r.writes());
    root.put("waiting", r.waiting().size());
    ArrayNode outcomes = root.putArray("outcomes");
    for (Outcome o : r.outcomes()) {
      ObjectNode n = outcomes.addObject();
      n.put("cluster", o.cluster());
      n.put("object", o.change().key().display());
      n.put("status", o.status().name().toLowerCase(Locale.ROOT));
      n.put("message", o.message());
    }
    ArrayNode problems = root.putArray("problems");
    r.plan().problems().forEach(p -> problems.add(p.toString()));
    newest.ifPresentOrElse(rev -> {
      ObjectNode n = root.putObject("revision");
      n.put("number", rev.number());
      n.put("digest", rev.digest());
      n.put("recorded", recorded);
    }, () -> root.putNull("revision"));
    return root;
  }

  static ObjectNode json(ApplicationStatus s) {
    ObjectNode root = Json.object();
    root.put("application", s.application());
    root.put("phase", s.phase().name());
    root.put("ready", s.isReady());
    root.put("inSync", s.isInSync());
    root.put("health", s.health().health().toString());
    root.put("healthMessage", s.health().message());
    ArrayNode conditions = root.putArray("conditions");
    for (Condition c : s.conditions()) {
      ObjectNode n = conditions.addObject();
      n.put("type", c.type());
      n.put("status", c.state().toString());
      n.put("reason", c.reason());
      n.put("message", c.message());
      n.put("lastTransitionTime", c.lastTransitionTime().toString());
    }
    ArrayNode resources = root.putArray("resources");
    for (ResourceStatus r : s.resources()) {
      ObjectNode n = resources.addObject();
      n.put("cluster", r.key().cluster());
      n.put("object", r.key().display());
      n.put("environment", r.environment());
      n.put("state", r.state());
      n.put("health", r.health().health().toString());
      n.put("healthMessage", r.health().message());
    }
    ArrayNode problems = root.putArray("problems");
    s.problems().forEach(p -> problems.add(p.toString()));
    ArrayNode notices = root.putArray("notices");
    s.notices().forEach(p -> notices.add(p.toString()));
    root.put("lastError", s.lastError());
    return root;
  }
}
