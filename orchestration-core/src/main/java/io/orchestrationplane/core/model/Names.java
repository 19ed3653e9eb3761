package io.orchestrationplane.core.model;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Kubernetes naming rules (RFC 1123 labels and subdomains, label keys and values), returning a
 * message that says what is wrong, or {@code null} when the name is valid.
 */
public final class Names {
  private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern LABEL_NAME = Pattern.compile("([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]");

  private Names() {}

  /** RFC 1123 label: at most 63 lower-case letters, digits and '-', starting and ending alphanumeric. */
  public static @Nullable String dnsLabelProblem(@Nullable String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty";
    }
    if (name.length() > 63) {
      return "'" + name + "' is longer than 63 characters (" + name.length() + ")";
    }
    if (!DNS_LABEL.matcher(name).matches()) {
      return "'" + name + "' is not a valid RFC 1123 name: use lower-case letters, digits and '-', "
          + "starting and ending with a letter or digit";
    }
    return null;
  }

  /** RFC 1123 subdomain: at most 253 characters of dot-separated labels. */
  public static @Nullable String dnsSubdomainProblem(String name) {
    if (name == null || name.isEmpty()) {
      return "must not be empty";
    }
    if (name.length() > 253) {
      return "'" + name + "' is longer than 253 characters";
    }
    if (!DNS_SUBDOMAIN.matcher(name).matches()) {
      return "'" + name + "' is not a valid RFC 1123 subdomain: use lower-case letters, digits, '-' and '.'";
    }
    return null;
  }

  /** A label key ({@code [prefix/]name}) and value. */
  public static @Nullable String labelProblem(String key, String value) {
    String name = key;
    int slash = key.indexOf('/');
    if (slash >= 0) {
      String prefixProblem = dnsSubdomainProblem(key.substring(0, slash));
      if (prefixProblem != null) {
        return "label key prefix " + prefixProblem;
      }
      name = key.substring(slash + 1);
    }
    if (name.isEmpty() || name.length() > 63 || !LABEL_NAME.matcher(name).matches()) {
      return "label key '" + key + "' is not valid: the name part must be 1-63 letters, digits, '-', '_' or '.', "
          + "starting and ending alphanumeric";
    }
    if (value != null && !value.isEmpty() && (value.length() > 63 || !LABEL_NAME.matcher(value).matches())) {
      return "label value '" + value + "' is not valid: at most 63 letters, digits, '-', '_' or '.', "
          + "starting and ending alphanumeric";
    }
    return null;
  }
}
