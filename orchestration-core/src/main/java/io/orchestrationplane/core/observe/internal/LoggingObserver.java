package io.orchestrationplane.core.observe.internal;

import io.orchestrationplane.core.observe.PlaneEvent;
import io.orchestrationplane.core.observe.PlaneObserver;
import io.orchestrationplane.core.observe.PlaneRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The plane's logging as one observer among others. Stateless and thread-safe. */
public final class LoggingObserver implements PlaneObserver {
  public static final LoggingObserver INSTANCE = new LoggingObserver();
  private static final Logger LOG = LoggerFactory.getLogger("io.orchestrationplane.core.observe");

  private LoggingObserver() {}

  @Override
  public void observe(PlaneRecord record) {
    if (record instanceof PlaneRecord.Written w) {
      if (w.result().isFailure()) {
        LOG.warn("application {}: {}", w.application(), w.result().describe());
      } else {
        LOG.debug("application {}: {} {} (cluster {}) for {}", w.application(), w.result().describe(),
            w.key().display(), w.key().cluster(), w.subject());
      }
    } else if (record instanceof PlaneRecord.Denied d) {
      LOG.warn("application {}: admission denied for {}: {}", d.application(), d.subject(), d.violations());
    } else if (record instanceof PlaneRecord.Refused r) {
      LOG.warn("application {}: {} refused for {} ({}): {}", r.application(), r.action(), r.subject(), r.resource(),
          r.reason());
    } else if (record instanceof PlaneRecord.Approval a) {
      LOG.info("application {}: {} {} release {}{}{}", a.application(), a.subject(),
          switch (a.decision()) {
            case APPROVED -> "approved step " + a.step() + " of";
            case REJECTED -> "rejected step " + a.step() + " of";
            case OVERRIDE -> "approved overriding the change windows of " + a.environment() + " for";
          }, a.release(), a.comment().isEmpty() ? "" : ": ", a.comment());
    } else if (record instanceof PlaneRecord.StepFinished f) {
      LOG.debug("application {}: {} step {}{} {} after {} ({} attempt{})", f.application(), f.stepType(), f.step(),
          f.environment().isEmpty() ? "" : " (" + f.environment() + ")", f.outcome(), f.duration(), f.attempts(),
          f.attempts() == 1 ? "" : "s");
    } else if (record instanceof PlaneRecord.Executed e) {
      if (e.result().writes() > 0) {
        LOG.debug("application {}: {} writes for {}{}", e.application(), e.result().writes(), e.subject(),
            e.result().succeeded() ? "" : ", failed: " + e.result().failure().map(o -> o.message()).orElse(""));
      }
    } else if (record instanceof PlaneRecord.Planned p) {
      LOG.debug("application {}: planned for {}: {}", p.application(), p.subject(), p.plan().summary());
    } else if (record instanceof PlaneEvent event) {
      LOG.debug("{}", event);
    }
  }

  @Override
  public String toString() {
    return "PlaneObserver.logging()";
  }
}
