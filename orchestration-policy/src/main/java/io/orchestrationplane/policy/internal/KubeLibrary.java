package io.orchestrationplane.policy.internal;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.cel.bundle.CelBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.runtime.CelFunctionBinding;
import io.orchestrationplane.policy.spi.Authorizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' CEL libraries (lists, regex, url, quantity, ip, cidr, format, semver, authorizer), the
 * strings extension's {@code format}, and the optional {@code orValue}/{@code or} compatibility quirk.
 * Semantics follow https://kubernetes.io/docs/reference/using-api/cel/.
 */
final class KubeLibrary {
  static final OpaqueType QUANTITY = OpaqueType.create("kubernetes.Quantity");
  static final OpaqueType IP = OpaqueType.create("net.IP");
  static final OpaqueType CIDR = OpaqueType.create("net.CIDR");
  static final OpaqueType URL = OpaqueType.create("kubernetes.URL");
  static final OpaqueType SEMVER = OpaqueType.create("kubernetes.Semver");
  static final OpaqueType FORMAT = OpaqueType.create("kubernetes.NamedFormat");
  static final OpaqueType AUTHORIZER = OpaqueType.create("kubernetes.authorization.Authorizer");
  static final OpaqueType PATH_CHECK = OpaqueType.create("kubernetes.authorization.PathCheck");
  static final OpaqueType GROUP_CHECK = OpaqueType.create("kubernetes.authorization.GroupCheck");
  static final OpaqueType RESOURCE_CHECK = OpaqueType.create("kubernetes.authorization.ResourceCheck");
  static final OpaqueType AUTHZ_DECISION = OpaqueType.create("kubernetes.authorization.Decision");

  private static final CelType DYN = SimpleType.DYN;
  private static final CelType STRING = SimpleType.STRING;
  private static final CelType INT = SimpleType.INT;
  private static final CelType BOOL = SimpleType.BOOL;
  private static final CelType DOUBLE = SimpleType.DOUBLE;
  private static final CelType LIST_DYN = ListType.create(DYN);
  private static final CelType LIST_STRING = ListType.create(STRING);

  /** Compiled regular expressions by source, per environment (most patterns are literals). */
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
  private final List<CelFunctionDecl> decls = new ArrayList<>();
  private final List<CelFunctionBinding> bindings = new ArrayList<>();

  private KubeLibrary() {}

  static void install(CelBuilder builder, boolean withAuthorizer, boolean orValueQuirk) {
    KubeLibrary lib = new KubeLibrary();
    lib.strings();
    lib.lists();
    lib.regex();
    lib.url();
    lib.quantity();
    lib.ip();
    lib.cidr();
    lib.format();
    lib.semver();
    lib.toStringOverloads();
    if (withAuthorizer) {
      lib.authorizer();
      builder.addVar("authorizer.requestResource", RESOURCE_CHECK);
    }
    if (orValueQuirk) {
      lib.orValueQuirk();
    }
    builder.addFunctionDeclarations(lib.decls).addFunctionBindings(lib.bindings);
  }

  private void fn(String name, CelOverloadDecl... overloads) {
    decls.add(CelFunctionDecl.newFunctionDeclaration(name, overloads));
  }

  private static CelOverloadDecl member(String id, CelType result, CelType... args) {
    return CelOverloadDecl.newMemberOverload(id, result, args);
  }

  private static CelOverloadDecl global(String id, CelType result, CelType... args) {
    return CelOverloadDecl.newGlobalOverload(id, result, args);
  }

  private <T> void unary(String id, Class<T> type, dev.cel.runtime.CelFunctionOverload.Unary<T> f) {
    bindings.add(CelFunctionBinding.from(id, type, f));
  }

  private <A, B> void binary(String id, Class<A> a, Class<B> b, dev.cel.runtime.CelFunctionOverload.Binary<A, B> f) {
    bindings.add(CelFunctionBinding.from(id, a, b, f));
  }

  private void strings() {
    fn("format", member("k8s_string_format", STRING, STRING, LIST_DYN));
    binary("k8s_string_format", String.class, List.class, (t, args) -> StringFormat.format(t, args));
  }

