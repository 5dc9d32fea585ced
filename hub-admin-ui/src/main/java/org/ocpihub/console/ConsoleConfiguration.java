package org.ocpihub.console;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/**
 * The console module's configuration: {@code hub.console.*} ({@link ConsoleProperties}). The security chain is
 * {@code security.ConsoleSecurity}; the static files are served by {@code web.ConsoleAssets}.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ConsoleProperties.class)
public class ConsoleConfiguration {
}
