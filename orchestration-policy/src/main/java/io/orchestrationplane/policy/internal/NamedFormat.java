package io.orchestrationplane.policy.internal;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One named string format of Kubernetes' CEL {@code format} library ({@code kubernetes.NamedFormat} in CEL):
 * the apimachinery validators ({@code IsDNS1123Label}, {@code NameIsDNSSubdomain} with its trailing-dash
 * masking, {@code IsQualifiedName}, {@code IsValidLabelValue}) and the OpenAPI ones of go-openapi/strfmt
 * ({@code uuid}, {@code byte}, {@code date}, {@code datetime}) and {@code url.ParseRequestURI} ({@code uri}), with
 * their messages. {@link #validate} lists the errors.
 *
 * @param maxRegexSize Kubernetes' cost estimate of the format's regular expression
 */
public record NamedFormat(String name, Function<String, List<String>> validator, int maxRegexSize) {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String SUBDOMAIN = LABEL + "(\\." + LABEL + ")*";
  private static final String DNS1035 = "[a-z]([-a-z0-9]*[a-z0-9])?";
  private static final String QUALIFIED = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final String LABEL_VALUE = "(" + QUALIFIED + ")?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(SUBDOMAIN);
  private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035);
  private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED);
  private static final Pattern LABEL_VALUE_PATTERN = Pattern.compile(LABEL_VALUE);
  private static final String UUID_PATTERN =
      "(?i)(^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$)|(^[0-9a-f]{32}$)";
  private static final Pattern UUID = Pattern.compile(UUID_PATTERN);
  private static final String DATE_TIME_PATTERN =
      "^([0-9]{2}):([0-9]{2}):([0-9]{2})(.[0-9]+)?(z|([+-][0-9]{2}:[0-9]{2}))$";
  private static final Pattern DATE_TIME = Pattern.compile(DATE_TIME_PATTERN);
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** Every format, by the name {@code format.named(name)} takes. */
  public static final Map<String, NamedFormat> ALL = Map.ofEntries(
      entry("dns1123Label", s -> dns1123Label(s), 30),
      entry("dns1123Subdomain", s -> dns1123Subdomain(s), 60),
      entry("dns1035Label", s -> dns1035Label(s), 30),
      entry("qualifiedName", NamedFormat::qualifiedName, 60),
      entry("dns1123LabelPrefix", s -> dns1123Label(maskTrailingDash(s)), 30),
      entry("dns1123SubdomainPrefix", s -> dns1123Subdomain(maskTrailingDash(s)), 60),
      entry("dns1035LabelPrefix", s -> dns1035Label(maskTrailingDash(s)), 30),
      entry("labelValue", NamedFormat::labelValue, 40),
      entry("uri", s -> {
        String error = GoUrl.requestUriError(s);
        return error == null ? List.of() : List.of(error);
      }, 1000),
      entry("uuid", s -> UUID.matcher(s).find() ? List.of() : List.of("does not match the UUID format"),
          UUID_PATTERN.length()),
      entry("byte", s -> isBase64(s) ? List.of() : List.of("invalid base64"), 100),
      entry("date", s -> isDate(s) ? List.of() : List.of("invalid date"), 10),
      entry("datetime", s -> isDateTime(s) ? List.of() : List.of("invalid datetime"), DATE_TIME_PATTERN.length()));

  private static Map.Entry<String, NamedFormat> entry(String name, Function<String, List<String>> v, int size) {
    return Map.entry(name, new NamedFormat(name, v, size));
  }

  /** The errors of {@code value}; empty when valid. */
  public List<String> validate(String value) {
    return validator.apply(value);
  }

  /**
   * apimachinery's {@code maskTrailingDash}, which the {@code *Prefix} formats apply: a trailing dash and the
   * character before it become "a" (a name prefix may end in a dash, a generated suffix follows).
   */
  private static String maskTrailingDash(String s) {
    if (s.length() > 1 && s.endsWith("-")) {
      return s.substring(0, s.length() - 2) + "a";
    }
    return s;
  }

  private static String regexError(String msg, String fmt, String... examples) {
    StringBuilder out = new StringBuilder(msg);
    if (examples.length == 0) {
      return out.append(" (regex used for validation is '").append(fmt).append("')").toString();
    }
    out.append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        out.append(" or ");
      }
      out.append('\'').append(examples[i]).append("', ");
    }
    return out.append("regex used for validation is '").append(fmt).append("')").toString();
  }

  private static String maxLen(int n) {
    return "must be no more than " + n + " characters";
  }

  private static List<String> dns1123Label(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 63) {
      errs.add(maxLen(63));
    }
    if (!DNS1123_LABEL.matcher(s).matches()) {
      if (DNS1123_SUBDOMAIN.matcher(s).matches()) {
        errs.add("must not contain dots");
      } else {
        errs.add(regexError("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', "
            + "and must start and end with an alphanumeric character", LABEL, "my-name", "123-abc"));
      }
    }
    return errs;
  }

  private static List<String> dns1123Subdomain(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 253) {
      errs.add(maxLen(253));
    }
    if (!DNS1123_SUBDOMAIN.matcher(s).matches()) {
      errs.add(regexError("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' "
          + "or '.', and must start and end with an alphanumeric character", SUBDOMAIN, "example.com"));
    }
    return errs;
  }

  private static List<String> dns1035Label(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 63) {
      errs.add(maxLen(63));
    }
    if (!DNS1035_LABEL.matcher(s).matches()) {
      errs.add(regexError("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with "
          + "an alphabetic character, and end with an alphanumeric character", DNS1035, "my-name", "abc-123"));
    }
    return errs;
  }

  private static final String QUALIFIED_MSG = "must consist of alphanumeric characters, '-', '_' or '.', and must "
      + "start and end with an alphanumeric character";

  private static List<String> qualifiedName(String s) {
    List<String> errs = new ArrayList<>();
    String[] parts = s.split("/", -1);
    String name;
    if (parts.length == 1) {
      name = parts[0];
    } else if (parts.length == 2) {
      if (parts[0].isEmpty()) {
        errs.add("prefix part must be non-empty");
      } else {
        dns1123Subdomain(parts[0]).forEach(e -> errs.add("prefix part " + e));
      }
      name = parts[1];
    } else {
      errs.add("a qualified name " + regexError(QUALIFIED_MSG, QUALIFIED, "MyName", "my.name", "123-abc")
          + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part " + maxLen(63));
    }
    if (!QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part " + regexError(QUALIFIED_MSG, QUALIFIED, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  private static List<String> labelValue(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 63) {
      errs.add(maxLen(63));
    }
    if (!LABEL_VALUE_PATTERN.matcher(s).matches()) {
      errs.add(regexError("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or "
          + "'.', and must start and end with an alphanumeric character", LABEL_VALUE, "MyValue", "my_value",
          "12345"));
    }
    return errs;
  }

  /** Go's {@code base64.StdEncoding.DecodeString}: padding required; CR and LF are skipped. */
  static boolean isBase64(String s) {
    String t = s.replace("\r", "").replace("\n", "");
    if (t.length() % 4 != 0) {
      return false;
    }
    int pad = t.endsWith("==") ? 2 : t.endsWith("=") ? 1 : 0;
    for (int i = 0; i < t.length() - pad; i++) {
      char c = t.charAt(i);
      if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /** strfmt's {@code IsDate}: Go's {@code time.Parse("2006-01-02", s)}. */
  static boolean isDate(String s) {
    if (!DATE.matcher(s).matches()) {
      return false;
    }
    try {
      LocalDate.of(Integer.parseInt(s.substring(0, 4)), Integer.parseInt(s.substring(5, 7)),
          Integer.parseInt(s.substring(8, 10)));
      return true;
    } catch (DateTimeException e) {
      return false;
    }
  }

  /** strfmt's {@code IsDateTime}: a date, 't' (any case), then time and zone as its pattern says. */
  static boolean isDateTime(String s) {
    if (s.length() < 4) {
      return false;
    }
    String[] parts = s.toLowerCase(java.util.Locale.ROOT).split("t", -1);
    if (parts.length < 2 || !isDate(parts[0])) {
      return false;
    }
    Matcher m = DATE_TIME.matcher(parts[1]);
    if (!m.find()) {
      return false;
    }
    return m.group(1).compareTo("23") <= 0 && m.group(2).compareTo("59") <= 0 && m.group(3).compareTo("59") <= 0;
  }

  @Override public String toString() {
    return name;
  }
}
