package io.orchestrationplane.core.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ForwardingClusterDriverTest {
  /** A method added to ClusterDriver later, default or not, must be forwarded too. */
  @Test
  void forwardsEveryMethodOfTheDriverContract() throws Exception {
    List<String> notForwarded = Arrays.stream(ClusterDriver.class.getMethods())
        .filter(m -> !Modifier.isStatic(m.getModifiers()))
        .filter(m -> !declares(m))
        .map(Method::toString)
        .toList();
    assertThat(notForwarded).isEmpty();
  }

  private static boolean declares(Method m) {
    try {
      ForwardingClusterDriver.class.getDeclaredMethod(m.getName(), m.getParameterTypes());
      return true;
    } catch (NoSuchMethodException e) {
      return false;
    }
  }
}
