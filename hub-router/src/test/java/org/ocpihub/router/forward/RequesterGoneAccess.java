package org.ocpihub.router.forward;

import reactor.netty.channel.AbortedException;

/** Test access to a {@link RequesterGone} as the forwarder makes it. */
public final class RequesterGoneAccess {

    private RequesterGoneAccess() {
    }

    public static Throwable gone() {
        return RequesterGone.wrap(new AbortedException("Connection has been closed"));
    }
}