  private void lists() {
    fn("isSorted", member("k8s_list_is_sorted", BOOL, LIST_DYN));
    unary("k8s_list_is_sorted", List.class, l -> {
      for (int i = 1; i < l.size(); i++) {
        if (compare(l.get(i - 1), l.get(i)) > 0) {
          return false;
        }
      }
      return true;
    });
    fn("sum", member("k8s_list_sum", DYN, LIST_DYN));
    unary("k8s_list_sum", List.class, KubeLibrary::sum);
    fn("min", member("k8s_list_min", DYN, LIST_DYN));
    unary("k8s_list_min", List.class, l -> extreme(l, -1, "min"));
    fn("max", member("k8s_list_max", DYN, LIST_DYN));
    unary("k8s_list_max", List.class, l -> extreme(l, 1, "max"));
    fn("indexOf", member("k8s_list_index_of", INT, LIST_DYN, DYN));
    binary("k8s_list_index_of", List.class, Object.class, (l, x) -> (long) indexOf(l, x, false));
    fn("lastIndexOf", member("k8s_list_last_index_of", INT, LIST_DYN, DYN));
    binary("k8s_list_last_index_of", List.class, Object.class, (l, x) -> (long) indexOf(l, x, true));
  }

  private static int indexOf(List<?> l, Object x, boolean last) {
    int found = -1;
    for (int i = 0; i < l.size(); i++) {
      if (celEquals(l.get(i), x)) {
        found = i;
        if (!last) {
          return i;
        }
      }
    }
    return found;
  }

  private static boolean celEquals(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y && !(a.getClass().equals(b.getClass()))) {
      return x.doubleValue() == y.doubleValue();
    }
    return a.equals(b);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  static int compare(Object a, Object b) {
    if (a instanceof Number x && b instanceof Number y && !a.getClass().equals(b.getClass())) {
      return Double.compare(x.doubleValue(), y.doubleValue());
    }
    if (a instanceof com.google.protobuf.ByteString x && b instanceof com.google.protobuf.ByteString y) {
      return com.google.protobuf.ByteString.unsignedLexicographicalComparator().compare(x, y);
    }
    if (a instanceof Comparable ca && a.getClass().equals(b.getClass())) {
      return ca.compareTo(b);
    }
    throw new IllegalArgumentException("no comparison between " + a.getClass().getSimpleName() + " and "
        + b.getClass().getSimpleName());
  }

  private static Object sum(List<?> l) {
    if (l.isEmpty()) {
      return 0L;
    }
    if (l.get(0) instanceof Double) {
      double s = 0;
      for (Object o : l) {
        s += ((Number) o).doubleValue();
      }
      return s;
    }
    if (l.get(0) instanceof java.time.Duration) {
      java.time.Duration s = java.time.Duration.ZERO;
      for (Object o : l) {
        s = s.plus((java.time.Duration) o);
      }
      return s;
    }
    long s = 0;
    for (Object o : l) {
      if (!(o instanceof Long v)) {
        throw new IllegalArgumentException("sum() needs a list of int, double or duration; found "
            + o.getClass().getSimpleName());
      }
      s = Math.addExact(s, v);
    }
    return s;
  }

  private static Object extreme(List<?> l, int sign, String name) {
    if (l.isEmpty()) {
      throw new IllegalArgumentException(name + " called on empty list");
    }
    Object best = l.get(0);
    for (Object o : l) {
      if (compare(o, best) * sign > 0) {
        best = o;
      }
    }
    return best;
  }

  private Pattern pattern(String regex) {
    Pattern p = patterns.get(regex);
    if (p == null) {
      p = Pattern.compile(regex);
      if (patterns.size() < 1000) {
        patterns.put(regex, p);
      }
    }
    return p;
  }

