package io.orchestrationplane.k8s;

import io.orchestrationplane.core.resource.GroupKind;
import io.orchestrationplane.core.resource.Resource;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code Application} custom resource definition of operator mode
 * ({@code orchestrationplane.io/v1alpha1}, namespaced, with a status subresource), shipped in
 * this module as {@code io/orchestrationplane/k8s/applications.orchestrationplane.io.yaml}.
 *
 * <pre>{@code
 * cluster.apply(ApplicationCrd.definition()); // install it, then create Application objects
 * }</pre>
 */
public final class ApplicationCrd {
  public static final String GROUP = "orchestrationplane.io";
  public static final String VERSION = "v1alpha1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
  public static final String KIND = "Application";
  public static final String PLURAL = "applications";
  public static final GroupKind GROUP_KIND = new GroupKind(GROUP, KIND);

  private static final String PATH = "/io/orchestrationplane/k8s/applications.orchestrationplane.io.yaml";

  private ApplicationCrd() {}

  /** The CustomResourceDefinition object, ready to apply. */
  public static Resource definition() {
    try (InputStream in = ApplicationCrd.class.getResourceAsStream(PATH)) {
      if (in == null) {
        throw new IllegalStateException("classpath resource " + PATH + " is missing from orchestration-k8s");
      }
      return Resource.fromYaml(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + PATH, e);
    }
  }

  /** The YAML text of the definition, e.g. to print for {@code kubectl apply -f -}. */
  public static String yaml() {
    return definition().toYaml();
  }
}
