package org.ocpihub.registry.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.ocpihub.ocpi.OcpiJson;
import org.ocpihub.ocpi.OcpiResponse;
import org.ocpihub.ocpi.version.Version;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JavaType;

/** Issue 7 item 11: what members send is read liberally; only the status code decides. */
class MemberAnswersTest {

    private static final JavaType VERSIONS = OcpiJson.mapper().getTypeFactory()
            .constructCollectionType(List.class, Version.class);

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-30 22:38:34.050081+00:00", "2026-11-30", "yesterday", "", "1764542314"})
    void anOddTimestampIsIgnoredAndTheStatusDecides(String timestamp) {
        String answer = "\uFEFF{\"status_code\":1000,\"timestamp\":\"" + timestamp + "\",\"data\":[{\"version\":"
                + "\"2.2.1\",\"url\":\"https://p.example.com/ocpi/2.2.1\"}]}";

        OcpiResponse<List<Version>> read = MemberAnswers.envelope(answer, VERSIONS, "platform P");

        assertThat(read.isSuccess()).isTrue();
        assertThat(read.data()).singleElement().extracting(Version::version).isEqualTo("2.2.1");
    }

    @Test
    void aNumericTimestampAndAnOffsetTimestampAreAccepted() {
        OcpiResponse<List<Version>> numeric = MemberAnswers.envelope(
                "{\"status_code\":2001,\"timestamp\":1764542314,\"data\":[]}", VERSIONS, "platform P");
        OcpiResponse<List<Version>> offset = MemberAnswers.envelope(
                "{\"status_code\":1000,\"timestamp\":\"2026-11-30T22:38:34+01:00\",\"data\":[]}", VERSIONS, "p");

        assertThat(numeric.statusCode()).isEqualTo(2001);
        assertThat(offset.timestamp()).hasToString("2026-11-30T21:38:34Z");
    }

    @Test
    void aByteOrderMarkIsSkippedInBytesToo() {
        byte[] bytes = ("\uFEFF{\"status_code\":1000}").getBytes(StandardCharsets.UTF_8);

        assertThat(bytes[0] & 0xFF).isEqualTo(0xEF);
        assertThat(MemberAnswers.tree(bytes, "receiver R").path("status_code").asInt()).isEqualTo(1000);
    }

    @Test
    void garbageIsStillGarbage() {
        assertThatThrownBy(() -> MemberAnswers.envelope("\uFEFF<html>", VERSIONS, "platform P"))
                .isInstanceOf(JacksonException.class);
    }

    @Test
    void theStatusCodeAloneIsReadFromWhateverAReceiverAnswers() {
        assertThat(status("{\"status_code\":1000,\"timestamp\":\"2026-11-30T21:38:34Z\"}")).isEqualTo(1000);
        assertThat(status("\uFEFF{\"status_code\":1000}")).as("byte-order mark").isEqualTo(1000);
        assertThat(status("{\"data\":{\"status_code\":2001,\"list\":[1,{\"a\":[]}]},\"status_code\":1000}"))
                .as("a nested status_code is not the envelope's").isEqualTo(1000);
        assertThat(status("{\"status_code\":\"1000\"}")).as("a number in a string").isEqualTo(1000);
        assertThat(status("{\"status_code\":1000.0}")).as("a float").isEqualTo(1000);
        assertThat(status("{\"status_code\":3001,\"timestamp\":1764542314}")).as("odd timestamp").isEqualTo(3001);
        assertThat(status("{\"status_code\":99999999999}")).as("out of range").isEqualTo(-1);
        assertThat(status("{\"status_code\":null}")).isEqualTo(-1);
        assertThat(status("{\"status_message\":\"ok\"}")).as("none").isEqualTo(-1);
        assertThat(status("[1000]")).as("not an object").isEqualTo(-1);
        assertThat(status("<html>502 Bad Gateway</html>")).isEqualTo(-1);
        assertThat(status("{\"status_code\":1000")).as("cut off: not an acknowledgement").isEqualTo(-1);
        assertThat(status("")).isEqualTo(-1);
        byte[] latin1 = "{\"status_code\":1000,\"status_message\":\"Succès\"}".getBytes(StandardCharsets.ISO_8859_1);
        assertThat(MemberAnswers.statusCode(latin1, "receiver R")).as("a Latin-1 status_message").isEqualTo(1000);
    }

    private static int status(String answer) {
        return MemberAnswers.statusCode(answer.getBytes(StandardCharsets.UTF_8), "receiver R");
    }
}