  private void regex() {
    fn("find", member("k8s_string_find", STRING, STRING, STRING));
    binary("k8s_string_find", String.class, String.class, (s, re) -> {
      Matcher m = pattern(re).matcher(s);
      return m.find() ? m.group() : "";
    });
    fn("findAll", member("k8s_string_find_all", LIST_STRING, STRING, STRING),
        member("k8s_string_find_all_n", LIST_STRING, STRING, STRING, INT));
    binary("k8s_string_find_all", String.class, String.class, (s, re) -> findAll(s, re, -1));
    bindings.add(CelFunctionBinding.from("k8s_string_find_all_n", List.of(String.class, String.class, Long.class),
        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
  }

  private List<String> findAll(String s, String re, long limit) {
    List<String> out = new ArrayList<>();
    Matcher m = pattern(re).matcher(s);
    while ((limit < 0 || out.size() < limit) && m.find()) {
      out.add(m.group());
    }
    return out;
  }

  private void url() {
    fn("url", global("k8s_string_to_url", URL, STRING));
    unary("k8s_string_to_url", String.class, KubeUrl::parse);
    fn("isURL", global("k8s_is_url_string", BOOL, STRING));
    unary("k8s_is_url_string", String.class, KubeUrl::isValid);
    fn("getScheme", member("k8s_url_get_scheme", STRING, URL));
    unary("k8s_url_get_scheme", KubeUrl.class, KubeUrl::scheme);
    fn("getHost", member("k8s_url_get_host", STRING, URL));
    unary("k8s_url_get_host", KubeUrl.class, KubeUrl::host);
    fn("getHostname", member("k8s_url_get_hostname", STRING, URL));
    unary("k8s_url_get_hostname", KubeUrl.class, KubeUrl::hostname);
    fn("getPort", member("k8s_url_get_port", STRING, URL));
    unary("k8s_url_get_port", KubeUrl.class, KubeUrl::port);
    fn("getEscapedPath", member("k8s_url_get_escaped_path", STRING, URL));
    unary("k8s_url_get_escaped_path", KubeUrl.class, KubeUrl::escapedPath);
    fn("getQuery", member("k8s_url_get_query", MapType.create(STRING, LIST_STRING), URL));
    unary("k8s_url_get_query", KubeUrl.class, KubeUrl::query);
  }

  private void quantity() {
    fn("quantity", global("k8s_string_to_quantity", QUANTITY, STRING));
    unary("k8s_string_to_quantity", String.class, Quantity::parse);
    fn("isQuantity", global("k8s_is_quantity_string", BOOL, STRING));
    unary("k8s_is_quantity_string", String.class, Quantity::isValid);
    fn("sign", member("k8s_quantity_sign", INT, QUANTITY));
    unary("k8s_quantity_sign", Quantity.class, Quantity::sign);
    fn("isGreaterThan", member("k8s_quantity_is_greater_than", BOOL, QUANTITY, QUANTITY),
        member("k8s_semver_is_greater_than", BOOL, SEMVER, SEMVER));
    binary("k8s_quantity_is_greater_than", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) > 0);
    fn("isLessThan", member("k8s_quantity_is_less_than", BOOL, QUANTITY, QUANTITY),
        member("k8s_semver_is_less_than", BOOL, SEMVER, SEMVER));
    binary("k8s_quantity_is_less_than", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) < 0);
    fn("compareTo", member("k8s_quantity_compare_to", INT, QUANTITY, QUANTITY),
        member("k8s_semver_compare_to", INT, SEMVER, SEMVER));
    binary("k8s_quantity_compare_to", Quantity.class, Quantity.class, (a, b) -> (long) Integer.signum(a.compareTo(b)));
    fn("add", member("k8s_quantity_add", QUANTITY, QUANTITY, QUANTITY),
        member("k8s_quantity_add_int", QUANTITY, QUANTITY, INT));
    binary("k8s_quantity_add", Quantity.class, Quantity.class, Quantity::add);
    binary("k8s_quantity_add_int", Quantity.class, Long.class, (a, b) -> a.add(Quantity.of(b)));
    fn("sub", member("k8s_quantity_sub", QUANTITY, QUANTITY, QUANTITY),
        member("k8s_quantity_sub_int", QUANTITY, QUANTITY, INT));
    binary("k8s_quantity_sub", Quantity.class, Quantity.class, Quantity::subtract);
    binary("k8s_quantity_sub_int", Quantity.class, Long.class, (a, b) -> a.subtract(Quantity.of(b)));
    fn("asInteger", member("k8s_quantity_as_integer", INT, QUANTITY));
    unary("k8s_quantity_as_integer", Quantity.class, Quantity::asInteger);
    fn("isInteger", member("k8s_quantity_is_integer", BOOL, QUANTITY));
    unary("k8s_quantity_is_integer", Quantity.class, Quantity::isInteger);
    fn("asApproximateFloat", member("k8s_quantity_as_float", DOUBLE, QUANTITY));
    unary("k8s_quantity_as_float", Quantity.class, Quantity::asApproximateFloat);
  }

