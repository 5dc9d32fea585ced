package org.ocpihub.registry.platform;

import org.ocpihub.registry.secret.Secret;

/** The authenticated platform behind a request, the token it presented and what kind that token is. */
public record Caller(Platform platform, TokenKind tokenKind, Secret presentedToken) {

    public boolean registered() {
        return tokenKind == TokenKind.REGISTERED;
    }
}
