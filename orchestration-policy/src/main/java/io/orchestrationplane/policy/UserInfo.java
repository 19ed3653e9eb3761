package io.orchestrationplane.policy;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/** The requesting user, as {@code request.userInfo} shows it to CEL. */
public record UserInfo(String username, String uid, List<String> groups, Map<String, List<String>> extra) {
  /** A cluster administrator ({@code kubernetes-admin} in {@code system:masters}). */
  public static final UserInfo CLUSTER_ADMIN =
      new UserInfo("kubernetes-admin", "", List.of("system:masters", "system:authenticated"), Map.of());

  public UserInfo {
    Objects.requireNonNull(username, "username");
    uid = uid == null ? "" : uid;
    groups = List.copyOf(groups == null ? List.of() : groups);
    extra = Map.copyOf(extra == null ? Map.of() : extra);
  }
}
