package io.orchestrationplane.policy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code admission.k8s.io/v1} (and {@code v1beta1}) AdmissionReview in and out, so the engine can sit behind a
 * webhook or replay captured reviews:
 *
 * <pre>{@code
 * JsonNode review = mapper.readTree(body);
 * Admission a = engine.admit(AdmissionReviews.request(review, namespaceObject));
 * JsonNode answer = AdmissionReviews.response(review, a);
 * }</pre>
 *
 * A DELETE review must carry {@code oldObject} (as Gatekeeper requires); an UPDATE review without
 * {@code oldObject} is evaluated with {@code oldObject} null, as gator does.
 */
public final class AdmissionReviews {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  private AdmissionReviews() {}

  /** The request of a review, without a Namespace object. */
  public static AdmissionRequest request(JsonNode review) {
    return request(review, null);
  }

  /**
   * The request of a review.
   *
   * @param namespaceObject the Namespace of the request's namespace (reviews do not carry it), or null
   * @throws IllegalArgumentException naming the field when the review is not a usable AdmissionReview
   */
  public static AdmissionRequest request(JsonNode review, @Nullable JsonNode namespaceObject) {
    if (review == null || !review.isObject()) {
      throw new IllegalArgumentException("an AdmissionReview must be an object");
    }
    String apiVersion = review.path("apiVersion").asString("");
    if (!review.path("kind").asString("").equals("AdmissionReview") || !apiVersion.startsWith("admission.k8s.io/")) {
      throw new IllegalArgumentException("not an AdmissionReview (apiVersion '" + apiVersion + "', kind '"
          + review.path("kind").asString("") + "'; expected admission.k8s.io/v1 AdmissionReview)");
    }
    JsonNode r = review.path("request");
    if (!r.isObject()) {
      throw new IllegalArgumentException("request: the AdmissionReview carries no AdmissionRequest");
    }
    JsonNode object = present(r.path("object"));
    JsonNode oldObject = present(r.path("oldObject"));
    if (object == null && oldObject == null) {
      throw new IllegalArgumentException("request: the AdmissionRequest contains no \"object\" or \"oldObject\" to review");
    }
    if (!r.has("operation")) {
      throw new IllegalArgumentException("request.operation is required");
    }
    Operation op;
    try {
      op = Operation.parse(r.path("operation").asString(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("request.operation: " + e.getMessage(), e);
    }
    if (op == Operation.DELETE && oldObject == null) {
      throw new IllegalArgumentException("request.oldObject: a DELETE review must carry the deleted object as"
          + " oldObject (Kubernetes 1.15+ sends it; Gatekeeper rejects reviews without it)");
    }
    AdmissionRequest.Builder b = AdmissionRequest.builder(op)
        .object(op == Operation.DELETE ? null : object)
        .oldObject(oldObject)
        .namespaceObject(namespaceObject)
        .uid(r.path("uid").asString(""))
        .dryRun(r.path("dryRun").asBoolean(false));
    JsonNode user = r.path("userInfo");
    if (user.isObject()) {
      Map<String, List<String>> extra = new LinkedHashMap<>();
      user.path("extra").properties().forEach(e -> {
        List<String> values = new ArrayList<>();
        e.getValue().forEach(v -> values.add(v.asString()));
        extra.put(e.getKey(), values);
      });
      List<String> groups = new ArrayList<>();
      user.path("groups").forEach(g -> groups.add(g.asString()));
      b.userInfo(new UserInfo(user.path("username").asString(""), user.path("uid").asString(""), groups, extra));
    }
    String namespace = r.path("namespace").asString("");
    if (!namespace.isEmpty()) {
      b.namespace(namespace);
    }
    String name = r.path("name").asString("");
    if (!name.isEmpty()) {
      b.name(name);
    }
    String resource = r.path("resource").path("resource").asString("");
    if (!resource.isEmpty()) {
      b.resource(resource);
    }
    String sub = r.path("subResource").asString("");
    if (!sub.isEmpty()) {
      b.subResource(sub);
    }
    return b.build();
  }

  private static @Nullable JsonNode present(JsonNode n) {
    return n == null || n.isMissingNode() || n.isNull() || n.isObject() && n.isEmpty() ? null : n;
  }

  /** The AdmissionReview answering {@code review} with a validation decision (no mutation). */
  public static JsonNode response(JsonNode review, Decision decision) {
    return response(review, new Admission(null, List.of(), null, decision));
  }

  /**
   * The AdmissionReview answering {@code review}: same apiVersion, {@code response.uid} echoed, {@code allowed},
   * on denial a {@code status} whose code follows the first denial's reason (Invalid 422, Forbidden 403,
   * Unauthorized 401, RequestEntityTooLarge 413) and whose message lists every denial, the warnings, audit
   * annotations, and the mutation as a base64 JSON Patch ({@code patchType: JSONPatch}) when the object changed.
   */
  public static JsonNode response(JsonNode review, Admission admission) {
    ObjectNode out = F.objectNode();
    out.put("apiVersion", review.path("apiVersion").asString("admission.k8s.io/v1"));
    out.put("kind", "AdmissionReview");
    ObjectNode resp = out.putObject("response");
    resp.put("uid", review.path("request").path("uid").asString(""));
    Decision d = admission.decision();
    resp.put("allowed", d.allowed());
    if (!d.allowed()) {
      List<Violation> denials = d.denials();
      ObjectNode status = resp.putObject("status");
      String reason = denials.get(0).reason();
      status.put("code", switch (reason) {
        case "Forbidden" -> 403;
        case "Unauthorized" -> 401;
        case "RequestEntityTooLarge" -> 413;
        default -> 422;
      });
      status.put("reason", reason);
      List<String> messages = new ArrayList<>();
      for (Violation v : denials) {
        messages.add("policy '" + v.policy() + "' with binding '" + v.binding() + "' denied request: " + v.message());
      }
      status.put("message", String.join("; ", messages));
    }
    if (!d.warnings().isEmpty()) {
      ArrayNode w = resp.putArray("warnings");
      d.warnings().forEach(w::add);
    }
    if (!d.auditAnnotations().isEmpty()) {
      ObjectNode a = resp.putObject("auditAnnotations");
      d.auditAnnotations().forEach(a::put);
    }
    if (d.allowed() && admission.mutated()) {
      resp.put("patchType", "JSONPatch");
      resp.put("patch", Base64.getEncoder().encodeToString(
          admission.patch().toString().getBytes(StandardCharsets.UTF_8)));
    }
    return out;
  }
}
