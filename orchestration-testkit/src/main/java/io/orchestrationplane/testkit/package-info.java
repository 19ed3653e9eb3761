/** Test support for teams that embed the plane: fixtures, fakes and assertions. */
package io.orchestrationplane.testkit;