  private void ip() {
    fn("ip", global("k8s_string_to_ip", IP, STRING), member("k8s_cidr_ip", IP, CIDR));
    unary("k8s_string_to_ip", String.class, IpAddress::parse);
    unary("k8s_cidr_ip", Cidr.class, Cidr::ip);
    fn("isIP", global("k8s_is_ip_string", BOOL, STRING));
    unary("k8s_is_ip_string", String.class, IpAddress::isValid);
    fn("ip.isCanonical", global("k8s_ip_is_canonical", BOOL, STRING));
    unary("k8s_ip_is_canonical", String.class, s -> IpAddress.parse(s).toString().equals(s));
    fn("family", member("k8s_ip_family", INT, IP));
    unary("k8s_ip_family", IpAddress.class, IpAddress::family);
    fn("isUnspecified", member("k8s_ip_is_unspecified", BOOL, IP));
    unary("k8s_ip_is_unspecified", IpAddress.class, IpAddress::isUnspecified);
    fn("isLoopback", member("k8s_ip_is_loopback", BOOL, IP));
    unary("k8s_ip_is_loopback", IpAddress.class, IpAddress::isLoopback);
    fn("isLinkLocalMulticast", member("k8s_ip_is_link_local_multicast", BOOL, IP));
    unary("k8s_ip_is_link_local_multicast", IpAddress.class, IpAddress::isLinkLocalMulticast);
    fn("isLinkLocalUnicast", member("k8s_ip_is_link_local_unicast", BOOL, IP));
    unary("k8s_ip_is_link_local_unicast", IpAddress.class, IpAddress::isLinkLocalUnicast);
    fn("isGlobalUnicast", member("k8s_ip_is_global_unicast", BOOL, IP));
    unary("k8s_ip_is_global_unicast", IpAddress.class, IpAddress::isGlobalUnicast);
  }

  private void cidr() {
    fn("cidr", global("k8s_string_to_cidr", CIDR, STRING));
    unary("k8s_string_to_cidr", String.class, Cidr::parse);
    fn("isCIDR", global("k8s_is_cidr_string", BOOL, STRING));
    unary("k8s_is_cidr_string", String.class, Cidr::isValid);
    fn("containsIP", member("k8s_cidr_contains_ip", BOOL, CIDR, IP),
        member("k8s_cidr_contains_ip_string", BOOL, CIDR, STRING));
    binary("k8s_cidr_contains_ip", Cidr.class, IpAddress.class, Cidr::contains);
    binary("k8s_cidr_contains_ip_string", Cidr.class, String.class, (c, s) -> c.contains(IpAddress.parse(s)));
    fn("containsCIDR", member("k8s_cidr_contains_cidr", BOOL, CIDR, CIDR),
        member("k8s_cidr_contains_cidr_string", BOOL, CIDR, STRING));
    binary("k8s_cidr_contains_cidr", Cidr.class, Cidr.class, Cidr::contains);
    binary("k8s_cidr_contains_cidr_string", Cidr.class, String.class, (c, s) -> c.contains(Cidr.parse(s)));
    fn("masked", member("k8s_cidr_masked", CIDR, CIDR));
    unary("k8s_cidr_masked", Cidr.class, Cidr::masked);
    fn("prefixLength", member("k8s_cidr_prefix_length", INT, CIDR));
    unary("k8s_cidr_prefix_length", Cidr.class, c -> (long) c.prefixLength());
  }

