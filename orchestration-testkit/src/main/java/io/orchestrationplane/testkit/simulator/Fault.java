package io.orchestrationplane.testkit.simulator;

/**
 * A scripted failure for the pods of one workload or of one image, set with
 * {@link WorkloadSimulator#fail} or {@link WorkloadSimulator#failImage}. A pod takes its fault
 * when the simulator first sees it, so fixing the cause (a new image, a cleared fault) heals new
 * pods only, as in a real cluster.
 */
public enum Fault {
  /**
   * The image cannot be pulled: the container waits with {@code ImagePullBackOff} and the pod
   * stays Pending. Pod health: DEGRADED; the workload's rollout stalls until its deadline.
   */
  IMAGE_PULL_ERROR,
  /**
   * The container exits with code 1 shortly after it starts and the kubelet backs off restarting
   * it ({@code CrashLoopBackOff}, restartCount growing, lastState terminated with reason Error).
   * With restartPolicy Never or OnFailure the pod fails instead.
   */
  CRASH_LOOP,
  /** The container runs but never passes readiness; the pod stays Running and not ready. */
  NEVER_READY,
  /**
   * The container exits with code 1 after the job run time: a Job's pods fail until the Job
   * exceeds its {@code backoffLimit} and gets the condition Failed / BackoffLimitExceeded.
   */
  JOB_FAILURE,
  /**
   * The pods are never scheduled ({@code PodScheduled False / Unschedulable}, "Insufficient
   * cpu"), so a Deployment makes no progress and, after {@code progressDeadlineSeconds}
   * (default 600), gets Progressing False / {@code ProgressDeadlineExceeded}.
   */
  PROGRESS_DEADLINE_EXCEEDED
}
