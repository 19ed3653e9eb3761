package io.orchestrationplane.policy.internal;

import dev.cel.bundle.CelBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.orchestrationplane.policy.KindMapping;
import io.orchestrationplane.policy.LabelSelector;
import io.orchestrationplane.policy.ParamKind;
import io.orchestrationplane.policy.spi.ParamResolver;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Kyverno's CEL libraries for {@code policies.kyverno.io} policies that need no network: {@code resource.Get} and
 * {@code resource.List} answered from the caller's {@link ParamResolver} (the inventory), image reference parsing
 * ({@code image(ref)}, {@code isImage(ref)} with {@code registry()}, {@code repository()}, {@code identifier()},
 * {@code tag()}, {@code digest()}, {@code containsDigest()}), {@code json.unmarshal} and {@code yaml.parse}. The
 * network-bound functions ({@code http.Get/Post/Client}, {@code resource.Post}, {@code image.GetMetadata}) are
 * declared so policies compile, and fail at evaluation with a clear "not available offline" error.
 */
final class KyvernoLibrary {
  static final OpaqueType RESOURCE = OpaqueType.create("kyverno.resource.Context");
  static final OpaqueType HTTP = OpaqueType.create("kyverno.http.Context");
  static final OpaqueType IMAGE_DATA = OpaqueType.create("kyverno.imagedata.Context");
  static final OpaqueType IMAGE = OpaqueType.create("kyverno.image.Image");
  static final OpaqueType JSON = OpaqueType.create("kyverno.json.Json");
  static final OpaqueType YAML = OpaqueType.create("kyverno.yaml.Yaml");
  private static final CelType S = SimpleType.STRING;
  private static final CelType DYN = SimpleType.DYN;
  private static final JsonMapper MAPPER = JsonMapper.builder().build();

  /** The value of {@code resource}: lookups in one request's inventory. */
  record Resources(ParamResolver inventory, KindMapping kinds) {
    Object get(String apiVersion, String resource, String namespace, String name) {
      Optional<JsonNode> o = inventory.get(kind(apiVersion, resource), namespace.isEmpty() ? null : namespace, name);
      if (o.isEmpty()) {
        throw new LibraryError("resource.Get: " + resource + " \"" + name + "\" not found"
            + (namespace.isEmpty() ? "" : " in namespace " + namespace) + " (apiVersion " + apiVersion + ")");
      }
      return CelValues.toCel(o.get());
    }

    Object list(String apiVersion, String resource, String namespace, Map<?, ?> labels) {
      Map<String, String> match = new LinkedHashMap<>();
      labels.forEach((k, v) -> match.put(String.valueOf(k), String.valueOf(v)));
      List<JsonNode> items = inventory.list(kind(apiVersion, resource), namespace.isEmpty() ? null : namespace,
          new LabelSelector(match, List.of()));
      List<Object> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(CelValues.toCel(i)));
      Map<String, Object> list = new LinkedHashMap<>();
      list.put("apiVersion", apiVersion);
      list.put("kind", "List");
      list.put("items", out);
      return CelValues.fromJava(list);
    }