  private void format() {
    for (String name : NamedFormat.ALL.keySet()) {
      String id = "k8s_format_" + name;
      fn("format." + name, global(id, FORMAT));
      NamedFormat f = NamedFormat.ALL.get(name);
      bindings.add(CelFunctionBinding.from(id, List.of(), args -> f));
    }
    fn("format.named", global("k8s_format_named", OptionalType.create(FORMAT), STRING));
    unary("k8s_format_named", String.class, n -> Optional.ofNullable(NamedFormat.ALL.get(n)));
    fn("validate", member("k8s_format_validate", OptionalType.create(LIST_STRING), FORMAT, STRING));
    binary("k8s_format_validate", NamedFormat.class, String.class, (f, s) -> {
      List<String> errors = f.validate(s);
      return errors.isEmpty() ? Optional.empty() : Optional.of(errors);
    });
  }

  private void semver() {
    fn("semver", global("k8s_string_to_semver", SEMVER, STRING),
        global("k8s_string_to_semver_normalize", SEMVER, STRING, BOOL));
    unary("k8s_string_to_semver", String.class, s -> Semver.parse(s, false));
    binary("k8s_string_to_semver_normalize", String.class, Boolean.class, Semver::parse);
    fn("isSemver", global("k8s_is_semver_string", BOOL, STRING),
        global("k8s_is_semver_string_normalize", BOOL, STRING, BOOL));
    unary("k8s_is_semver_string", String.class, s -> Semver.isValid(s, false));
    binary("k8s_is_semver_string_normalize", String.class, Boolean.class, Semver::isValid);
    fn("major", member("k8s_semver_major", INT, SEMVER));
    unary("k8s_semver_major", Semver.class, Semver::major);
    fn("minor", member("k8s_semver_minor", INT, SEMVER));
    unary("k8s_semver_minor", Semver.class, Semver::minor);
    fn("patch", member("k8s_semver_patch", INT, SEMVER));
    unary("k8s_semver_patch", Semver.class, Semver::patch);
    binary("k8s_semver_is_greater_than", Semver.class, Semver.class, (a, b) -> a.compareTo(b) > 0);
    binary("k8s_semver_is_less_than", Semver.class, Semver.class, (a, b) -> a.compareTo(b) < 0);
    binary("k8s_semver_compare_to", Semver.class, Semver.class, (a, b) -> (long) Integer.signum(a.compareTo(b)));
  }

  private void toStringOverloads() {
    fn("string", global("k8s_ip_to_string", STRING, IP), global("k8s_cidr_to_string", STRING, CIDR),
        global("k8s_quantity_to_string", STRING, QUANTITY), global("k8s_semver_to_string", STRING, SEMVER));
    unary("k8s_ip_to_string", IpAddress.class, IpAddress::toString);
    unary("k8s_cidr_to_string", Cidr.class, Cidr::toString);
    unary("k8s_quantity_to_string", Quantity.class, Quantity::toString);
    unary("k8s_semver_to_string", Semver.class, Semver::toString);
  }

