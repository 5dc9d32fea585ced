package org.ocpihub.console.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.thymeleaf.IEngineConfiguration;
import org.thymeleaf.spring6.ISpringWebFluxTemplateEngine;
import org.thymeleaf.spring6.SpringWebFluxTemplateEngine;
import org.thymeleaf.templatemode.TemplateMode;
import org.thymeleaf.templateresolver.AbstractConfigurableTemplateResolver;
import org.thymeleaf.templateresource.ITemplateResource;
import org.thymeleaf.templateresource.StringTemplateResource;

/**
 * The console's templates ({@code classpath:templates/console/*.html}), read once at start-up into memory and
 * resolved from there, ahead of Spring Boot's class-path resolver. Rendering then reads no file on an event loop
 * (a template's first use would otherwise read the jar: blocking I/O, refused by BlockHound in the tests). The
 * template engine itself is initialised at start-up too (its dialects look up Jackson modules on the class path).
 *
 * <p>A new page only adds {@code templates/console/<name>.html}; a controller returns {@code "console/<name>"}.
 */
@Configuration(proxyBeanMethods = false)
public class ConsoleTemplates {

    /** Names {@code console/<file name without .html>} → template text. */
    static Map<String, String> load() {
        Map<String, String> templates = new HashMap<>();
        try {
            for (Resource r : new PathMatchingResourcePatternResolver()
                    .getResources("classpath*:templates/console/*.html")) {
                String file = r.getFilename();
                try (InputStream in = r.getInputStream()) {
                    templates.put("console/" + file.substring(0, file.length() - ".html".length()),
                            new String(in.readAllBytes(), StandardCharsets.UTF_8));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console's templates", e);
        }
        if (templates.isEmpty()) {
            throw new IllegalStateException("no console templates on the class path (templates/console/*.html)");
        }
        return Map.copyOf(templates);
    }

    /** Resolves {@code console/*} from memory, before Boot's resolver (order 0; Boot's has none, i.e. last). */
    @Bean
    public AbstractConfigurableTemplateResolver consoleTemplateResolver() {
        Map<String, String> templates = load();
        AbstractConfigurableTemplateResolver resolver = new AbstractConfigurableTemplateResolver() {
            @Override
            protected ITemplateResource computeTemplateResource(IEngineConfiguration configuration,
                    String ownerTemplate, String template, String resourceName, String characterEncoding,
                    Map<String, Object> templateResolutionAttributes) {
                String text = templates.get(template);
                return text == null ? null : new StringTemplateResource(text);
            }
        };
        resolver.setName("console");
        resolver.setOrder(0);
        resolver.setResolvablePatterns(Set.of("console/*"));
        resolver.setTemplateMode(TemplateMode.HTML);
        resolver.setCacheable(true);
        resolver.setCheckExistence(true);
        return resolver;
    }

    /** Initialises the template engine at start-up, on the main thread. */
    @Bean
    public SmartInitializingSingleton consoleTemplateEngineWarmUp(
            org.springframework.beans.factory.ObjectProvider<ISpringWebFluxTemplateEngine> engine) {
        return () -> engine.ifAvailable(e -> {
            if (e instanceof SpringWebFluxTemplateEngine spring) {
                spring.getConfiguration();
            }
        });
    }
}
