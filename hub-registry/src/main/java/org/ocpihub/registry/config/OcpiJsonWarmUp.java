package org.ocpihub.registry.config;

import java.util.List;

import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.credentials.Credentials;
import org.ocpihub.ocpi.party.BusinessDetails;
import org.ocpihub.ocpi.party.ClientInfo;
import org.ocpihub.ocpi.version.Version;
import org.ocpihub.ocpi.version.VersionDetails;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.stereotype.Component;

import tools.jackson.core.type.TypeReference;

/**
 * Builds the JSON (de)serializers of the OCPI wire types at start-up: Jackson builds each once, under a lock, and the
 * first requests should not wait for that on an event loop.
 */
@Component
public class OcpiJsonWarmUp implements InitializingBean {

    @Override
    public void afterPropertiesSet() {
        var mapper = OcpiJson.mapper();
        mapper.readValue("{\"name\":\"x\"}", BusinessDetails.class);
        mapper.readValue("{\"token\":\"t\",\"url\":\"http://x\",\"roles\":[]}", Credentials.class);
        mapper.readValue("{\"version\":\"2.2.1\",\"endpoints\":[]}", VersionDetails.class);
        mapper.readValue("{\"status_code\":1000,\"data\":[],\"timestamp\":\"2015-06-29T20:39:09Z\"}",
                new TypeReference<OcpiResponse<List<Version>>>() { });
        mapper.readValue("{\"status_code\":1000,\"timestamp\":\"2015-06-29T20:39:09Z\"}",
                new TypeReference<OcpiResponse<Credentials>>() { });
        mapper.writeValueAsBytes(OcpiResponse.success(List.of(new Version("2.2.1", "http://x"))));
        mapper.writeValueAsBytes(new ClientInfo("X", "NL", null, null, null));
        mapper.readTree("{}");
    }
}
