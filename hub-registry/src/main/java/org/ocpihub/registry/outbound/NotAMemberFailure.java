package org.ocpihub.registry.outbound;

/**
 * Marks a failure of a call to a member platform that says nothing about the platform's health: the requester hung
 * up, the hub refused the requester's body, the member answered but refused the request (an OCPI client error).
 * {@link MemberFailures#isFailure(Throwable)} finds it anywhere in a cause chain.
 */
public interface NotAMemberFailure {
}
