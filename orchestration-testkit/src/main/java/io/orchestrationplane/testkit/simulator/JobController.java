package io.orchestrationplane.testkit.simulator;

import static io.orchestrationplane.testkit.simulator.Shapes.number;
import static io.orchestrationplane.testkit.simulator.Shapes.text;
import static io.orchestrationplane.testkit.simulator.Shapes.time;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Json;
import io.orchestrationplane.core.resource.Resource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plays kube-controller-manager's Job controller: up to {@code parallelism} active pods (labelled
 * {@code job-name} and {@code controller-uid}, both also under {@code batch.kubernetes.io/})
 * until {@code completions} succeeded, then Complete / CompletionsReached; Failed /
 * BackoffLimitExceeded once more pods failed than {@code backoffLimit}; suspending and resuming;
 * start and completion times and the active, ready, succeeded and failed counts. A finished Job
 * never changes again. A template without a {@code restartPolicy}, which an API server rejects
 * for a Job, gets {@code Never}.
 */
final class JobController extends ObjectController {
  static final GroupKind KIND = new GroupKind("batch", "Job");

  JobController() {
    super(KIND);
  }

  @Override
  void reconcile(Pass pass, Resource job) {
    JsonNode spec = job.json().path("spec");
    JsonNode before = job.json().path("status");
    JsonNode previous = before.path("conditions");
    if (isTrue(previous, "Complete") || isTrue(previous, "Failed")) {
      return; // finished jobs never change again
    }
    long completions = number(spec, "completions", 1);
    long parallelism = number(spec, "parallelism", 1);
    long backoffLimit = number(spec, "backoffLimit", 6);
    boolean suspend = spec.path("suspend").asBoolean(false);
    List<Resource> pods = new ArrayList<>(pass.podsOf(job));
    long succeeded = pods.stream().filter(p -> "Succeeded".equals(Kubelet.phase(p))).count();
    long failed = pods.stream().filter(p -> "Failed".equals(Kubelet.phase(p))).count();
    List<Resource> active = new ArrayList<>(pods.stream().filter(p -> !isTerminal(p)).toList());

    ObjectNode status = Json.object();
    ArrayNode conditions = status.putArray("conditions");
    String startTime = text(before, "startTime");
    if (suspend) {
      active.forEach(pass::removePod);
      active.clear();
      Shapes.condition(conditions, previous, "Suspended", "True", "JobSuspended", "Job suspended", pass.now(), true);
    } else {
      if (Shapes.find(previous, "Suspended") != null) {
        Shapes.condition(conditions, previous, "Suspended", "False", "JobResumed", "Job resumed", pass.now(), true);
      }
      if (startTime.isEmpty()) {
        startTime = time(pass.now());
      }
      if (failed > backoffLimit) {
        active.forEach(pass::removePod);
        active.clear();
        Shapes.condition(conditions, previous, "Failed", "True", "BackoffLimitExceeded",
            "Job has reached the specified backoff limit", pass.now(), true);
      } else if (succeeded >= completions) {
        Shapes.condition(conditions, previous, "Complete", "True", "CompletionsReached",
            "Reached expected number of succeeded pods", pass.now(), true);
        status.put("completionTime", time(pass.now()));
      } else {
        long want = Math.min(parallelism, completions - succeeded) - active.size();
        JsonNode template = want > 0 ? podTemplate(spec.path("template")) : null;
        for (long i = 0; i < want; i++) {
          Map<String, String> labels = Map.of("job-name", job.name(), "batch.kubernetes.io/job-name", job.name(),
              "controller-uid", job.uid(), "batch.kubernetes.io/controller-uid", job.uid());
          Resource pod = pass.createPod(job, template, pass.generatedName(job), labels, null);
          if (pod != null) {
            active.add(pod);
          }
        }
      }
    }
    if (!startTime.isEmpty()) {
      status.put("startTime", startTime);
    }
    if (!active.isEmpty()) {
      status.put("active", active.size());
      status.put("ready", active.stream().filter(Kubelet::isReady).count());
    }
    if (succeeded > 0) {
      status.put("succeeded", succeeded);
    }
    if (failed > 0) {
      status.put("failed", failed);
    }
    if (conditions.isEmpty()) {
      status.remove("conditions");
    }
    pass.writeStatus(job, status);
  }

  /** The template, with {@code restartPolicy: Never} when it names none. */
  private static JsonNode podTemplate(JsonNode template) {
    if (template.path("spec").has("restartPolicy")) {
      return template;
    }
    ObjectNode copy = template.isObject() ? (ObjectNode) template.deepCopy() : Json.object();
    ObjectNode podSpec = copy.path("spec").isObject() ? (ObjectNode) copy.get("spec") : copy.putObject("spec");
    podSpec.put("restartPolicy", "Never");
    return copy;
  }

  private static boolean isTrue(JsonNode conditions, String type) {
    JsonNode c = Shapes.find(conditions, type);
    return c != null && "True".equals(text(c, "status"));
  }

  private static boolean isTerminal(Resource pod) {
    String phase = Kubelet.phase(pod);
    return "Succeeded".equals(phase) || "Failed".equals(phase);
  }
}
