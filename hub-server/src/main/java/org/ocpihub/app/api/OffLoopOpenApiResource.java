package org.ocpihub.app.api;

import java.util.Locale;

import org.springdoc.core.customizers.SpringDocCustomizers;
import org.springdoc.core.properties.SpringDocConfigProperties;
import org.springdoc.core.providers.SpringDocProviders;
import org.springdoc.core.service.AbstractRequestService;
import org.springdoc.core.service.GenericResponseService;
import org.springdoc.core.service.OpenAPIService;
import org.springdoc.core.service.OperationService;
import org.springdoc.webflux.api.OpenApiWebfluxResource;
import org.springframework.beans.factory.ObjectFactory;
import org.springframework.http.server.reactive.ServerHttpRequest;

import com.fasterxml.jackson.core.JsonProcessingException;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * springdoc's endpoint of the OpenAPI document, with the document built off the event loop. springdoc builds it
 * synchronously inside the handler on first use (and again for each new {@code Accept-Language}), scanning the class
 * path for webhooks and other annotations: blocking file reads, which must not run on a Netty thread (D9; BlockHound
 * refuses them in the tests). Same mappings as springdoc's (inherited), only moved to {@code boundedElastic}.
 */
public class OffLoopOpenApiResource extends OpenApiWebfluxResource {

    public OffLoopOpenApiResource(ObjectFactory<OpenAPIService> openAPIBuilderObjectFactory,
                                  AbstractRequestService requestBuilder, GenericResponseService responseBuilder,
                                  OperationService operationParser, SpringDocConfigProperties springDocConfigProperties,
                                  SpringDocProviders springDocProviders, SpringDocCustomizers springDocCustomizers) {
        super(openAPIBuilderObjectFactory, requestBuilder, responseBuilder, operationParser, springDocConfigProperties,
                springDocProviders, springDocCustomizers);
    }

    @Override
    public Mono<byte[]> openapiJson(ServerHttpRequest request, String apiDocsUrl, Locale locale) {
        return Mono.defer(() -> json(request, apiDocsUrl, locale)).subscribeOn(Schedulers.boundedElastic());
    }

    @Override
    public Mono<byte[]> openapiYaml(ServerHttpRequest request, String apiDocsUrl, Locale locale) {
        return Mono.defer(() -> yaml(request, apiDocsUrl, locale)).subscribeOn(Schedulers.boundedElastic());
    }

    private Mono<byte[]> json(ServerHttpRequest request, String apiDocsUrl, Locale locale) {
        try {
            return super.openapiJson(request, apiDocsUrl, locale);
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
    }

    private Mono<byte[]> yaml(ServerHttpRequest request, String apiDocsUrl, Locale locale) {
        try {
            return super.openapiYaml(request, apiDocsUrl, locale);
        } catch (JsonProcessingException e) {
            return Mono.error(e);
        }
    }
}
