package org.ocpihub.router.pipeline;

/** Sees a copy of a (small) receiver answer after it was relayed, e.g. a CommandResponse and its timeout. */
@FunctionalInterface
public interface ResponseTap {

    ResponseTap NONE = (status, body) -> { };

    void seen(int httpStatus, byte[] body);
}
