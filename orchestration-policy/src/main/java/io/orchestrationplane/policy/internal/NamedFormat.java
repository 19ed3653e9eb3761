package io.orchestrationplane.policy.internal;

import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** One named string format of Kubernetes' CEL {@code format} library; {@link #validate} lists the errors. */
public record NamedFormat(String name, Function<String, List<String>> validator) {
  private static final String LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final Pattern DNS1123_LABEL = Pattern.compile(LABEL);
  private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(LABEL + "(\\." + LABEL + ")*");
  private static final Pattern DNS1035_LABEL = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern QUALIFIED_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");
  private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
  private static final Pattern UUID = Pattern.compile(
      "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

  /** Every format, by the name {@code format.named(name)} takes. */
  public static final Map<String, NamedFormat> ALL = Map.ofEntries(
      entry("dns1123Label", NamedFormat::dns1123Label),
      entry("dns1123Subdomain", NamedFormat::dns1123Subdomain),
      entry("dns1035Label", NamedFormat::dns1035Label),
      entry("qualifiedName", NamedFormat::qualifiedName),
      entry("dns1123LabelPrefix", s -> dns1123Label(stripDash(s))),
      entry("dns1123SubdomainPrefix", s -> dns1123Subdomain(stripDash(s))),
      entry("dns1035LabelPrefix", s -> dns1035Label(stripDash(s))),
      entry("labelValue", NamedFormat::labelValue),
      entry("uri", s -> KubeUrl.isValid(s) ? List.of() : List.of("invalid URI")),
      entry("uuid", s -> UUID.matcher(s).matches() ? List.of() : List.of("does not match the UUID format")),
      entry("byte", NamedFormat::base64),
      entry("date", NamedFormat::date),
      entry("datetime", NamedFormat::dateTime));

  private static Map.Entry<String, NamedFormat> entry(String name, Function<String, List<String>> v) {
    return Map.entry(name, new NamedFormat(name, v));
  }

  /** The errors of {@code value}; empty when valid. */
  public List<String> validate(String value) {
    return validator.apply(value);
  }

  private static String stripDash(String s) {
    return s.endsWith("-") ? s.substring(0, s.length() - 1) : s;
  }

  private static List<String> dns1123Label(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS1123_LABEL.matcher(s).matches()) {
      errs.add("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
          + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for "
          + "validation is '" + LABEL + "')");
    }
    return errs;
  }

  private static List<String> dns1123Subdomain(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 253) {
      errs.add("must be no more than 253 characters");
    }
    if (!DNS1123_SUBDOMAIN.matcher(s).matches()) {
      errs.add("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
          + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for "
          + "validation is '" + LABEL + "(\\." + LABEL + ")*')");
    }
    return errs;
  }

  private static List<String> dns1035Label(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!DNS1035_LABEL.matcher(s).matches()) {
      errs.add("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an "
          + "alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex "
          + "used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }
    return errs;
  }

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
      errs.add("a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end "
          + "with an alphanumeric character, with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (name.length() > 63) {
      errs.add("name part must be no more than 63 characters");
    }
    if (!name.isEmpty() && !QUALIFIED_NAME.matcher(name).matches()) {
      errs.add("name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
          + "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc')");
    }
    return errs;
  }

  private static List<String> labelValue(String s) {
    List<String> errs = new ArrayList<>();
    if (s.length() > 63) {
      errs.add("must be no more than 63 characters");
    }
    if (!LABEL_VALUE.matcher(s).matches()) {
      errs.add("a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', "
          + "and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345')");
    }
    return errs;
  }

  private static List<String> base64(String s) {
    try {
      Base64.getDecoder().decode(s);
      return List.of();
    } catch (IllegalArgumentException e) {
      return List.of("invalid base64");
    }
  }

  private static List<String> date(String s) {
    try {
      LocalDate.parse(s);
      return List.of();
    } catch (DateTimeParseException e) {
      return List.of("invalid date");
    }
  }

  private static List<String> dateTime(String s) {
    try {
      OffsetDateTime.parse(s);
      return List.of();
    } catch (DateTimeParseException e) {
      return List.of("invalid datetime");
    }
  }
}
