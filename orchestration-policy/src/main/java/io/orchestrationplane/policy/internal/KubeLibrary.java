package io.orchestrationplane.policy.internal;

import com.google.common.collect.ImmutableList;
import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import dev.cel.bundle.CelBuilder;
import dev.cel.common.CelFunctionDecl;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOverloadDecl;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.OpaqueType;
import dev.cel.common.types.OptionalType;
import dev.cel.common.types.SimpleType;
import dev.cel.common.types.TypeParamType;
import dev.cel.common.types.TypeType;
import dev.cel.parser.CelMacro;
import dev.cel.parser.CelMacroExprFactory;
import dev.cel.runtime.CelFunctionBinding;
import io.orchestrationplane.policy.Cidr;
import io.orchestrationplane.policy.IpAddress;
import io.orchestrationplane.policy.Quantity;
import io.orchestrationplane.policy.Semver;
import io.orchestrationplane.policy.spi.Authorizer;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Kubernetes' CEL libraries as {@code k8s.io/apiserver/pkg/cel/library} declares them, per version: lists, regex,
 * url (all versions), authorizer (1.27; a decision's errored() and error() 1.28), quantity (1.28), ip and cidr
 * (1.30), format (1.31), semver (1.33); and the strings extension's {@code format} (1.29). Overload ids are Kubernetes'. Functions whose runtime overload depends
 * on list element types ({@code sum}, {@code min}, {@code max}, {@code isSorted}) and functions whose result may be
 * far larger than their arguments are bound per evaluation through {@link MeteredFunctions}.
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

  /** Type names Kubernetes lets expressions name ({@code type(x) == net.IP}); their values come from the activation. */
  static final Map<String, CelType> TYPE_IDENTIFIERS = Map.of("net.IP", TypeType.create(IP),
      "net.CIDR", TypeType.create(CIDR));

  private static final CelType DYN = SimpleType.DYN;
  private static final CelType STRING = SimpleType.STRING;
  private static final CelType INT = SimpleType.INT;
  private static final CelType BOOL = SimpleType.BOOL;
  private static final CelType DOUBLE = SimpleType.DOUBLE;
  private static final CelType LIST_DYN = ListType.create(DYN);
  private static final CelType LIST_STRING = ListType.create(STRING);
  /** Kubernetes' comparable and summable element types, in its declaration order. */
  private static final String[] COMPARABLE = {"int", "uint", "double", "bool", "duration", "timestamp", "string", "bytes"};
  private static final String[] SUMMABLE = {"int", "uint", "double", "duration"};

  /** Compiled regular expressions by source, shared per environment (most patterns are literals). */
  private final Map<String, Pattern> patterns = new ConcurrentHashMap<>();
  /** Overloads by function name, so that libraries sharing a name (quantity and semver) share one declaration. */
  private final Map<String, List<CelOverloadDecl>> overloads = new java.util.LinkedHashMap<>();
  private final List<CelFunctionBinding> bindings = new ArrayList<>();

  private KubeLibrary() {}

  static void install(CelBuilder builder, KubeCel.Environment env, boolean withAuthorizer, boolean orValueQuirk) {
    KubeLibrary lib = new KubeLibrary();
    lib.conversions();
    lib.lists();
    lib.regex();
    lib.url();
    lib.strings(env);
    if (env.at(27) && withAuthorizer) {
      lib.authorizer(env.at(28));
      builder.addVar("authorizer.requestResource", RESOURCE_CHECK);
    }
    if (env.at(28)) {
      lib.quantity();
    }
    if (env.at(30)) {
      lib.ip();
      lib.cidr();
      TYPE_IDENTIFIERS.forEach(builder::addVar);
    }
    if (env.at(31)) {
      lib.format();
    }
    if (env.at(33)) {
      lib.semver();
    }
    if (env.at(34)) {
      lib.sort();
      lib.sortByAssociatedKeys();
    }
    if (orValueQuirk && env.at(28)) {
      lib.orValueQuirk();
    }
    List<CelFunctionDecl> decls = new ArrayList<>();
    lib.overloads.forEach((name, list) -> decls.add(CelFunctionDecl.newFunctionDeclaration(name, list)));
    lib.bindings.add(PresenceTests.binding());
    builder.addFunctionDeclarations(decls).addFunctionBindings(lib.bindings);
  }

  private void fn(String name, CelOverloadDecl... decls) {
    overloads.computeIfAbsent(name, n -> new ArrayList<>()).addAll(List.of(decls));
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

  private static CelType typeOf(String name) {
    return switch (name) {
      case "int" -> INT;
      case "uint" -> SimpleType.UINT;
      case "double" -> DOUBLE;
      case "bool" -> BOOL;
      case "duration" -> SimpleType.DURATION;
      case "timestamp" -> SimpleType.TIMESTAMP;
      case "string" -> STRING;
      case "bytes" -> SimpleType.BYTES;
      default -> throw new IllegalArgumentException(name);
    };
  }

  /**
   * The lists extension's {@code sortBy} as cel-go expands it: {@code cel.bind(@__sortBy_input__, list,
   * @__sortBy_input__.@sortByAssociatedKeys(@__sortBy_input__.map(e, key)))}, so that the result is typed
   * {@code list(T)} like the list sorted.
   */
  static final CelMacro SORT_BY = CelMacro.newReceiverMacro("sortBy", 2, KubeLibrary::sortByMacro);

  private static Optional<CelExpr> sortByMacro(CelMacroExprFactory f, CelExpr target, ImmutableList<CelExpr> args) {
    CelExpr variable = args.get(0);
    if (variable.exprKind().getKind() != CelExpr.ExprKind.Kind.IDENT) {
      return Optional.of(f.reportError(CelIssue.formatError(f.getSourceLocation(variable),
          "sortBy(var, ...) variable name must be a simple identifier")));
    }
    String input = "@__sortBy_input__";
    String accu = f.getAccumulatorVarName();
    CelExpr keys = f.fold(variable.ident().name(), f.newIdentifier(input), accu, f.newList(), f.newBoolLiteral(true),
        f.newGlobalCall("_+_", f.newIdentifier(accu), f.newList(args.get(1))), f.newIdentifier(accu));
    CelExpr sorted = f.newReceiverCall("@sortByAssociatedKeys", f.newIdentifier(input), keys);
    return Optional.of(f.fold("#unused", f.newList(), input, target, f.newBoolLiteral(false),
        f.newIdentifier(input), sorted));
  }

  /**
   * The lists extension's {@code sort}, declared as cel-go declares it: {@code list(T).sort()} for each comparable
   * T, so that {@code [[1]].sort()} is a compile error; bound in {@link MeteredFunctions}.
   */
  private void sort() {
    List<CelOverloadDecl> decls = new ArrayList<>();
    for (String t : COMPARABLE) {
      decls.add(member("list_" + t + "_sort", ListType.create(typeOf(t)), ListType.create(typeOf(t))));
    }
    fn("sort", decls.toArray(CelOverloadDecl[]::new));
  }

  /** {@code list(T).@sortByAssociatedKeys(list(U))} for each comparable U; bound in {@link MeteredFunctions}. */
  private void sortByAssociatedKeys() {
    TypeParamType t = TypeParamType.create("T");
    List<CelOverloadDecl> decls = new ArrayList<>();
    for (String u : COMPARABLE) {
      decls.add(member("list_" + u + "_sortByAssociatedKeys", ListType.create(t), ListType.create(t),
          ListType.create(typeOf(u))));
    }
    fn("@sortByAssociatedKeys", decls.toArray(CelOverloadDecl[]::new));
  }

  /**
   * {@code double(string)} and {@code bool(string)} as cel-go parses them (Go's ParseFloat and ParseBool), and
   * {@code string()} of doubles ({@code %g}), durations ({@code 3600s}) and timestamps (RFC 3339) as cel-go writes them;
   * {@code list[index]} with cel-go's errors, which name the index and the list's size; {@code getMilliseconds()} of
   * a duration as cel-go's (the whole duration in milliseconds).
   */
  private void conversions() {
    unary("string_to_double", String.class, KubeFunctions::parseDouble);
    unary("string_to_bool", String.class, KubeFunctions::parseBool);
    unary("double_to_string", Double.class, StringFormat::goG);
    unary("duration_to_string", java.time.Duration.class, StringFormat::string);
    unary("timestamp_to_string", java.time.Instant.class, StringFormat::string);
    binary("index_list", List.class, Object.class, KubeFunctions::index);
    // getMilliseconds() of a duration is all of it in milliseconds (Go's Duration.Milliseconds), as getSeconds()
    // is all of it in seconds; cel-java answered the milliseconds within the second only.
    unary("duration_to_milliseconds", Duration.class, Duration::toMillis);
    // Durations are Go's time.Duration (64 bits of nanoseconds) and timestamps lie in the years 1 to 9999:
    // parsing and arithmetic with cel-go's range and errors (duration overflow, timestamp overflow).
    unary("string_to_duration", String.class, GoTime::parseDuration);
    // base64.decode (encoders extension, when enabled) as cel-go: this binding precedes the extension's own
    unary("base64_decode_string", String.class,
        s -> dev.cel.common.values.CelByteString.of(GoBase64.decode(s)));
    // int(uint) past 2^63 - 1 is cel-go's "integer overflow" (the int it converts to overflows)
    unary("uint64_to_int64", com.google.common.primitives.UnsignedLong.class, u -> {
      if (u.compareTo(com.google.common.primitives.UnsignedLong.valueOf(Long.MAX_VALUE)) > 0) {
        throw new KubeFunctions.Failure("integer overflow");
      }
      return u.longValue();
    });
    unary("int64_to_timestamp", Long.class, GoTime::ofEpochSecond);
    unary("string_to_timestamp", String.class, GoTime::parseTimestamp);
    binary("add_duration_duration", Duration.class, Duration.class, GoTime::add);
    binary("add_timestamp_duration", Instant.class, Duration.class, GoTime::add);
    binary("add_duration_timestamp", Duration.class, Instant.class, (d, t) -> GoTime.add(t, d));
    binary("subtract_duration_duration", Duration.class, Duration.class, GoTime::subtract);
    binary("subtract_timestamp_duration", Instant.class, Duration.class, GoTime::subtract);
    binary("subtract_timestamp_timestamp", Instant.class, Instant.class, GoTime::subtract);
  }

  /** Kubernetes' list library: element-typed overloads, so that {@code ['a'].sum()} is a compile error. */
  private void lists() {
    List<CelOverloadDecl> sorted = new ArrayList<>();
    List<CelOverloadDecl> max = new ArrayList<>();
    List<CelOverloadDecl> min = new ArrayList<>();
    for (String t : COMPARABLE) {
      sorted.add(member("list_" + t + "_is_sorted_bool", BOOL, ListType.create(typeOf(t))));
      max.add(member("list_" + t + "_max_" + t, typeOf(t), ListType.create(typeOf(t))));
      min.add(member("list_" + t + "_min_" + t, typeOf(t), ListType.create(typeOf(t))));
    }
    List<CelOverloadDecl> sum = new ArrayList<>();
    for (String t : SUMMABLE) {
      sum.add(member("list_" + t + "_sum_" + t, typeOf(t), ListType.create(typeOf(t))));
    }
    fn("isSorted", sorted.toArray(CelOverloadDecl[]::new));
    fn("sum", sum.toArray(CelOverloadDecl[]::new));
    fn("max", max.toArray(CelOverloadDecl[]::new));
    fn("min", min.toArray(CelOverloadDecl[]::new));
    TypeParamType a = TypeParamType.create("A");
    fn("indexOf", member("list_a_index_of_int", INT, ListType.create(a), a));
    binary("list_a_index_of_int", List.class, Object.class, (l, x) -> (long) KubeFunctions.indexOf(l, x, false));
    fn("lastIndexOf", member("list_a_last_index_of_int", INT, ListType.create(a), a));
    binary("list_a_last_index_of_int", List.class, Object.class, (l, x) -> (long) KubeFunctions.indexOf(l, x, true));
  }

  Pattern pattern(String regex) {
    Pattern p = patterns.get(regex);
    if (p == null) {
      try {
        p = Pattern.compile(regex);
      } catch (PatternSyntaxException e) {
        throw new KubeFunctions.Failure("Illegal regex: " + GoText.regexpError(e, regex));
      }
      if (patterns.size() < 1000) {
        patterns.put(regex, p);
      }
    }
    return p;
  }

  private void regex() {
    fn("find", member("string_find_string", STRING, STRING, STRING));
    binary("string_find_string", String.class, String.class, (s, re) -> {
      Matcher m = pattern(re).matcher(s);
      return m.find() ? m.group() : "";
    });
    fn("findAll", member("string_find_all_string", LIST_STRING, STRING, STRING),
        member("string_find_all_string_int", LIST_STRING, STRING, STRING, INT));
    binary("string_find_all_string", String.class, String.class, (s, re) -> findAll(s, re, -1));
    bindings.add(CelFunctionBinding.from("string_find_all_string_int", List.of(String.class, String.class, Long.class),
        args -> findAll((String) args[0], (String) args[1], (Long) args[2])));
  }

  /**
   * Go's {@code FindAllString}: successive non-overlapping matches, at most {@code limit} when it is not negative;
   * an empty match right after the previous match is skipped.
   */
  private List<String> findAll(String s, String re, long limit) {
    List<String> out = new ArrayList<>();
    Matcher m = pattern(re).matcher(s);
    int pos = 0;
    int prevMatchEnd = -1;
    while ((limit < 0 || out.size() < limit) && pos <= s.length() && m.find(pos)) {
      boolean accept = true;
      if (m.end() == pos) {
        if (m.start() == prevMatchEnd) {
          accept = false;
        }
        pos += pos < s.length() ? Character.charCount(s.codePointAt(pos)) : 1;
      } else {
        pos = m.end();
      }
      prevMatchEnd = m.end();
      if (accept) {
        out.add(m.group());
      }
    }
    return out;
  }

  private void url() {
    fn("url", global("string_to_url", URL, STRING));
    unary("string_to_url", String.class, GoUrl::parseForCel);
    fn("isURL", global("is_url_string", BOOL, STRING));
    unary("is_url_string", String.class, GoUrl::isRequestUri);
    fn("getScheme", member("url_get_scheme", STRING, URL));
    unary("url_get_scheme", GoUrl.class, GoUrl::scheme);
    fn("getHost", member("url_get_host", STRING, URL));
    unary("url_get_host", GoUrl.class, GoUrl::host);
    fn("getHostname", member("url_get_hostname", STRING, URL));
    unary("url_get_hostname", GoUrl.class, GoUrl::hostname);
    fn("getPort", member("url_get_port", STRING, URL));
    unary("url_get_port", GoUrl.class, GoUrl::port);
    fn("getEscapedPath", member("url_get_escaped_path", STRING, URL));
    unary("url_get_escaped_path", GoUrl.class, GoUrl::escapedPath);
    fn("getQuery", member("url_get_query", MapType.create(STRING, LIST_STRING), URL));
    unary("url_get_query", GoUrl.class, GoUrl::query);
  }

  /** The strings extension's {@code format} (version 1, so Kubernetes 1.29 onwards); bound per evaluation. */
  private void strings(KubeCel.Environment env) {
    // substring as cel-go's strings extension, with its messages (declared by the strings extension).
    binary("string_substring_int", String.class, Long.class, (s, start) -> KubeFunctions.substring(s, start, null));
    bindings.add(CelFunctionBinding.from("string_substring_int_int", List.of(String.class, Long.class, Long.class),
        args -> KubeFunctions.substring((String) args[0], (Long) args[1], (Long) args[2])));
    if (env.at(29)) {
      fn("format", member("string_format", STRING, STRING, LIST_DYN));
    }
  }

  private void quantity() {
    fn("quantity", global("string_to_quantity", QUANTITY, STRING));
    unary("string_to_quantity", String.class, s -> KubeFunctions.call(() -> Quantity.parse(s)));
    fn("isQuantity", global("is_quantity_string", BOOL, STRING));
    unary("is_quantity_string", String.class, Quantity::isValid);
    fn("sign", member("quantity_sign", INT, QUANTITY));
    unary("quantity_sign", Quantity.class, Quantity::sign);
    fn("isGreaterThan", member("quantity_is_greater_than", BOOL, QUANTITY, QUANTITY));
    binary("quantity_is_greater_than", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) > 0);
    fn("isLessThan", member("quantity_is_less_than", BOOL, QUANTITY, QUANTITY));
    binary("quantity_is_less_than", Quantity.class, Quantity.class, (a, b) -> a.compareTo(b) < 0);
    fn("compareTo", member("quantity_compare_to", INT, QUANTITY, QUANTITY));
    binary("quantity_compare_to", Quantity.class, Quantity.class, (a, b) -> (long) Integer.signum(a.compareTo(b)));
    fn("add", member("quantity_add", QUANTITY, QUANTITY, QUANTITY), member("quantity_add_int", QUANTITY, QUANTITY, INT));
    binary("quantity_add", Quantity.class, Quantity.class, Quantity::add);
    binary("quantity_add_int", Quantity.class, Long.class, (a, b) -> a.add(Quantity.of(b)));
    fn("sub", member("quantity_sub", QUANTITY, QUANTITY, QUANTITY), member("quantity_sub_int", QUANTITY, QUANTITY, INT));
    binary("quantity_sub", Quantity.class, Quantity.class, Quantity::subtract);
    binary("quantity_sub_int", Quantity.class, Long.class, (a, b) -> a.subtract(Quantity.of(b)));
    fn("asInteger", member("quantity_get_integer", INT, QUANTITY));
    unary("quantity_get_integer", Quantity.class, q -> KubeFunctions.call(q::asInteger));
    fn("isInteger", member("quantity_is_integer", BOOL, QUANTITY));
    unary("quantity_is_integer", Quantity.class, Quantity::isInteger);
    fn("asApproximateFloat", member("quantity_get_float", DOUBLE, QUANTITY));
    unary("quantity_get_float", Quantity.class, Quantity::asApproximateFloat);
  }

  private void ip() {
    fn("ip", global("string_to_ip", IP, STRING), member("cidr_ip", IP, CIDR));
    unary("string_to_ip", String.class, s -> KubeFunctions.call(() -> IpAddress.parse(s)));
    fn("isIP", global("is_ip", BOOL, STRING));
    unary("is_ip", String.class, IpAddress::isValid);
    fn("ip.isCanonical", global("ip_is_canonical", BOOL, STRING));
    unary("ip_is_canonical", String.class, s -> KubeFunctions.call(() -> IpAddress.parse(s).toString().equals(s)));
    fn("family", member("ip_family", INT, IP));
    unary("ip_family", IpAddress.class, IpAddress::family);
    fn("isUnspecified", member("ip_is_unspecified", BOOL, IP));
    unary("ip_is_unspecified", IpAddress.class, IpAddress::isUnspecified);
    fn("isLoopback", member("ip_is_loopback", BOOL, IP));
    unary("ip_is_loopback", IpAddress.class, IpAddress::isLoopback);
    fn("isLinkLocalMulticast", member("ip_is_link_local_multicast", BOOL, IP));
    unary("ip_is_link_local_multicast", IpAddress.class, IpAddress::isLinkLocalMulticast);
    fn("isLinkLocalUnicast", member("ip_is_link_local_unicast", BOOL, IP));
    unary("ip_is_link_local_unicast", IpAddress.class, IpAddress::isLinkLocalUnicast);
    fn("isGlobalUnicast", member("ip_is_global_unicast", BOOL, IP));
    unary("ip_is_global_unicast", IpAddress.class, IpAddress::isGlobalUnicast);
    fn("string", global("ip_to_string", STRING, IP), global("cidr_to_string", STRING, CIDR));
    unary("ip_to_string", IpAddress.class, IpAddress::toString);
    unary("cidr_to_string", Cidr.class, Cidr::toString);
  }

  private void cidr() {
    fn("cidr", global("string_to_cidr", CIDR, STRING));
    unary("string_to_cidr", String.class, s -> KubeFunctions.call(() -> Cidr.parse(s)));
    unary("cidr_ip", Cidr.class, Cidr::ip);
    fn("isCIDR", global("is_cidr", BOOL, STRING));
    unary("is_cidr", String.class, Cidr::isValid);
    fn("containsIP", member("cidr_contains_ip_string", BOOL, CIDR, STRING),
        member("cidr_contains_ip_ip", BOOL, CIDR, IP));
    binary("cidr_contains_ip_ip", Cidr.class, IpAddress.class, Cidr::contains);
    binary("cidr_contains_ip_string", Cidr.class, String.class,
        (c, s) -> KubeFunctions.call(() -> c.contains(IpAddress.parse(s))));
    fn("containsCIDR", member("cidr_contains_cidr_string", BOOL, CIDR, STRING),
        member("cidr_contains_cidr", BOOL, CIDR, CIDR));
    binary("cidr_contains_cidr", Cidr.class, Cidr.class, Cidr::contains);
    binary("cidr_contains_cidr_string", Cidr.class, String.class,
        (c, s) -> KubeFunctions.call(() -> c.contains(Cidr.parse(s))));
    fn("masked", member("cidr_masked", CIDR, CIDR));
    unary("cidr_masked", Cidr.class, Cidr::masked);
    fn("prefixLength", member("cidr_prefix_length", INT, CIDR));
    unary("cidr_prefix_length", Cidr.class, c -> (long) c.prefixLength());
  }

  private void format() {
    for (String name : NamedFormat.ALL.keySet()) {
      String id = "format-" + name;
      fn("format." + name, global(id, FORMAT));
      NamedFormat f = NamedFormat.ALL.get(name);
      bindings.add(CelFunctionBinding.from(id, List.of(), args -> f));
    }
    fn("format.named", global("format-named", OptionalType.create(FORMAT), STRING));
    unary("format-named", String.class, n -> Optional.ofNullable(NamedFormat.ALL.get(n)));
    fn("validate", member("format-validate", OptionalType.create(LIST_STRING), FORMAT, STRING));
    binary("format-validate", NamedFormat.class, String.class, (f, s) -> {
      List<String> errors = f.validate(s);
      return errors.isEmpty() ? Optional.empty() : Optional.of(errors);
    });
  }

  private void semver() {
    fn("semver", global("string_to_semver", SEMVER, STRING), global("string_bool_to_semver", SEMVER, STRING, BOOL));
    unary("string_to_semver", String.class, s -> KubeFunctions.call(() -> Semver.parse(s)));
    binary("string_bool_to_semver", String.class, Boolean.class,
        (s, n) -> KubeFunctions.call(() -> n ? Semver.parseNormalized(s) : Semver.parse(s)));
    fn("isSemver", global("is_semver_string", BOOL, STRING), global("is_semver_string_bool", BOOL, STRING, BOOL));
    unary("is_semver_string", String.class, s -> Semver.isValid(s, false));
    binary("is_semver_string_bool", String.class, Boolean.class, Semver::isValid);
    fn("major", member("semver_major", INT, SEMVER));
    unary("semver_major", Semver.class, Semver::major);
    fn("minor", member("semver_minor", INT, SEMVER));
    unary("semver_minor", Semver.class, Semver::minor);
    fn("patch", member("semver_patch", INT, SEMVER));
    unary("semver_patch", Semver.class, Semver::patch);
    fn("isGreaterThan", member("semver_is_greater_than", BOOL, SEMVER, SEMVER));
    fn("isLessThan", member("semver_is_less_than", BOOL, SEMVER, SEMVER));
    fn("compareTo", member("semver_compare_to", INT, SEMVER, SEMVER));
    binary("semver_is_greater_than", Semver.class, Semver.class, (a, b) -> a.compareTo(b) > 0);
    binary("semver_is_less_than", Semver.class, Semver.class, (a, b) -> a.compareTo(b) < 0);
    binary("semver_compare_to", Semver.class, Semver.class, (a, b) -> (long) Integer.signum(a.compareTo(b)));
  }

  /**
   * The authorizer library: {@code errored()} and {@code error()} of a decision came with Kubernetes 1.28
   * ({@code withErrors}), the rest with 1.27.
   */
  private void authorizer(boolean withErrors) {
    fn("path", member("authorizer_path", PATH_CHECK, AUTHORIZER, STRING));
    binary("authorizer_path", AuthorizerValues.Value.class, String.class, AuthorizerValues.PathCheck::new);
    fn("group", member("authorizer_group", GROUP_CHECK, AUTHORIZER, STRING));
    binary("authorizer_group", AuthorizerValues.Value.class, String.class, AuthorizerValues.GroupCheck::new);
    fn("serviceAccount", member("authorizer_serviceaccount", AUTHORIZER, AUTHORIZER, STRING, STRING));
    bindings.add(CelFunctionBinding.from("authorizer_serviceaccount",
        List.of(AuthorizerValues.Value.class, String.class, String.class),
        args -> ((AuthorizerValues.Value) args[0]).serviceAccount((String) args[1], (String) args[2])));
    fn("resource", member("groupcheck_resource", RESOURCE_CHECK, GROUP_CHECK, STRING));
    binary("groupcheck_resource", AuthorizerValues.GroupCheck.class, String.class,
        (g, r) -> new AuthorizerValues.ResourceCheck(g.authz(), g.group(), r, "", "", ""));
    fn("subresource", member("resourcecheck_subresource", RESOURCE_CHECK, RESOURCE_CHECK, STRING));
    binary("resourcecheck_subresource", AuthorizerValues.ResourceCheck.class, String.class,
        AuthorizerValues.ResourceCheck::withSubresource);
    fn("namespace", member("resourcecheck_namespace", RESOURCE_CHECK, RESOURCE_CHECK, STRING));
    binary("resourcecheck_namespace", AuthorizerValues.ResourceCheck.class, String.class,
        AuthorizerValues.ResourceCheck::withNamespace);
    fn("name", member("resourcecheck_name", RESOURCE_CHECK, RESOURCE_CHECK, STRING));
    binary("resourcecheck_name", AuthorizerValues.ResourceCheck.class, String.class,
        AuthorizerValues.ResourceCheck::withName);
    fn("check", member("pathcheck_check", AUTHZ_DECISION, PATH_CHECK, STRING),
        member("resourcecheck_check", AUTHZ_DECISION, RESOURCE_CHECK, STRING));
    binary("pathcheck_check", AuthorizerValues.PathCheck.class, String.class,
        (p, verb) -> p.authz().check(new Authorizer.Check(verb, null, null, null, null, null, p.path())));
    binary("resourcecheck_check", AuthorizerValues.ResourceCheck.class, String.class,
        (r, verb) -> r.authz().check(new Authorizer.Check(verb, r.group(), r.resource(), r.subresource(),
            r.namespace(), r.name(), null)));
    fn("allowed", member("decision_allowed", BOOL, AUTHZ_DECISION));
    unary("decision_allowed", AuthorizerValues.Decision.class, AuthorizerValues.Decision::allowed);
    fn("reason", member("decision_reason", STRING, AUTHZ_DECISION));
    unary("decision_reason", AuthorizerValues.Decision.class, AuthorizerValues.Decision::reason);
    if (withErrors) {
      fn("errored", member("decision_errored", BOOL, AUTHZ_DECISION));
      unary("decision_errored", AuthorizerValues.Decision.class, d -> d.error() != null);
      fn("error", member("decision_error", STRING, AUTHZ_DECISION));
      unary("decision_error", AuthorizerValues.Decision.class, d -> d.error() == null ? "" : d.error());
    }
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
