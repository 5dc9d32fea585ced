package org.ocpihub.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.reactive.config.ResourceHandlerRegistry;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.resource.LiteWebJarsResourceResolver;

/**
 * The console module's configuration: {@code hub.console.*} and its static files, all under {@code /admin} so that
 * one security chain covers them: {@code /admin/assets/**} (the CSS, from {@code classpath:/console/assets/}) and
 * {@code /admin/webjars/**} (htmx from its webjar, version-less paths resolved by webjars-locator-lite, e.g.
 * {@code /admin/webjars/htmx.org/dist/htmx.min.js}).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleConfiguration implements WebFluxConfigurer {

    @Override
    public void addResourceHandlers(ResourceHandlerRegistry registry) {
        registry.addResourceHandler("/admin/assets/**").addResourceLocations("classpath:/console/assets/");
        registry.addResourceHandler("/admin/webjars/**")
                .addResourceLocations("classpath:/META-INF/resources/webjars/")
                .resourceChain(true)
                .addResolver(new LiteWebJarsResourceResolver());
    }
}
