package org.ocpihub.registry.secret;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;

import io.netty.resolver.AbstractAddressResolver;
import io.netty.resolver.AddressResolver;
import io.netty.resolver.AddressResolverGroup;
import io.netty.util.concurrent.EventExecutor;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;

/**
 * The address resolver every Reactor Netty client of the hub uses ({@code HttpClient.resolver(...)}): it resolves
 * through the client's usual (non-blocking) resolver, then refuses the connection when
 * {@link EndpointUrlPolicy#refusalAt} refuses any resolved address, so a name that passed the URL check but now
 * resolves to an internal address (DNS rebinding) is never connected to. IP literals arrive already resolved and
 * Netty would connect to them without asking a resolver, so this resolver declares no address resolved: literals go
 * through the same check. A refusal fails the connection with {@link EndpointUrlPolicy.UnsafeUrlException}.
 */
public final class PolicyAddressResolverGroup extends AddressResolverGroup<InetSocketAddress> {

    private final AddressResolverGroup<?> base;
    private final EndpointUrlPolicy policy;

    /**
     * @param base   the resolver group to resolve names with (e.g. the client's default DNS resolver group); it must
     *               resolve {@link InetSocketAddress}es
     * @param policy the policy judging each resolved address
     */
    public PolicyAddressResolverGroup(AddressResolverGroup<?> base, EndpointUrlPolicy policy) {
        this.base = base;
        this.policy = policy;
    }

    @Override
    @SuppressWarnings("unchecked")
    protected AddressResolver<InetSocketAddress> newResolver(EventExecutor executor) {
        return new Checked(executor, (AddressResolver<InetSocketAddress>) base.getResolver(executor), policy);
    }

    private static final class Checked extends AbstractAddressResolver<InetSocketAddress> {

        private final AddressResolver<InetSocketAddress> inner;
        private final EndpointUrlPolicy policy;

        Checked(EventExecutor executor, AddressResolver<InetSocketAddress> inner, EndpointUrlPolicy policy) {
            super(executor, InetSocketAddress.class);
            this.inner = inner;
            this.policy = policy;
        }

        @Override
        protected boolean doIsResolved(InetSocketAddress address) {
            return false; // so that IP literals are checked too
        }

        @Override
        protected void doResolve(InetSocketAddress address, Promise<InetSocketAddress> promise) {
            if (!address.isUnresolved()) {
                complete(address, address, promise);
                return;
            }
            inner.resolve(address).addListener((Future<InetSocketAddress> f) -> {
                if (f.isSuccess()) {
                    complete(address, f.getNow(), promise);
                } else {
                    promise.tryFailure(f.cause());
                }
            });
        }

        @Override
        protected void doResolveAll(InetSocketAddress address, Promise<List<InetSocketAddress>> promise) {
            if (!address.isUnresolved()) {
                Optional<String> refused = refusal(address, address);
                if (refused.isPresent()) {
                    promise.tryFailure(new EndpointUrlPolicy.UnsafeUrlException(refused.get()));
                } else {
                    promise.trySuccess(List.of(address));
                }
                return;
            }
            inner.resolveAll(address).addListener((Future<List<InetSocketAddress>> f) -> {
                if (!f.isSuccess()) {
                    promise.tryFailure(f.cause());
                    return;
                }
                for (InetSocketAddress resolved : f.getNow()) {
                    Optional<String> refused = refusal(address, resolved);
                    if (refused.isPresent()) { // one internal answer taints the name: no fallback to the others
                        promise.tryFailure(new EndpointUrlPolicy.UnsafeUrlException(refused.get()));
                        return;
                    }
                }
                promise.trySuccess(f.getNow());
            });
        }

        private void complete(InetSocketAddress requested, InetSocketAddress resolved,
                              Promise<InetSocketAddress> promise) {
            Optional<String> refused = refusal(requested, resolved);
            if (refused.isPresent()) {
                promise.tryFailure(new EndpointUrlPolicy.UnsafeUrlException(refused.get()));
            } else {
                promise.trySuccess(resolved);
            }
        }

        private Optional<String> refusal(InetSocketAddress requested, InetSocketAddress resolved) {
            if (resolved.getAddress() == null) {
                return Optional.of("cannot resolve " + requested.getHostString());
            }
            return policy.refusalAt(requested.getHostString(), resolved.getAddress(), resolved.getPort());
        }
    }
}
