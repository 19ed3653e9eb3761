package io.orchestrationplane.samples.progressive;

/** Runs {@link WaveRolloutDemo}: {@code mvn -B -q -pl samples/progressive-delivery -am compile exec:java}. */
public final class WavesMain {
  private WavesMain() {}

  public static void main(String[] args) {
    WaveRolloutDemo.run(System.out);
  }
}
