/**
 * The bottom package of hub-router and its published extension point: the types every routing step shares
 * ({@link org.ocpihub.router.pipeline.RoutingContext}, {@link org.ocpihub.router.pipeline.RoutingStep},
 * {@link org.ocpihub.router.pipeline.RoutingOrder}, {@link org.ocpihub.router.pipeline.RoutingException},
 * {@link org.ocpihub.router.pipeline.ModuleCall}, {@link org.ocpihub.router.pipeline.RoutingHeaders},
 * {@link org.ocpihub.router.pipeline.Classification}/{@link org.ocpihub.router.pipeline.RoutingCase},
 * {@link org.ocpihub.router.pipeline.Receiver}, {@link org.ocpihub.router.pipeline.ResponseTap},
 * {@link org.ocpihub.router.pipeline.RelayCall}, {@link org.ocpihub.router.pipeline.RoutingProperties}) and what
 * other modules may use of the router: {@link org.ocpihub.router.pipeline.HubOwnedRequests} (the hub answering a
 * call itself, as hub-broadcast does for Broadcast Push and GET All) and
 * {@link org.ocpihub.router.pipeline.SenderRole} (who may send what). It depends on no other package of hub-router;
 * the feature packages depend on it, and other modules use nothing else of hub-router ({@code RouterArchitectureTest},
 * {@code BroadcastArchitectureTest}).
 */
package org.ocpihub.router.pipeline;
