/** What users implement for the policy engine: the {@code authorizer} answering CEL checks, and params lookup. */
package io.orchestrationplane.policy.spi;
