package org.ocpihub.broadcast.getall;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Configuration;

/** Wires GET All via the hub: its settings. */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(GetAllProperties.class)
public class GetAllConfiguration {
}
