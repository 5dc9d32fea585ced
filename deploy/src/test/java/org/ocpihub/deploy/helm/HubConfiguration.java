package org.ocpihub.deploy.helm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.BoundPropertiesTrackingBindHandler;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.annotation.ClassPathScanningCandidateComponentProvider;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.ByteArrayResource;
import org.springframework.core.type.filter.AnnotationTypeFilter;
import org.springframework.util.ClassUtils;

/**
 * The chart's configuration as the hub reads it at start-up: the ConfigMap's {@code application.yml} plus the
 * Deployment's environment variables, bound by Spring Boot's {@link Binder} into the hub's own
 * {@code @ConfigurationProperties} records. A value the hub cannot convert (a malformed duration) fails the binding;
 * a {@code hub.*} key no record takes (a misspelt name) is reported by {@link #unboundHubProperties()}.
 */
public final class HubConfiguration {

    /** The hub's {@code hub.*} records by prefix, as their {@code @ConfigurationProperties} say. */
    private static final Map<String, Class<?>> RECORDS = recordsByPrefix();

    private final Binder binder;
    private final Set<String> hubProperties;

    private HubConfiguration(Binder binder, Set<String> hubProperties) {
        this.binder = binder;
        this.hubProperties = hubProperties;
    }

    /**
     * @param applicationYml the ConfigMap's {@code application.yml}
     * @param environment    environment variables as the container gets them (values from Secrets as placeholders)
     */
    public static HubConfiguration of(String applicationYml, Map<String, String> environment) {
        List<PropertySource<?>> yaml;
        try {
            yaml = new YamlPropertySourceLoader().load("application.yml",
                    new ByteArrayResource(applicationYml.getBytes(StandardCharsets.UTF_8)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StandardEnvironment spring = new StandardEnvironment();
        MutablePropertySources sources = spring.getPropertySources();
        sources.remove(StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME);
        sources.remove(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME);
        // the name makes Spring map HUB_SECRETKEY to hub.secret-key, as for the real environment
        sources.addLast(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new LinkedHashMap<>(environment)));
        Set<String> hubProperties = new TreeSet<>();
        for (PropertySource<?> source : yaml) {
            sources.addLast(source);
            if (source instanceof EnumerablePropertySource<?> enumerable) {
                for (String name : enumerable.getPropertyNames()) {
                    if (name.startsWith("hub.")) {
                        hubProperties.add(name);
                    }
                }
            }
        }
        return new HubConfiguration(Binder.get(spring), hubProperties);
    }

    /**
     * Binds every record; returns the {@code hub.*} properties of the application.yml that none of them took.
     *
     * @throws org.springframework.boot.context.properties.bind.BindException when a value cannot be converted or a
     *                                                                         record refuses it
     */
    public Set<String> unboundHubProperties() {
        Set<String> bound = new TreeSet<>();
        BindHandler tracking = new BoundPropertiesTrackingBindHandler(p -> bound.add(p.getName().toString()));
        for (Map.Entry<String, Class<?>> record : RECORDS.entrySet()) {
            binder.bind(record.getKey(), Bindable.of(record.getValue()), tracking);
        }
        Set<String> unbound = new TreeSet<>();
        for (String name : hubProperties) {
            // the YAML source names list items hub.x[0]; the binder reports them the same way
            if (!bound.contains(name)) {
                unbound.add(name);
            }
        }
        return unbound;
    }

    /** The bound record of a prefix, e.g. {@code bind("hub.routing", RoutingProperties.class)}. */
    public <T> T bind(String prefix, Class<T> record) {
        return binder.bind(prefix, Bindable.of(record)).get();
    }

    /** A single setting's value as the hub would read it (from the YAML or the environment); null when unset. */
    public String value(String name) {
        return binder.bind(name, String.class).orElse(null);
    }

    /** The {@code hub.*} property names the application.yml sets. */
    public Set<String> hubProperties() {
        return Set.copyOf(hubProperties);
    }

    /** Found on the classpath rather than listed, so a record added to the hub is checked without a change here. */
    private static Map<String, Class<?>> recordsByPrefix() {
        ClassPathScanningCandidateComponentProvider scanner = new ClassPathScanningCandidateComponentProvider(false);
        scanner.addIncludeFilter(new AnnotationTypeFilter(ConfigurationProperties.class));
        Map<String, Class<?>> records = new TreeMap<>();
        for (BeanDefinition candidate : scanner.findCandidateComponents("org.ocpihub")) {
            Class<?> type = ClassUtils.resolveClassName(candidate.getBeanClassName(), null);
            ConfigurationProperties annotation = type.getAnnotation(ConfigurationProperties.class);
            String prefix = annotation.value().isEmpty() ? annotation.prefix() : annotation.value();
            if (prefix.equals("hub") || prefix.startsWith("hub.")) {
                records.put(prefix, type);
            }
        }
        return records;
    }

    /** The {@code hub.*} records found, by prefix (e.g. {@code hub.routing} → RoutingProperties). */
    public static Map<String, Class<?>> records() {
        return Map.copyOf(RECORDS);
    }
}