    private ParamKind kind(String apiVersion, String resource) {
      String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
      String kind = kinds.kindOf(group, resource);
      if (kind == null) {
        throw new LibraryError("resource '" + resource + "' of " + apiVersion + " is unknown; add its"
            + " kind to the engine's KindMapping");
      }
      return new ParamKind(apiVersion, kind);
    }
  }

  /** The values of {@code http}, {@code image}, {@code json}, {@code yaml}: markers without state. */
  enum Marker { HTTP, IMAGE_DATA, JSON, YAML }

  /** A parsed image reference, as go-containerregistry's name.ParseReference reads it. */
  record Image(String registry, String repository, String tag, String digest) {
    private static final Pattern REPO = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern REGISTRY = Pattern.compile("[a-zA-Z0-9.-]+(:[0-9]+)?|\\[[0-9a-fA-F:]+\\](:[0-9]+)?");

    static Image parse(String ref) {
      String rest = ref;
      String digest = "";
      String tag = "";
      int at = rest.indexOf('@');
      if (at >= 0) {
        digest = rest.substring(at + 1);
        rest = rest.substring(0, at);
        if (!DIGEST.matcher(digest).matches()) {
          throw new LibraryError("could not parse reference: " + ref);
        }
      }
      int slash = rest.lastIndexOf('/');
      int colon = rest.lastIndexOf(':');
      if (colon > slash) {
        tag = rest.substring(colon + 1);
        rest = rest.substring(0, colon);
        if (!TAG.matcher(tag).matches()) {
          throw new LibraryError("could not parse reference: " + ref);
        }
      }
      String registry = "index.docker.io";
      String repository = rest;
      int first = rest.indexOf('/');
      if (first > 0) {
        String head = rest.substring(0, first);
        if (head.contains(".") || head.contains(":") || head.equals("localhost") || !head.equals(head.toLowerCase())) {
          registry = head;
          repository = rest.substring(first + 1);
        }
      }
      if (!REGISTRY.matcher(registry).matches() || repository.isEmpty() || !REPO.matcher(repository).matches()) {
        throw new LibraryError("could not parse reference: " + ref);
      }
      if (registry.equals("docker.io")) {
        registry = "index.docker.io";
      }
      if (registry.equals("index.docker.io") && !repository.contains("/")) {
        repository = "library/" + repository;
      }
      if (digest.isEmpty() && tag.isEmpty()) {
        tag = "latest";
      }
      // A reference with a digest is a digest reference; its tag, if any, is not part of it.
      return digest.isEmpty() ? new Image(registry, repository, tag, "") : new Image(registry, repository, "", digest);
    }

    String identifier() {
      return digest.isEmpty() ? tag : digest;
    }

    static boolean isValid(String ref) {
      try {
        parse(ref);
        return true;
      } catch (IllegalArgumentException e) {
        return false;
      }
    }
  }

  private final List<CelFunctionDecl> decls = new ArrayList<>();
  private final List<CelFunctionBinding> bindings = new ArrayList<>();

  private KyvernoLibrary() {}

  /** Declares the library's variables and functions on {@code builder}. */
  static void install(CelBuilder builder) {
    KyvernoLibrary lib = new KyvernoLibrary();
    builder.addVar("resource", RESOURCE).addVar("http", HTTP).addVar("image", IMAGE_DATA).addVar("json", JSON)
        .addVar("yaml", YAML);
    lib.resource();
    lib.offline();
    lib.image();
    lib.jsonYaml();
    builder.addFunctionDeclarations(lib.decls).addFunctionBindings(lib.bindings);
  }

  private void fn(String name, CelOverloadDecl... overloads) {
    decls.add(CelFunctionDecl.newFunctionDeclaration(name, overloads));
  }

  private static CelOverloadDecl member(String id, CelType result, CelType... args) {
    return CelOverloadDecl.newMemberOverload(id, result, args);
  }

  private void resource() {
    fn("Get", member("kyverno_resource_get", DYN, RESOURCE, S, S, S, S),
        member("kyverno_http_get", DYN, HTTP, S), member("kyverno_http_get_headers", DYN, HTTP, S, MapType.create(S, S)));
    bindings.add(CelFunctionBinding.from("kyverno_resource_get",
        List.of(Resources.class, String.class, String.class, String.class, String.class),
        a -> ((Resources) a[0]).get((String) a[1], (String) a[2], (String) a[3], (String) a[4])));
    fn("List", member("kyverno_resource_list", DYN, RESOURCE, S, S, S),
        member("kyverno_resource_list_labels", DYN, RESOURCE, S, S, S, MapType.create(S, S)));
    bindings.add(CelFunctionBinding.from("kyverno_resource_list",
        List.of(Resources.class, String.class, String.class, String.class),
        a -> ((Resources) a[0]).list((String) a[1], (String) a[2], (String) a[3], Map.of())));
    bindings.add(CelFunctionBinding.from("kyverno_resource_list_labels",
        List.of(Resources.class, String.class, String.class, String.class, Map.class),
        a -> ((Resources) a[0]).list((String) a[1], (String) a[2], (String) a[3], (Map<?, ?>) a[4])));
  }

  private static Object offline(String function) {
    throw new LibraryError(function + " is not available offline: this engine makes no network calls"
        + " (Kyverno's " + function + " needs the cluster API, an HTTP endpoint or an image registry)");
  }

  private void offline() {
    fn("Post", member("kyverno_resource_post", DYN, RESOURCE, S, S, DYN), member("kyverno_http_post", DYN, HTTP, S, DYN),
        member("kyverno_http_post_headers", DYN, HTTP, S, DYN, MapType.create(S, S)));
    bindings.add(CelFunctionBinding.from("kyverno_resource_post", List.of(Resources.class, String.class, String.class,
        Object.class), a -> offline("resource.Post")));
    bindings.add(CelFunctionBinding.from("kyverno_http_get", Marker.class, String.class, (m, u) -> offline("http.Get")));
    bindings.add(CelFunctionBinding.from("kyverno_http_get_headers", List.of(Marker.class, String.class, Map.class),
        a -> offline("http.Get")));
    bindings.add(CelFunctionBinding.from("kyverno_http_post", List.of(Marker.class, String.class, Object.class),
        a -> offline("http.Post")));
    bindings.add(CelFunctionBinding.from("kyverno_http_post_headers",
        List.of(Marker.class, String.class, Object.class, Map.class), a -> offline("http.Post")));
    fn("Client", member("kyverno_http_client", HTTP, HTTP, S));
    bindings.add(CelFunctionBinding.from("kyverno_http_client", Marker.class, String.class, (m, c) -> offline("http.Client")));
    fn("GetMetadata", member("kyverno_imagedata_get", DYN, IMAGE_DATA, S));
    bindings.add(CelFunctionBinding.from("kyverno_imagedata_get", Marker.class, String.class,
        (m, r) -> offline("image.GetMetadata")));
  }

  private void image() {
    fn("image", CelOverloadDecl.newGlobalOverload("kyverno_string_to_image", IMAGE, S));
    bindings.add(CelFunctionBinding.from("kyverno_string_to_image", String.class, Image::parse));
    fn("isImage", CelOverloadDecl.newGlobalOverload("kyverno_is_image_string", SimpleType.BOOL, S));
    bindings.add(CelFunctionBinding.from("kyverno_is_image_string", String.class, Image::isValid));
    fn("registry", member("kyverno_image_registry", S, IMAGE));
    bindings.add(CelFunctionBinding.from("kyverno_image_registry", Image.class, Image::registry));
    fn("repository", member("kyverno_image_repository", S, IMAGE));
    bindings.add(CelFunctionBinding.from("kyverno_image_repository", Image.class, Image::repository));
    fn("identifier", member("kyverno_image_identifier", S, IMAGE));
    bindings.add(CelFunctionBinding.from("kyverno_image_identifier", Image.class, Image::identifier));
    fn("tag", member("kyverno_image_tag", S, IMAGE));
    bindings.add(CelFunctionBinding.from("kyverno_image_tag", Image.class, Image::tag));
    fn("digest", member("kyverno_image_digest", S, IMAGE));
    bindings.add(CelFunctionBinding.from("kyverno_image_digest", Image.class, Image::digest));
    fn("containsDigest", member("kyverno_image_contains_digest", SimpleType.BOOL, IMAGE));
    bindings.add(CelFunctionBinding.from("kyverno_image_contains_digest", Image.class, i -> !i.digest().isEmpty()));
  }

  private void jsonYaml() {
    fn("unmarshal", member("kyverno_json_unmarshal", DYN, JSON, S));
    bindings.add(CelFunctionBinding.from("kyverno_json_unmarshal", Marker.class, String.class, (m, s) -> {
      try {
        return CelValues.toCel(MAPPER.readTree(s));
      } catch (JacksonException e) {
        // Jackson's message quotes the token it stopped at, part of a value that may be a Secret's
        // (a partial quote no redaction of whole values finds): only where it stopped is said.
        tools.jackson.core.TokenStreamLocation at = e.getLocation();
        throw new LibraryError("json.unmarshal: invalid JSON" + (at == null || at.getLineNr() <= 0 ? ""
            : " at line " + at.getLineNr() + ", column " + at.getColumnNr()));
      }
    }));
    fn("parse", member("kyverno_yaml_parse", DYN, YAML, S));
    bindings.add(CelFunctionBinding.from("kyverno_yaml_parse", Marker.class, String.class, (m, s) -> {
      List<JsonNode> docs;
      try {
        docs = Yaml.readAll(s);
      } catch (IllegalArgumentException e) {
        throw new LibraryError("yaml.parse: " + e.getMessage()); // it never quotes the input
      }
      if (docs.size() > 1) {
        throw new LibraryError("yaml.parse: expected one YAML document, found " + docs.size());
      }
      return docs.isEmpty() ? dev.cel.common.values.NullValue.NULL_VALUE : CelValues.toCel(docs.get(0));
    }));
  }
}
