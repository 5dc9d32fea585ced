package org.ocpihub.testkit.party;

import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import java.util.MissingResourceException;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Valid-looking OCPI 2.2.1 objects for tests, seeds and benchmarks (Location, Tariff, Session, CDR, Token), with the
 * required fields filled in from the owner's role and an id.
 */
public final class OcpiSamples {

    /** The {@code last_updated} base of seeded objects: object {@code i} (1-based) is {@code i} hours later. */
    public static final Instant SEED_EPOCH = Instant.parse("2024-01-01T00:00:00Z");

    private OcpiSamples() {
    }

    /** The {@code last_updated} of the {@code i}-th seeded object (1-based): {@link #SEED_EPOCH} plus i hours. */
    public static Instant seedTime(int i) {
        return SEED_EPOCH.plus(Duration.ofHours(i));
    }

    /** A Location (LOC 8.3.1) with two EVSEs (uids {@code <id>-1}, {@code <id>-2}), each with connector "1". */
    public static ObjectNode location(PartyRole cpo, String id, Instant lastUpdated) {
        String updated = OcpiTime.format(lastUpdated);
        ObjectNode location = owned(cpo, "id", id);
        location.put("publish", true);
        location.put("name", "Simulated location " + id);
        location.put("address", "Simulatorstraat 1");
        location.put("city", "Utrecht");
        location.put("postal_code", "3511 AA");
        location.put("country", alpha3(cpo.countryCode()));
        location.putObject("coordinates").put("latitude", "52.090737").put("longitude", "5.121420");
        location.put("parking_type", "ON_STREET");
        ArrayNode evses = location.putArray("evses");
        for (int n = 1; n <= 2; n++) {
            ObjectNode evse = evses.addObject();
            evse.put("uid", id + "-" + n);
            evse.put("evse_id", cpo.countryCode() + "*" + cpo.partyId() + "*E" + id + "*" + n);
            evse.put("status", "AVAILABLE");
            evse.putArray("capabilities").add("RFID_READER").add("REMOTE_START_STOP_CAPABLE");
            ObjectNode connector = evse.putArray("connectors").addObject();
            connector.put("id", "1");
            connector.put("standard", "IEC_62196_T2");
            connector.put("format", "SOCKET");
            connector.put("power_type", "AC_3_PHASE");
            connector.put("max_voltage", 230);
            connector.put("max_amperage", 16);
            connector.put("max_electric_power", 11000);
            connector.putArray("tariff_ids").add("TARIFF1");
            connector.put("last_updated", updated);
            evse.put("last_updated", updated);
        }
        location.putObject("operator").put("name", cpo.businessName());
        location.put("time_zone", "Europe/Amsterdam");
        location.put("last_updated", updated);
        return location;
    }

    /** A Tariff (TAR 11.3.1) of 0.25 per kWh. */
    public static ObjectNode tariff(PartyRole cpo, String id, Instant lastUpdated) {
        ObjectNode tariff = owned(cpo, "id", id);
        tariff.put("currency", "EUR");
        tariff.putArray("elements").addObject().putArray("price_components").addObject()
                .put("type", "ENERGY").put("price", 0.25).put("step_size", 1);
        tariff.put("last_updated", OcpiTime.format(lastUpdated));
        return tariff;
    }

    /** An ACTIVE Session (SES 9.3.1) of the eMSP's RFID Token {@code tokenUid} at Location {@code LOC0001}. */
    public static ObjectNode session(PartyRole cpo, String id, PartyRole emsp, String tokenUid, Instant lastUpdated) {
        ObjectNode session = owned(cpo, "id", id);
        session.put("start_date_time", OcpiTime.format(lastUpdated.minus(Duration.ofMinutes(30))));
        session.put("kwh", 5.5);
        session.set("cdr_token", cdrToken(emsp, tokenUid));
        session.put("auth_method", "WHITELIST");
        session.put("location_id", "LOC0001");
        session.put("evse_uid", "LOC0001-1");
        session.put("connector_id", "1");
        session.put("currency", "EUR");
        session.put("status", "ACTIVE");
        session.put("last_updated", OcpiTime.format(lastUpdated));
        return session;
    }

    /** A CDR (CDR 10.3.1) of a one-hour, 11 kWh session of the eMSP's RFID Token {@code tokenUid}. */
    public static ObjectNode cdr(PartyRole cpo, String id, PartyRole emsp, String tokenUid, Instant lastUpdated) {
        ObjectNode cdr = owned(cpo, "id", id);
        Instant end = lastUpdated.minus(Duration.ofMinutes(1));
        Instant start = end.minus(Duration.ofHours(1));
        cdr.put("start_date_time", OcpiTime.format(start));
        cdr.put("end_date_time", OcpiTime.format(end));
        cdr.set("cdr_token", cdrToken(emsp, tokenUid));
        cdr.put("auth_method", "WHITELIST");
        ObjectNode place = cdr.putObject("cdr_location");
        place.put("id", "LOC0001");
        place.put("address", "Simulatorstraat 1");
        place.put("city", "Utrecht");
        place.put("country", alpha3(cpo.countryCode()));
        place.putObject("coordinates").put("latitude", "52.090737").put("longitude", "5.121420");
        place.put("evse_uid", "LOC0001-1");
        place.put("evse_id", cpo.countryCode() + "*" + cpo.partyId() + "*ELOC0001*1");
        place.put("connector_id", "1");
        place.put("connector_standard", "IEC_62196_T2");
        place.put("connector_format", "SOCKET");
        place.put("connector_power_type", "AC_3_PHASE");
        cdr.put("currency", "EUR");
        ObjectNode period = cdr.putArray("charging_periods").addObject();
        period.put("start_date_time", OcpiTime.format(start));
        period.putArray("dimensions").addObject().put("type", "ENERGY").put("volume", 11.0);
        cdr.putObject("total_cost").put("excl_vat", 2.75);
        cdr.put("total_energy", 11.0);
        cdr.put("total_time", 1.0);
        cdr.put("last_updated", OcpiTime.format(lastUpdated));
        return cdr;
    }

    /** A valid, whitelist-ALLOWED RFID Token (TOK 12.3.2). */
    public static ObjectNode token(PartyRole emsp, String uid, Instant lastUpdated) {
        ObjectNode token = owned(emsp, "uid", uid);
        token.put("type", "RFID");
        token.put("contract_id", emsp.countryCode() + "-" + emsp.partyId() + "-C" + uid);
        token.put("issuer", emsp.businessName());
        token.put("valid", true);
        token.put("whitelist", "ALLOWED");
        token.put("last_updated", OcpiTime.format(lastUpdated));
        return token;
    }

    private static ObjectNode owned(PartyRole owner, String idField, String id) {
        ObjectNode object = OcpiJson.MAPPER.createObjectNode();
        object.put("country_code", owner.countryCode());
        object.put("party_id", owner.partyId());
        object.put(idField, id);
        return object;
    }

    private static ObjectNode cdrToken(PartyRole emsp, String tokenUid) {
        return OcpiJson.MAPPER.createObjectNode()
                .put("country_code", emsp.countryCode())
                .put("party_id", emsp.partyId())
                .put("uid", tokenUid)
                .put("type", "RFID")
                .put("contract_id", emsp.countryCode() + "-" + emsp.partyId() + "-C" + tokenUid);
    }

    private static String alpha3(String countryCode) {
        try {
            return new Locale("", countryCode).getISO3Country();
        } catch (MissingResourceException unknown) {
            return "NLD";
        }
    }
}
