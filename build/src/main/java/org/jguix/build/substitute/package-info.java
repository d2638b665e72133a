/**
 * Guix's substituter, driven as guix-daemon drives it: the per-connection {@code guix substitute
 * --query} agent ({@link org.jguix.build.substitute.QueryAgent}) and the build's {@code guix substitute
 * --substitute} agents ({@link org.jguix.build.substitute.SubstituteAgent}), both started with fd 4 as
 * their reply pipe ({@link org.jguix.build.substitute.AgentProcess}); the substitution goal itself is in
 * {@code org.jguix.build.run}. The helper fetches, checks signatures against the ACL and unpacks; the
 * daemon only locks, asks and registers.
 */
package org.jguix.build.substitute;