  private void authorizer() {
    fn("path", member("k8s_authorizer_path", PATH_CHECK, AUTHORIZER, STRING));
    binary("k8s_authorizer_path", AuthorizerValues.Value.class, String.class, AuthorizerValues.PathCheck::new);
    fn("group", member("k8s_authorizer_group", GROUP_CHECK, AUTHORIZER, STRING));
    binary("k8s_authorizer_group", AuthorizerValues.Value.class, String.class, AuthorizerValues.GroupCheck::new);
    fn("serviceAccount", member("k8s_authorizer_service_account", AUTHORIZER, AUTHORIZER, STRING, STRING));
    bindings.add(CelFunctionBinding.from("k8s_authorizer_service_account",
        List.of(AuthorizerValues.Value.class, String.class, String.class),
        args -> ((AuthorizerValues.Value) args[0]).serviceAccount((String) args[1], (String) args[2])));
    fn("resource", member("k8s_group_check_resource", RESOURCE_CHECK, GROUP_CHECK, STRING));
    binary("k8s_group_check_resource", AuthorizerValues.GroupCheck.class, String.class,
        (g, r) -> new AuthorizerValues.ResourceCheck(g.authz(), g.group(), r, "", "", ""));
    fn("subresource", member("k8s_resource_check_subresource", RESOURCE_CHECK, RESOURCE_CHECK, STRING));
    binary("k8s_resource_check_subresource", AuthorizerValues.ResourceCheck.class, String.class,
        AuthorizerValues.ResourceCheck::withSubresource);
    fn("namespace", member("k8s_resource_check_namespace", RESOURCE_CHECK, RESOURCE_CHECK, STRING));
    binary("k8s_resource_check_namespace", AuthorizerValues.ResourceCheck.class, String.class,
        AuthorizerValues.ResourceCheck::withNamespace);
    fn("name", member("k8s_resource_check_name", RESOURCE_CHECK, RESOURCE_CHECK, STRING));
    binary("k8s_resource_check_name", AuthorizerValues.ResourceCheck.class, String.class,
        AuthorizerValues.ResourceCheck::withName);
    fn("check", member("k8s_path_check_check", AUTHZ_DECISION, PATH_CHECK, STRING),
        member("k8s_resource_check_check", AUTHZ_DECISION, RESOURCE_CHECK, STRING));
    binary("k8s_path_check_check", AuthorizerValues.PathCheck.class, String.class,
        (p, verb) -> p.authz().check(new Authorizer.Check(verb, null, null, null, null, null, p.path())));
    binary("k8s_resource_check_check", AuthorizerValues.ResourceCheck.class, String.class,
        (r, verb) -> r.authz().check(new Authorizer.Check(verb, r.group(), r.resource(), r.subresource(),
            r.namespace(), r.name(), null)));
    fn("allowed", member("k8s_decision_allowed", BOOL, AUTHZ_DECISION));
    unary("k8s_decision_allowed", AuthorizerValues.Decision.class, AuthorizerValues.Decision::allowed);
    fn("reason", member("k8s_decision_reason", STRING, AUTHZ_DECISION));
    unary("k8s_decision_reason", AuthorizerValues.Decision.class, AuthorizerValues.Decision::reason);
    fn("errored", member("k8s_decision_errored", BOOL, AUTHZ_DECISION));
    unary("k8s_decision_errored", AuthorizerValues.Decision.class, d -> d.error() != null);
    fn("error", member("k8s_decision_error", STRING, AUTHZ_DECISION));
    unary("k8s_decision_error", AuthorizerValues.Decision.class, d -> d.error() == null ? "" : d.error());
  }

  /**
   * cel-go before 0.28 let {@code orValue()}/{@code or()} run on a non-optional receiver and returned the
   * receiver; Kubernetes up to 1.35 and Kyverno policies rely on it. Declared per concrete receiver type so
   * that the optional library's own overloads still serve optional receivers.
   */
  private void orValueQuirk() {
    CelType[] receivers = {LIST_DYN, MapType.create(DYN, DYN), STRING, INT, DOUBLE, BOOL};
    Class<?>[] classes = {List.class, Map.class, String.class, Long.class, Double.class, Boolean.class};
    String[] names = {"list", "map", "string", "int", "double", "bool"};
    List<CelOverloadDecl> orValue = new ArrayList<>();
    List<CelOverloadDecl> or = new ArrayList<>();
    for (int i = 0; i < receivers.length; i++) {
      String orValueId = "k8s_compat_orValue_" + names[i];
      String orId = "k8s_compat_or_" + names[i];
      orValue.add(member(orValueId, DYN, receivers[i], DYN));
      or.add(member(orId, DYN, receivers[i], DYN));
      bindings.add(CelFunctionBinding.from(orValueId, List.of(classes[i], Object.class), args -> args[0]));
      bindings.add(CelFunctionBinding.from(orId, List.of(classes[i], Object.class), args -> args[0]));
    }
    // With several candidate overloads the interpreter dispatches dynamically instead of using its built-in
    // (lazy) optional handling, so the optional overloads need ordinary bindings too.
    binary("optional_orValue_value", Optional.class, Object.class, (o, v) -> ((Optional<?>) o).isPresent() ? o.get() : v);
    binary("optional_or_optional", Optional.class, Optional.class, (o, v) -> o.isPresent() ? o : v);
    fn("orValue", orValue.toArray(CelOverloadDecl[]::new));
    fn("or", or.toArray(CelOverloadDecl[]::new));
  }
}
